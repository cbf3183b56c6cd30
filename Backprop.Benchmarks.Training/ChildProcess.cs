using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;

namespace Backprop.Benchmarks.Training;

/// <summary>A process of its own (a peer, or this program as one engine) whose last line of output is its result in JSON.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="start"/> (its output redirected) to its exit: its last JSON line and the seconds from start to
    /// exit; null when it failed or printed none, after writing what it printed, as <paramref name="name"/>'s failure, to stderr.
    /// </summary>
    public static (JsonDocument Result, double Seconds)? Run(ProcessStartInfo start, string name)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"{name} failed (exit {process.ExitCode}): {start.FileName} {string.Join(' ', start.ArgumentList)}\n{output.Trim()}\n{errors.Result.Trim()}");
            return null;
        }

        return (JsonDocument.Parse(line), seconds);
    }
}
