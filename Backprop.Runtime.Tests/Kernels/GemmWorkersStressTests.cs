using System;
using System.Diagnostics;
using System.Threading;
using Backprop.Kernels.Gemm;
using Backprop.Runtime.Tests.Infrastructure;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>
/// The helper-thread handshake under stress: products split across cores, separated by random gaps aimed at the
/// helper's spin window (where it decides to sleep), from two caller threads at once, under a watchdog. A lost
/// wake-up shows as a caller that never returns; the watchdog turns it into a failure instead of a hung CI run.
/// </summary>
[Collection(GemmThreadsCollection.Name)]
public sealed class GemmWorkersStressTests
{
    private const int Products = 3000;
    private static readonly TimeSpan s_stall = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_cap = TimeSpan.FromMinutes(15);

    [SkippableFact]
    public void SplitProducts_WithGapsAroundTheSpinWindow_AllFinish()
    {
        Skip.If(Environment.ProcessorCount < 2 || Gemm.MaxThreads < 2, "One core: products never reach the helper threads.");

        var window = GemmWorkers.SpinWindow;
        Exception? failure = null;
        var completed = new int[2];
        var callers = new Thread[2];
        for (var t = 0; t < callers.Length; t++)
        {
            var caller = t;
            callers[t] = new Thread(() =>
            {
                try
                {
                    Drive(new Random(1000 + caller), window, completed, caller);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }) { IsBackground = true, Name = $"stress caller {caller}" };
            callers[t].Start();
        }

        // A lost wake-up stops a caller for ever; a loaded machine only slows both. So the watchdog fails when no product
        // has finished for a whole minute (CI once ran this beside two other builds with AVX2 off: 2,955 of 3,000 done
        // after two minutes, still moving), and gives up on a run that is merely slow only after fifteen.
        var sinceProgress = Stopwatch.StartNew();
        var overall = Stopwatch.StartNew();
        var lastDone = -1;
        while (Array.Exists(callers, c => c.IsAlive))
        {
            callers[0].Join(TimeSpan.FromMilliseconds(200));
            var done = Volatile.Read(ref completed[0]) + Volatile.Read(ref completed[1]);
            if (done != lastDone)
            {
                lastDone = done;
                sinceProgress.Restart();
            }

            Assert.True(sinceProgress.Elapsed < s_stall,
                $"No GEMM product finished for {s_stall.TotalSeconds} s ({Volatile.Read(ref completed[0])} and {Volatile.Read(ref completed[1])} of {Products} products done): a lost wake-up between a caller and a helper thread.");
            Assert.True(overall.Elapsed < s_cap, $"The stress run took over {s_cap.TotalMinutes} minutes while still progressing ({done} of {2 * Products} products): the machine is too loaded to judge.");
        }

        Assert.Null(failure);
        Assert.Equal([Products, Products], completed);
    }

    /// <summary>Runs products large enough to be split, each followed by a gap of 0 to 2.5 spin windows, half of them at the window's edge; checks one result in 50.</summary>
    private static void Drive(Random random, TimeSpan window, int[] completed, int caller)
    {
        const int m = 128, n = 128, k = 512; // 8.4 M multiply-adds: at the parallel threshold, so split
        Assert.True((long)m * n * k >= GemmBlocking.ParallelThreshold);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = (float)random.NextDouble();
        }

        for (var i = 0; i < b.Length; i++)
        {
            b[i] = (float)random.NextDouble();
        }

        var expected = new float[m * n];
        Gemm.Multiply(GemmPath.Scalar, a, b, expected, m, n, k, false, false, 1f, 0f, allowParallel: false);
        for (var product = 0; product < Products; product++)
        {
            Gemm.Multiply(a, b, c, m, n, k);
            Volatile.Write(ref completed[caller], product + 1);
            if (product % 50 == 0)
            {
                for (var i = 0; i < c.Length; i++)
                {
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-3f * k, $"product {product}: C[{i}] = {c[i]}, expected {expected[i]}");
                }
            }

            // Half the gaps land within ±5% of the spin window, where the helper decides to sleep just as the next product is posted.
            var scale = random.NextDouble() < 0.5 ? 0.95 + (random.NextDouble() * 0.1) : random.NextDouble() * 2.5;
            Gap(TimeSpan.FromTicks((long)(window.Ticks * scale)));
        }
    }

    private static void Gap(TimeSpan length)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < length)
        {
            Thread.SpinWait(10);
        }
    }
}
