using System;
using System.IO;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>
/// The main job with <c>--distributed</c> under Open MPI's mpirun, on the bundled subset: rank 0 alone speaks and writes
/// the checkpoint, and a resume on another number of processes says so and goes on. Skipped where Open MPI is missing.
/// </summary>
public sealed class DistributedRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fashion-mnist-distributed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableFact]
    public void TwoProcessesTrain_ThreeResume_AndTheRunSaysSo()
    {
        SkipWithoutOpenMpi();
        var checkpoint = Path.Combine(_folder, "d.ckpt");
        string[] common = ["--allow-run-as-root", "--oversubscribe"];
        string[] job = ["dotnet", Path.Combine(AppContext.BaseDirectory, "FashionMnist.dll"), "--distributed", "--data", Path.Combine(AppContext.BaseDirectory, "data"), "--checkpoint", checkpoint];

        var (exit, output, errors) = Processes.Run("mpirun", [.. common, "-np", "2", .. job, "--epochs", "1"])!.Value;
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        Assert.Contains("Distributed: 2 processes (Open MPI", output, StringComparison.Ordinal);
        Assert.Equal(1, Count(output, "Data: "));                       // only rank 0 speaks
        Assert.Equal(1, Count(output, "epoch 1: test loss"));
        Assert.Contains("2 processes: the allreduce of 235,146 gradients took", output, StringComparison.Ordinal);
        Assert.True(File.Exists(checkpoint));

        (exit, output, errors) = Processes.Run("mpirun", [.. common, "-np", "3", .. job, "--epochs", "2", "--resume"])!.Value;
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        Assert.Contains("was written by a run of 2 processes and this run has 3 processes", output, StringComparison.Ordinal);
        Assert.Contains("Resumed from", output, StringComparison.Ordinal);
        Assert.Equal(1, Count(output, "epoch 2: test loss"));
        Assert.DoesNotContain("epoch 1: test loss", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void TheCnnOnTwoProcesses_EarlyStoppingAndTheTestSetOnRankZero()
    {
        SkipWithoutOpenMpi();
        var checkpoint = Path.Combine(_folder, "cnn.ckpt");
        var (exit, output, errors) = Processes.Run("mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "FashionMnistCnn.dll"), "--distributed", "--data", Path.Combine(AppContext.BaseDirectory, "data"),
            "--epochs", "2", "--width", "8", "--checkpoint", checkpoint)!.Value;
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        Assert.Contains("Distributed: 2 processes (Open MPI", output, StringComparison.Ordinal);
        Assert.Equal(1, Count(output, "epoch 2: validation loss"));
        Assert.Equal(1, Count(output, "Test set, with the weights of epoch"));
        Assert.True(File.Exists(Path.Combine(_folder, "cnn.best.ckpt")));
    }

    [Fact]
    public void WithoutMpi_DistributedSaysWhatIsMissing_AndTrainsNothing()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "FashionMnist.dll"), "--distributed", "--checkpoint", Path.Combine(_folder, "none.ckpt")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["BACKPROP_MPI_LIBRARY"] = Path.Combine(_folder, "libmpi-not-here.so");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
        Assert.StartsWith("--distributed: No MPI library could be loaded", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.False(File.Exists(Path.Combine(_folder, "none.ckpt")));
    }

    private static void SkipWithoutOpenMpi() =>
        Skip.If(Processes.Run("mpirun", "--version") is not (0, var version, _) || !version.Contains("Open MPI", StringComparison.Ordinal),
            "Open MPI's mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev): the distributed run is skipped");

    private static int Count(string text, string part) => text.Split(part).Length - 1;
}
