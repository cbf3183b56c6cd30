using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using FashionMnist;

namespace Backprop.Benchmarks.Training;

/// <summary>
/// "Seconds to 88 % test accuracy", end to end: each engine trains the MLP in a process of its own, timed from the
/// moment the process is started (runtime start-up, JIT or imports, reading and standardising the data) to its exit
/// after the first epoch whose test accuracy reaches the target. Backprop and TorchSharp run as this program in child
/// mode (<c>--engine</c>); PyTorch 1.13 runs <c>peers/time_to_accuracy.py</c>. The test set is read after every epoch,
/// as time-to-accuracy benchmarks (DAWNBench, MLPerf) do; that evaluation is part of the time. Each process also reports
/// its peak resident memory (Linux's VmHWM: what it held at most, the runtime, libraries and data included).
/// </summary>
internal static class TimeToAccuracy
{
    /// <summary>The parent: runs each engine's process in turn and prints one table row per engine.</summary>
    public static int Race(double target, Settings settings, string dataDirectory, string? torchSharpUnfit, string? pyTorchUnfit, string pyTorchScript, int runs)
    {
        Console.WriteLine($"Seconds to {target:P0} test accuracy, from process start to exit, batch {settings.Batch}, {settings.Threads} thread(s), "
            + $"{settings.Optimizer}, at most {settings.Epochs} epochs; {runs} run(s) per engine, alternating");
        Console.WriteLine();
        Console.WriteLine("| engine | seconds to target | epochs | test accuracy | of which training epochs (s) | peak memory (MB) | JIT profile |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
        var engines = new (string Name, string? Unfit, Func<ProcessStartInfo> Start)[]
        {
            ("Backprop", null, () => DotnetChild("backprop", target, settings, dataDirectory)),
            ("TorchSharp (LibTorch 2.10)", torchSharpUnfit, () => DotnetChild("torchsharp", target, settings, dataDirectory)),
            ("PyTorch 1.13", pyTorchUnfit, () => PyTorchPeer.StartInfo(pyTorchScript, settings.Threads,
                "--target", Invariant(target), "--batch", Invariant(settings.Batch), "--epochs", Invariant(settings.Epochs), "--data", dataDirectory)),
        };
        var failed = false;
        for (var run = 0; run < runs; run++)
        {
            foreach (var (name, unfit, start) in engines)
            {
                if (unfit is not null)
                {
                    if (run == 0)
                    {
                        Console.WriteLine($"| {name} | — ({unfit}) | | | | | |");
                    }

                    continue;
                }

                var outcome = Time(start(), name);
                failed |= outcome is null;
                Console.WriteLine(outcome is { } o
                    ? $"| {name} | {(o.Accuracy >= target ? $"{o.Seconds:F1}" : $"not reached in {o.Seconds:F1}")} | {o.Epochs} | {o.Accuracy:P2} | {o.TrainingSeconds:F1} | {o.PeakMegabytes:F0} | {o.JitProfile} |"
                    : $"| {name} | failed (its output is above) | | | | | |");
            }
        }

        return failed ? 1 : 0;
    }

    /// <summary>A child: trains with one engine until the target (or the epoch limit) and prints what it reached as JSON.</summary>
    public static int Child(string engine, Settings settings, string? dataDirectory, string jitProfile)
    {
        var data = Dataset.Load(dataDirectory);
        var result = engine switch
        {
            "backprop" => BackpropTrainer.Train(data, settings),
            "torchsharp" => TorchSharpTrainer.Train(data, settings),
            _ => throw new ArgumentException($"--engine {engine}: backprop or torchsharp"),
        };
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            epochs = result.EpochSeconds.Count,
            accuracy = result.TestAccuracy,
            train_s = result.EpochSeconds.Sum(),
            peak_mb = self.PeakWorkingSet64 / 1048576.0,
            jit_profile = jitProfile,
        }));
        return 0;
    }

    /// <summary>This program again, in child mode, under the same host and environment (Debian 13's libraries too, when the parent runs under them).</summary>
    private static ProcessStartInfo DotnetChild(string engine, double target, Settings settings, string dataDirectory)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(TimeToAccuracy).Assembly.Location);
        }

        foreach (var arg in new[]
        {
            "--engine", engine, "--target", Invariant(target), "--batches", Invariant(settings.Batch), "--threads", Invariant(settings.Threads),
            "--epochs", Invariant(settings.Epochs), "--opt", settings.Optimizer, "--data", dataDirectory,
        })
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static Outcome? Time(ProcessStartInfo start, string name)
    {
        if (ChildProcess.Run(start, name) is not var (json, seconds))
        {
            return null;
        }

        using var result = json;
        var root = result.RootElement;
        return new Outcome(seconds, root.GetProperty("epochs").GetInt32(), root.GetProperty("accuracy").GetDouble(), root.GetProperty("train_s").GetDouble(),
            root.GetProperty("peak_mb").GetDouble(), root.TryGetProperty("jit_profile", out var jit) ? jit.GetString() ?? "" : "—");
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <param name="JitProfile">Whether a .NET child replayed or recorded its JIT profile (<see cref="FashionMnist.JitProfile"/>); "—" for PyTorch.</param>
    private sealed record Outcome(double Seconds, int Epochs, double Accuracy, double TrainingSeconds, double PeakMegabytes, string JitProfile);
}
