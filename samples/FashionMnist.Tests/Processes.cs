using System;
using System.Diagnostics;

namespace FashionMnist.Tests;

/// <summary>Runs the tools the cross-checks use (Debian's python3-torch, python3-onnx) and the main job under mpirun.</summary>
internal static class Processes
{
    /// <summary>The longest a program may run before it is killed and the test fails.</summary>
    public static readonly TimeSpan Watchdog = TimeSpan.FromMinutes(5);

    /// <summary>The program's exit code, standard output and standard error, or null when it cannot start.</summary>
    /// <exception cref="TimeoutException">It ran longer than <see cref="Watchdog"/> (it was killed).</exception>
    public static (int Exit, string Output, string Errors)? Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Watchdog))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran longer than {Watchdog.TotalMinutes:F0} minutes and was killed.");
            }

            process.WaitForExit();
            return (process.ExitCode, output.Result, errors.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
