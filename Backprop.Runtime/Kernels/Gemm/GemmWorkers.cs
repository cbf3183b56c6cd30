using System;
using System.Diagnostics;
using System.Threading;

namespace Backprop.Kernels.Gemm;

/// <summary>
/// Persistent helper threads for splitting one GEMM across cores without allocating: a call posts each helper its
/// share (plain fields, no delegate), runs the first share itself and spins until the helpers are done. A helper
/// spins a short while for the next job — training issues products back to back — then sleeps on a semaphore.
/// One caller at a time uses the helpers; a concurrent caller runs on its own thread instead.
/// </summary>
internal static class GemmWorkers
{
    /// <summary>How long an idle helper spins before it sleeps: longer than the gap between a step's products.</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 2000;

    private static readonly object s_gate = new();
    private static Worker[] s_workers = [];

    /// <summary>A share of one product: the rows or columns [Start, End) of C.</summary>
    internal struct Job
    {
        public GemmPath Path;
        public unsafe float* A;
        public unsafe float* B;
        public unsafe float* C;
        public int ALength, BLength, CLength, Lda, Ldb, N, M, K, Start, End;
        public bool TransposeA, TransposeB, SplitColumns;
        public float Alpha;

        public readonly unsafe void Run()
        {
            var a = new ReadOnlySpan<float>(A, ALength);
            var b = new ReadOnlySpan<float>(B, BLength);
            var c = new Span<float>(C, CLength);
            if (SplitColumns)
            {
                Backprop.Gemm.Blocks(Path, a, Lda, TransposeA, b, Ldb, TransposeB, c, N, 0, M, Start, End, K, Alpha);
            }
            else
            {
                Backprop.Gemm.Blocks(Path, a, Lda, TransposeA, b, Ldb, TransposeB, c, N, Start, End, 0, N, K, Alpha);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="shares"/> (share 0 on this thread) and returns true; false when another thread holds the
    /// helpers, and the caller should run the whole product itself.
    /// </summary>
    public static bool TryRun(Span<Job> shares)
    {
        if (!Monitor.TryEnter(s_gate))
        {
            return false;
        }

        try
        {
            EnsureWorkers(shares.Length - 1);
            for (var i = 1; i < shares.Length; i++)
            {
                s_workers[i - 1].Post(shares[i]);
            }

            shares[0].Run();
            Exception? failure = null;
            for (var i = 1; i < shares.Length; i++)
            {
                failure ??= s_workers[i - 1].WaitDone();
            }

            if (failure is not null)
            {
                throw new InvalidOperationException("Gemm: a helper thread failed.", failure);
            }

            return true;
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count)
        {
            return;
        }

        var workers = new Worker[count];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (var i = s_workers.Length; i < count; i++)
        {
            workers[i] = new Worker(i + 1);
        }

        s_workers = workers;
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private Job _job;
        private volatile int _pending;
        private volatile int _done;
        private int _sleeping;
        private Exception? _failure;

        public Worker(int number)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Backprop GEMM helper {number}" };
            thread.Start();
        }

        public void Post(in Job job)
        {
            _job = job;
            _failure = null;
            _done = 0;
            _pending = 1;
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _wake.Release();
            }
        }

        public Exception? WaitDone()
        {
            var spinner = default(SpinWait);
            while (_done == 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            return _failure;
        }

        private void Loop()
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                while (_pending == 0)
                {
                    if (Stopwatch.GetTimestamp() - started < s_spinTicks)
                    {
                        Thread.SpinWait(20);
                        continue;
                    }

                    Volatile.Write(ref _sleeping, 1);
                    if (_pending == 0)
                    {
                        _wake.Wait();
                    }

                    Volatile.Write(ref _sleeping, 0);
                    started = Stopwatch.GetTimestamp();
                }

                _pending = 0;
                try
                {
                    _job.Run();
                }
                catch (Exception e)
                {
                    _failure = e;
                }

                _done = 1;
            }
        }
    }
}
