using System;
using Backprop;
using Backprop.Distributed;
using Backprop.Distributed.Mpi;

namespace FashionMnist;

/// <summary>
/// A sample's program run alone, or with <c>--distributed</c> as one process of an MPI job (started by <c>mpirun</c> or
/// <c>mpiexec</c>): MPI started before and finalised after, and a failure that only one process sees turned into the end
/// of the whole job, so that the others are never left waiting in their next allreduce.
/// </summary>
public static class DistributedMain
{
    /// <summary>
    /// Runs <paramref name="train"/> (given the job, or null alone) and returns its exit code. With
    /// <paramref name="distributed"/>, a missing MPI library is reported (what to install) with exit code 1; an exit code
    /// other than 0 or an exception on any process ends every process of the job (<c>MPI_Abort</c>).
    /// </summary>
    public static int Run(bool distributed, Func<MpiWorld?, int> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!distributed)
        {
            return train(null);
        }

        MpiWorld world;
        try
        {
            world = MpiWorld.Start();
        }
        catch (Exception e) when (e is MpiNotFoundException or MpiException)
        {
            Console.Error.WriteLine($"--distributed: {e.Message}");
            return 1;
        }

        int exitCode;
        try
        {
            exitCode = train(world);
        }
        catch (Exception e) when (world.Size > 1)
        {
            Console.Error.WriteLine($"rank {world.Rank} of {world.Size}: {e}");
            world.Abort(1);
            throw;
        }

        if (exitCode != 0 && world.Size > 1)
        {
            world.Abort(exitCode); // a failure one process saw (rank 0's checkpoint) must not leave the others waiting
        }

        world.Dispose();
        return exitCode;
    }

    /// <summary>The threads a matrix product may use: <paramref name="requested"/>, or the machine's cores shared among the job's processes on it.</summary>
    public static int Threads(int? requested, MpiWorld? world) => requested ?? Math.Max(1, Environment.ProcessorCount / (world?.LocalSize ?? 1));

    /// <summary>What rank 0 says of the job before training.</summary>
    public static string Describe(DataParallel parallel, MiniBatches batches)
    {
        ArgumentNullException.ThrowIfNull(parallel);
        ArgumentNullException.ThrowIfNull(batches);
        var world = parallel.World;
        if (world.Size == 1)
        {
            return $"Distributed: this job has one process ({world.Library}): start several with mpirun -np N (or mpiexec -n N). It trains as without --distributed.";
        }

        var (_, share) = parallel.ShareOf(batches.BatchSize);
        return $"Distributed: {world.Size} processes ({world.Library}), {Gemm.MaxThreads} {(Gemm.MaxThreads == 1 ? "thread" : "threads")} each; a batch of {batches.BatchSize} is {world.Size} shares of about {share}, whose gradients are summed with one allreduce of {parallel.Values:N0} values a step.";
    }
}
