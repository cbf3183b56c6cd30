using System.Diagnostics;

namespace FashionMnist.Tests;

/// <summary>Runs the Python tools the cross-checks use (Debian's python3-torch, python3-onnx).</summary>
internal static class Processes
{
    /// <summary>The program's exit code, standard output and standard error, or null when it cannot start.</summary>
    public static (int Exit, string Output, string Errors)? Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result, errors.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
