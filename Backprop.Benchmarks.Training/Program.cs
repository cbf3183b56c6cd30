using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Backprop.Benchmarks.Training;
using FashionMnist;

// dotnet run -c Release --project Backprop.Benchmarks.Training -- [--epochs 3] [--batches 32,128,512] [--threads 1,2]
//     [--opt adam|sgd] [--peer PATH] [--data DIR] [--without torchsharp,pytorch] [--isa avx2|128]
// Trains the Fashion-MNIST MLP with Backprop, TorchSharp (LibTorch 2.10, this process) and PyTorch 1.13 (a process of
// its own), one sitting, each engine over every cell in turn, and prints samples/s (median epoch; the first epoch apart)
// and test accuracy.
//
// dotnet run -c Release --project Backprop.Benchmarks.Training -- --time-to 0.88 [--batches 128] [--threads 2]
//     [--epochs 20] [--runs 1] [--data DIR] [--without torchsharp,pytorch]
// Seconds to that test accuracy, end to end: each engine in a process of its own, from its start to its exit after the
// first epoch that reaches it (TimeToAccuracy.cs). Needs the full dataset.
//
// --isa avx2|128 holds every engine to that vector width (VectorWidthLimit.cs), to stand in for a machine without
// AVX-512, or with 128-bit vectors only (Arm).
var timeTo = Option("--time-to") is { } given ? double.Parse(given, CultureInfo.InvariantCulture) : (double?)null;
var engine = Option("--engine");
var epochs = int.Parse(Option("--epochs") ?? (timeTo is null ? "3" : "20"), CultureInfo.InvariantCulture);
var batchSizes = List("--batches", timeTo is null && engine is null ? "32,128,512" : "128").Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var threadCounts = List("--threads", timeTo is null && engine is null ? "1,2" : "2").Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var optimizer = Option("--opt") ?? "adam";
var without = List("--without", "");
if (epochs < 1 || batchSizes.Concat(threadCounts).Any(n => n < 1) || optimizer is not ("adam" or "sgd") || timeTo is not (null or (> 0 and < 1)))
{
    Console.Error.WriteLine("--epochs, --batches and --threads take positive integers; --opt is adam or sgd; --time-to takes an accuracy between 0 and 1.");
    return 2;
}

if (Option("--isa") is { } isa && VectorWidthLimit.Current is null)
{
    if (VectorWidthLimit.Unfit(isa) is { } why)
    {
        Console.Error.WriteLine(why);
        return 2;
    }

    return VectorWidthLimit.RunAgain(args, isa);
}

if (engine is not null)
{
    var jit = JitProfile.Start($"Backprop.Benchmarks.Training-{engine}");
    var target = double.Parse(Option("--target") ?? "NaN", CultureInfo.InvariantCulture);
    return TimeToAccuracy.Child(engine, new Settings(batchSizes[0], threadCounts[0], epochs, optimizer, double.IsNaN(target) ? null : target), Option("--data"), jit.State);
}

var torchSharp = without.Contains("torchsharp") ? "left out (--without)" : NewerRuntime.WhyLibTorchCannotLoad();
if (torchSharp is not null && !without.Contains("torchsharp"))
{
    if (NewerRuntime.RunAgain(args) is { } exitCode)
    {
        return exitCode;
    }

    torchSharp += $"; run Backprop.Benchmarks.Training/debian13-runtime once and this program runs itself under Debian 13's libraries";
}

var script = Option("--peer") ?? (timeTo is null
    ? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "bench", "mlp_train.py"))
    : Path.Combine(RepositoryRoot(), "Backprop.Benchmarks.Training", "peers", "time_to_accuracy.py"));
var pyTorch = without.Contains("pytorch") ? "left out (--without)" : PyTorchPeer.Unfit(script);
if (timeTo is { } accuracyTarget)
{
    var directory = Option("--data") ?? (File.Exists(Path.Combine(Dataset.DebianPath, "train-images-idx3-ubyte.gz")) ? Dataset.DebianPath : null);
    if (directory is null || !Directory.Exists(directory))
    {
        Console.Error.WriteLine($"--time-to needs the full Fashion-MNIST data: install the Debian package dataset-fashion-mnist or pass --data DIR{(directory is null ? "" : $" ({directory}: no such directory)")}.");
        return 2;
    }

    Console.WriteLine($"CPU: {Cpu()}; vectors: {Vectors()}");
    return TimeToAccuracy.Race(accuracyTarget, new Settings(batchSizes[0], threadCounts[0], epochs, optimizer), Path.GetFullPath(directory), torchSharp, pyTorch, script,
        Math.Max(1, int.Parse(Option("--runs") ?? "1", CultureInfo.InvariantCulture)));
}

// Started before the data loads: a run after the first compiles the training methods on the other core meanwhile.
var jitProfile = JitProfile.Start("Backprop.Benchmarks.Training");
var data = Dataset.Load(Option("--data"));

Console.WriteLine($"CPU: {Cpu()}; vectors: {Vectors()}");
Console.WriteLine($"JIT profile: {jitProfile.Description}");
Console.WriteLine($"Data: {data.Description}");
Console.WriteLine($"Optimizer {optimizer}, {epochs} epochs per run; samples/s over the median epoch (first epoch in brackets)");
Console.WriteLine($"TorchSharp: {torchSharp ?? TorchSharpTrainer.Version}");
Console.WriteLine($"PyTorch 1.13: {pyTorch ?? script}");
// Each engine trains every cell before the next engine starts, so none is timed beside another's leftover threads:
// LibTorch keeps threads of its own after its training returns, and once one of them was seen using 44 % of a core while
// Backprop's two-thread cell ran (AMD EPYC Zen 5). PyTorch runs in a process of its own.
var cells = batchSizes.SelectMany(batch => threadCounts.Select(threads => new Settings(batch, threads, epochs, optimizer))).ToArray();
var ours = Measure("Backprop", cells, settings => BackpropTrainer.Train(data, settings));
var libTorch = torchSharp is null ? Measure("TorchSharp", cells, settings => TorchSharpTrainer.Train(data, settings)) : cells.Select(_ => Result.Missing).ToArray();
var python = pyTorch is null ? Measure("PyTorch 1.13", cells, settings => PyTorchPeer.Train(script, settings)) : cells.Select(_ => Result.Missing).ToArray();

Console.WriteLine();
Console.WriteLine("| batch | threads | Backprop samples/s | TorchSharp | ratio | PyTorch 1.13 | ratio | test acc. Backprop / TorchSharp / PyTorch |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|");
for (var i = 0; i < cells.Length; i++)
{
    Console.WriteLine($"| {cells[i].Batch} | {cells[i].Threads} | {Rate(ours[i])} | {Rate(libTorch[i])} | {Ratio(ours[i], libTorch[i])} | "
        + $"{Rate(python[i])} | {Ratio(ours[i], python[i])} | {Accuracy(ours[i])} / {Accuracy(libTorch[i])} / {Accuracy(python[i])} |");
}

return 0;

// One engine over every cell, a line as each finishes (a full sitting takes minutes).
static Result[] Measure(string engine, Settings[] cells, Func<Settings, Result> train) => cells.Select(settings =>
{
    var result = train(settings);
    Console.WriteLine($"{engine}, batch {settings.Batch}, {settings.Threads} thread(s): {Rate(result)} samples/s");
    return result;
}).ToArray();

static string Rate(Result result) => double.IsNaN(result.SamplesPerSecond) ? "—" : $"{result.SamplesPerSecond:N0} ({result.FirstEpochSamplesPerSecond:N0})";

// A peer left out or unfit (its reason is printed above the table) shows a dash, not NaN.
static string Ratio(Result ours, Result peer) => double.IsNaN(peer.SamplesPerSecond) ? "—" : $"{ours.SamplesPerSecond / peer.SamplesPerSecond:F2}";

static string Accuracy(Result result) => double.IsNaN(result.TestAccuracy) ? "—" : $"{result.TestAccuracy:P2}";

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

string[] List(string name, string fallback) => (Option(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries);

static string Vectors() => Vector512.IsHardwareAccelerated ? "AVX-512" : Avx2.IsSupported ? "AVX2" : Vector128.IsHardwareAccelerated ? "128-bit" : "none";

static string Cpu()
{
    if (!File.Exists("/proc/cpuinfo"))
    {
        return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? "unknown";
    }

    var fields = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).Select(l => l.Split(':', 2)).Where(f => f.Length == 2)
        .GroupBy(f => f[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
    return $"{fields.GetValueOrDefault("model name", "unknown")} (family {fields.GetValueOrDefault("cpu family", "?")} model {fields.GetValueOrDefault("model", "?")}), {Environment.ProcessorCount} logical processors";
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Backprop.sln")))
        {
            return directory.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
