using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace Backprop.Benchmarks.Training;

/// <summary>
/// LibTorch 2.10's bindings (TorchSharp-cpu 0.107) need the C++ library of GCC 13 or later (<c>GLIBCXX_3.4.32</c>);
/// Debian 12 has GCC 12's. There this program runs itself again under Debian 13's loader, C and C++ libraries, which
/// the script <c>debian13-runtime</c> unpacks beside a copy of the dotnet host (nothing is installed system-wide).
/// </summary>
internal static class NewerRuntime
{
    private const string Marker = "BACKPROP_NEWER_RUNTIME";

    public static string Directory =>
        Environment.GetEnvironmentVariable(Marker) is { Length: > 0 } given ? given
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "backprop", "debian13-runtime");

    /// <summary>Null when LibTorch loads in this process; else why not, and what to do.</summary>
    public static string? WhyLibTorchCannotLoad()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }

        var bindings = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(bindings));
            return null;
        }
        catch (DllNotFoundException e)
        {
            // The loader's own words are on the message's last line (`GLIBCXX_3.4.32' not found, …).
            return $"LibTorch does not load here: {e.Message.Trim().Split('\n')[^1].Trim()}";
        }
    }

    /// <summary>
    /// Runs this program again under Debian 13's libraries if they have been unpacked and this process is not already
    /// running under them; returns its exit code, or null when that cannot be done.
    /// </summary>
    public static int? RunAgain(string[] args)
    {
        var host = Path.Combine(Directory, "dotnet");
        if (Environment.GetEnvironmentVariable(Marker) is { Length: > 0 } || !File.Exists(host))
        {
            return null;
        }

        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        start.ArgumentList.Add(typeof(NewerRuntime).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LD_LIBRARY_PATH"] = Path.Combine(Directory, "lib");
        start.Environment[Marker] = Directory;
        Console.WriteLine($"LibTorch needs a newer C++ library than this system's: running again under {Directory}");
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
