using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Backprop.Distributed.Tests;

/// <summary>
/// Starts the Ranks program (built beside the tests) under an MPI launcher — Open MPI's <c>mpirun</c> or MPICH's
/// <c>mpiexec.mpich</c> — and waits for it with a watchdog, so that a job that hangs fails the test instead of the run.
/// </summary>
internal sealed record Launcher(string Name, string Program, string[] Options)
{
    /// <summary>The longest a job may take; the scenarios take a few seconds each.</summary>
    public static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(120);

    /// <summary>The Ranks program's entry assembly.</summary>
    public static string Ranks => Path.Combine(AppContext.BaseDirectory, "Backprop.Distributed.Ranks.dll");

    /// <summary>Open MPI's launcher when installed: root allowed (CI runs as root), more processes than cores allowed.</summary>
    public static Launcher? OpenMpi() =>
        Version("mpirun") is { } version && version.Contains("Open MPI", StringComparison.Ordinal)
            ? new Launcher("Open MPI", "mpirun", ["--allow-run-as-root", "--oversubscribe"])
            : Version("mpirun.openmpi") is not null ? new Launcher("Open MPI", "mpirun.openmpi", ["--allow-run-as-root", "--oversubscribe"]) : null;

    /// <summary>This launcher with Open MPI's transports limited to TCP (on loopback here): what a job across machines uses.</summary>
    public Launcher OverTcp() => this with { Name = Name + " over TCP", Options = [.. Options, "--mca", "btl", "tcp,self"] };

    /// <summary>MPICH's launcher when installed.</summary>
    public static Launcher? Mpich() => Version("mpiexec.mpich") is not null ? new Launcher("MPICH", "mpiexec.mpich", []) : null;

    /// <summary>What to install when no launcher is found, for the skip message.</summary>
    public const string Missing = "no MPI launcher is installed (apt-get install openmpi-bin libopenmpi-dev, or mpich)";

    /// <summary>Runs <paramref name="processes"/> copies of the Ranks program with <paramref name="arguments"/>; null when the watchdog had to kill the job.</summary>
    public (int Exit, string Output, string Errors)? Run(int processes, params string[] arguments) =>
        Start(Program, [.. Options, "-np", processes.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", Ranks, .. arguments]);

    /// <summary>Runs the Ranks program once, without a launcher.</summary>
    public static (int Exit, string Output, string Errors)? Single(params string[] arguments) => Start("dotnet", [Ranks, .. arguments]);

    private static (int Exit, string Output, string Errors)? Start(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Watchdog))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return null;
        }

        process.WaitForExit();
        Task.WaitAll(output, errors);
        return (process.ExitCode, output.Result, errors.Result);
    }

    private static string? Version(string program)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
