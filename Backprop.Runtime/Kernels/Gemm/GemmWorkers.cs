using System;
using System.Diagnostics;
using System.Threading;

namespace Backprop.Kernels.Gemm;

/// <summary>
/// Persistent helper threads for splitting one GEMM across cores without allocating: a call posts each helper its
/// share (plain fields, no delegate), runs the first share itself and spins until the helpers are done. A helper
/// spins a short while for the next job — training issues products back to back — then sleeps on a semaphore.
/// One caller at a time uses the helpers; a concurrent caller runs on its own thread instead. Long element-wise passes
/// (an optimizer's update of a large parameter) use the same threads through <see cref="TryFor"/>.
/// </summary>
internal static class GemmWorkers
{
    /// <summary>How long an idle helper spins before it sleeps: longer than the gap between a step's products.</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 2000;

    private static readonly object s_gate = new();
    private static Worker[] s_workers = [];

    /// <summary>
    /// A share of one product: the rows or columns [Start, End) of C; or, when <see cref="Claimed"/> is set, the same job
    /// for every thread, which takes its work as it goes (<see cref="RunClaimed"/>).
    /// </summary>
    internal struct Job
    {
        public GemmPath Path;
        public unsafe float* A;
        public unsafe float* B;
        public unsafe float* C;
        public int ALength, BLength, CLength, Lda, Ldb, N, M, K, Start, End;
        public bool TransposeA, TransposeB, SplitColumns;
        public float Alpha;

        /// <summary>Where the threads of a claimed product meet: the columns (or rows) of C taken so far.</summary>
        public unsafe int* Claimed;

        /// <summary>Threads running a claimed product.</summary>
        public int Threads;

        /// <summary>Or, not a product: elements [Start, End) of an element-wise pass, given its context (<see cref="TryFor"/>).</summary>
        public unsafe delegate*<nint, int, int, void> Work;
        public nint Context;

        public readonly unsafe void Run()
        {
            if (Work is not null)
            {
                Work(Context, Start, End);
                return;
            }

            var a = new ReadOnlySpan<float>(A, ALength);
            var b = new ReadOnlySpan<float>(B, BLength);
            var c = new Span<float>(C, CLength);
            if (Claimed is not null)
            {
                RunClaimed(a, b, c);
                return;
            }

            if (SplitColumns)
            {
                Backprop.Gemm.Blocks(Path, a, Lda, TransposeA, b, Ldb, TransposeB, c, N, 0, M, Start, End, K, Alpha);
            }
            else
            {
                Backprop.Gemm.Blocks(Path, a, Lda, TransposeA, b, Ldb, TransposeB, c, N, Start, End, 0, N, K, Alpha);
            }
        }

        /// <summary>
        /// The next columns (or rows) of C for this thread: an equal share of what is left, in whole tiles — so the first
        /// claims are as large as equal shares would be (each thread's columns and panels stay in its own cache), and the
        /// shrinking last ones go to whichever thread is free, evening out when the threads finish. (extent, extent) when
        /// nothing is left.
        /// </summary>
        private readonly unsafe (int Start, int End) Claim(int extent, int tile)
        {
            while (true)
            {
                var start = Volatile.Read(ref *Claimed);
                if (start >= extent)
                {
                    return (extent, extent);
                }

                var end = Math.Min(extent, start + GemmBlocking.RoundUp(Math.Max(1, (extent - start) / Threads), tile));
                if (Interlocked.CompareExchange(ref *Claimed, end, start) == start)
                {
                    return (start, end);
                }
            }
        }

        /// <summary>
        /// The operand every thread reads (op(A) when C is split by columns, op(B) by rows) packed whole by this thread for
        /// itself, then columns (or rows) of C claimed as this thread finishes its last claim, until none is left: a core
        /// that runs slower (another tenant on its physical core, an efficiency core) or starts late takes less instead of
        /// holding the others back. Each thread packs its own copy rather than a share of one copy that all read: on an AMD
        /// EPYC Zen 5 reading panels another core had just written cost more than packing them again (128 × 784 × 256 on two
        /// threads 230 µs shared, 158–167 µs each packing its own; one thread 281–318 µs).
        /// </summary>
        private readonly unsafe void RunClaimed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
        {
            var left = SplitColumns;
            var (mr, nr) = GemmMicroKernel.TileOf(Path);
            var splitExtent = left ? N : M;
            var tile = left ? nr : mr;
            var (start, end) = Claim(splitExtent, tile);
            if (start == end)
            {
                return; // a thread that comes late finds nothing left, and packs nothing
            }

            using var operand = left ? PackedOperand.Left(a, M, K, TransposeA, Path) : PackedOperand.Right(b, K, N, TransposeB, Path);
            for (; start < end; (start, end) = Claim(splitExtent, tile))
            {
                if (left)
                {
                    Backprop.Gemm.Blocks(Path, default, 0, false, operand, b, Ldb, TransposeB, default, c, N, 0, M, start, end, K, Alpha);
                }
                else
                {
                    Backprop.Gemm.Blocks(Path, a, Lda, TransposeA, default, default, 0, false, operand, c, N, start, end, 0, N, K, Alpha);
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/>(context, start, end) over [0, count) in <paramref name="threads"/> equal ranges (whole
    /// multiples of <paramref name="align"/> elements, so no two threads write one cache line), the first on this thread;
    /// false when another thread holds the helpers, and the caller should run the whole pass itself.
    /// </summary>
    public static unsafe bool TryFor(delegate*<nint, int, int, void> work, nint context, int count, int threads, int align)
    {
        Span<Job> shares = stackalloc Job[threads];
        var blocks = (count + align - 1) / align;
        for (var i = 0; i < threads; i++)
        {
            shares[i] = new Job
            {
                Work = work, Context = context,
                Start = Math.Min(count, blocks * i / threads * align),
                End = Math.Min(count, blocks * (i + 1) / threads * align),
            };
        }

        return TryRun(shares);
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
                // A helper that has not taken its share yet (its core busy with something else, or still waking) gives it
                // back, and this thread runs it rather than waiting for that core: a shared product has nothing left
                // to run by then.
                if (s_workers[i - 1].TryRevoke())
                {
                    shares[i].Run();
                    continue;
                }

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
    /// <see cref="_done"/>, which the caller reads with an acquire read. The helper takes a job by compare-exchanging
    /// <c>Posted</c> to <c>Idle</c> before running it, and the caller may take a job back the same way
    /// (<see cref="TryRevoke"/>), so exactly one of them runs it; the caller posts the next job only after it has seen
    /// <see cref="_done"/> or taken the job back, so the helper's <c>Idle</c> never overwrites a later <c>Posted</c>. A
    /// helper that wakes to find its job taken back goes round again (spin, then sleep): the semaphore was released
    /// once for the one wait it returned from.
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

        /// <summary>
        /// Takes the posted job back if the helper has not taken it (true: the caller runs it); false when the helper has
        /// it, and the caller must <see cref="WaitDone"/>. The helper takes a job with the same compare-exchange, so
        /// exactly one side runs it.
        /// </summary>
        public bool TryRevoke() => Interlocked.CompareExchange(ref _state, Idle, Posted) == Posted;

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
                if (Interlocked.CompareExchange(ref _state, Idle, Posted) != Posted)
                {
                    continue; // the caller took the job back (TryRevoke) before this thread got to it
                }

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
                    // Only Post leaves Sleeping, and it releases the semaphore when it does: after this wait the state is Posted,
                    // or Idle again if the caller has since taken the job back.
                    _wake.Wait();
                    return;
                }
            }
        }
    }

    /// <summary>Test hook: how long an idle helper spins before it sleeps, so stress tests can aim gaps at the boundary.</summary>
    internal static TimeSpan SpinWindow => TimeSpan.FromSeconds((double)s_spinTicks / Stopwatch.Frequency);
}
