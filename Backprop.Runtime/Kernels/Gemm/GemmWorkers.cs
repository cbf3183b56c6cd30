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

    /// <summary>
    /// One helper thread and its mailbox. The caller and the helper meet on ONE variable, <see cref="_state"/>, changed
    /// only by interlocked operations where the two sides race, so no wake-up can be lost.
    /// </summary>
    /// <remarks>
    /// Memory-ordering argument. States: <c>Idle</c> (no job), <c>Posted</c> (a job waits), <c>Sleeping</c> (the
    /// helper is, or is about to be, blocked on the semaphore). Only <see cref="Post"/> moves the state to
    /// <c>Posted</c>, with <see cref="Interlocked.Exchange(ref int, int)"/>; only the helper moves it from <c>Idle</c> to
    /// <c>Sleeping</c>, with <see cref="Interlocked.CompareExchange(ref int, int, int)"/>. Both are atomic
    /// read-modify-writes of the same location, so they are totally ordered: either the exchange comes first (the
    /// helper's compare-exchange then fails, sees <c>Posted</c> and runs the job without sleeping) or the
    /// compare-exchange comes first (the exchange then returns <c>Sleeping</c> and the caller releases the semaphore,
    /// whose count survives even if the helper has not reached <c>Wait</c> yet). The old design used two variables
    /// (a Dekker pair) with a release-only store on the helper's side, which x86 may reorder after the following
    /// load: both sides could miss each other and the caller spun for ever (issue #9).
    /// The job fields are written before the exchange (a full fence) and read after the helper observes
    /// <c>Posted</c> with an acquire read; the result (<see cref="_failure"/>) is written before the release store of
    /// <see cref="_done"/>, which the caller reads with an acquire read. The helper sets <c>Idle</c> before running
    /// the job, and the caller posts the next job only after it has seen <see cref="_done"/>, so <c>Idle</c> never
    /// overwrites a later <c>Posted</c>.
    /// </remarks>
    private sealed class Worker
    {
        private const int Idle = 0;
        private const int Posted = 1;
        private const int Sleeping = 2;

        private readonly SemaphoreSlim _wake = new(0);
        private Job _job;
        private int _state;
        private volatile int _done;
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
            if (Interlocked.Exchange(ref _state, Posted) == Sleeping)
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
                WaitForJob();
                Volatile.Write(ref _state, Idle);
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

        /// <summary>Spins a short while for the next job (training posts them back to back), then sleeps until one is posted.</summary>
        private void WaitForJob()
        {
            var started = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _state) != Posted)
            {
                if (Stopwatch.GetTimestamp() - started < s_spinTicks)
                {
                    Thread.SpinWait(20);
                    continue;
                }

                if (Interlocked.CompareExchange(ref _state, Sleeping, Idle) == Idle)
                {
                    // Only Post leaves Sleeping, and it releases the semaphore when it does: after this wait the state is Posted.
                    _wake.Wait();
                    return;
                }
            }
        }
    }

    /// <summary>Test hook: how long an idle helper spins before it sleeps, so stress tests can aim gaps at the boundary.</summary>
    internal static TimeSpan SpinWindow => TimeSpan.FromSeconds((double)s_spinTicks / Stopwatch.Frequency);
}
