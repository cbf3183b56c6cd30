using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Backprop.Distributed.Tests;

/// <summary>
/// Data-parallel training on one machine, as users run it: jobs of 2 and 3 processes under Open MPI's and MPICH's
/// launchers (over shared memory, as they choose on one machine, and Open MPI over TCP on loopback, the path between
/// machines), each bounded by a watchdog. Reported skipped (saying what to install) where a launcher is missing.
/// </summary>
public sealed class DistributedTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-distributed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableTheory]
    [InlineData("Open MPI", 2)]
    [InlineData("Open MPI", 3)]
    [InlineData("Open MPI over TCP", 3)]
    [InlineData("MPICH", 2)]
    [InlineData("MPICH", 3)]
    public void Collectives_GiveExactSumsMinimaMaximaAndBroadcasts(string family, int processes)
    {
        var launcher = Find(family);
        var (exit, output, errors) = Finished(launcher.Run(processes, "collectives"));
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        for (var rank = 0; rank < processes; rank++)
        {
            Assert.Contains($"rank {rank} of {processes}: collectives exact", output, StringComparison.Ordinal);
        }

        Assert.Contains(family == "MPICH" ? "MPICH" : "Open MPI", output, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("Open MPI", 2)]
    [InlineData("Open MPI", 3)]
    [InlineData("Open MPI over TCP", 2)]
    [InlineData("MPICH", 3)]
    public void TrainingOnSeveralProcesses_EqualsOneProcessOnTheSameGlobalBatches(string family, int processes)
    {
        var launcher = Find(family);
        var single = Path.Combine(_folder, "single.bin");
        var parallel = Path.Combine(_folder, $"parallel{processes}.bin");
        var (exit, output, errors) = Finished(Launcher.Single("train-single", single));
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        (exit, output, errors) = Finished(launcher.Run(processes, "train", parallel));
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        Assert.Equal(processes, output.Split('\n').Count(line => line.Contains("15 steps", StringComparison.Ordinal)));

        var (expectedLoss, expected) = Read(single);
        var (loss, actual) = Read(parallel);
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expectedLoss, loss, 4);

        // The same steps up to the order floats are added in: after 15 Adam steps 1.2e-6 to 1.6e-6 apart (Zen 5, both
        // families); weighting the shares wrongly (each by 1) puts them 0.3 to 1.2 apart.
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1e-2, Math.Abs(e))).Max();
        Assert.True(worst < 1e-5, $"largest relative difference {worst:E2}");
    }

    [SkippableTheory]
    [InlineData("Open MPI")]
    [InlineData("MPICH")]
    public void ARankThatDies_EndsTheJobInsteadOfHangingIt(string family)
    {
        var launcher = Find(family);
        var (exit, output, errors) = Finished(launcher.Run(3, "die"));
        Assert.True(exit != 0, $"the job reported success\n{output}\n{errors}");
        Assert.Contains("rank 1: leaving without MPI_Finalize", errors, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void ProcessesThatDisagree_AreToldWhichParameterDiffers()
    {
        var launcher = Find("Open MPI");
        var (exit, output, errors) = Finished(launcher.Run(3, "diverge"));
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        for (var rank = 0; rank < 3; rank++)
        {
            Assert.Contains($"rank {rank}: The processes' parameters differ after 0 steps: W2 is not the same on every process", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WithoutAnMpiLibrary_TheErrorSaysWhatToInstall()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Launcher.Ranks, "collectives"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["BACKPROP_MPI_LIBRARY"] = Path.Combine(_folder, "libmpi-not-here.so");
        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("No MPI library could be loaded (tried " + start.Environment["BACKPROP_MPI_LIBRARY"] + ")", errors, StringComparison.Ordinal);
        Assert.Contains("BACKPROP_MPI_LIBRARY names a file that is not there", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(128, 2)]
    [InlineData(10, 3)]
    [InlineData(7, 3)]
    [InlineData(2, 3)]
    [InlineData(0, 4)]
    public void Shares_CoverTheBatchOnceAndDifferByAtMostOneRow(int rows, int processes)
    {
        var shares = Enumerable.Range(0, processes).Select(rank => DataParallel.Share(rows, rank, processes)).ToArray();
        Assert.Equal(0, shares[0].Start);
        for (var rank = 1; rank < processes; rank++)
        {
            Assert.Equal(shares[rank - 1].Start + shares[rank - 1].Count, shares[rank].Start);
        }

        Assert.Equal(rows, shares.Sum(s => s.Count));
        Assert.True(shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1);
    }

    private static Launcher Find(string family)
    {
        var launcher = family switch
        {
            "MPICH" => Launcher.Mpich(),
            "Open MPI over TCP" => Launcher.OpenMpi()?.OverTcp(),
            _ => Launcher.OpenMpi(),
        };
        Skip.If(launcher is null, $"{family}: {Launcher.Missing}");
        return launcher;
    }

    private static (int Exit, string Output, string Errors) Finished((int Exit, string Output, string Errors)? run) =>
        run ?? throw new TimeoutException($"The job did not end within {Launcher.Watchdog.TotalSeconds:F0} s and was killed: a collective is waiting for a process that will not come.");

    private static (double Loss, float[] Values) Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var loss = reader.ReadDouble();
        var values = new float[(reader.BaseStream.Length - 8) / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return (loss, values);
    }
}
