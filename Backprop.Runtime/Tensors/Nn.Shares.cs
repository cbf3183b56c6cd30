using System;

namespace Backprop;

public static partial class Nn
{
    /// <summary>
    /// Into how many shares an operation over <paramref name="items"/> independent items (images, channels, planes)
    /// splits: one per core it may use (<see cref="Gemm.MaxThreads"/>), no more than there are items, and one when its
    /// <paramref name="work"/> (multiply-adds, or values visited) is under about two million — below that, handing work to
    /// another thread costs more than it saves.
    /// </summary>
    private static int Shares(int items, long work) =>
        work < ShareThreshold ? 1 : Math.Clamp(Math.Min(Gemm.MaxThreads, Environment.ProcessorCount), 1, Math.Max(1, items));

    /// <summary>The work under which an operation over independent items runs on one thread (<see cref="Shares"/>).</summary>
    private const long ShareThreshold = 1L << 21;

    /// <summary>
    /// Runs <paramref name="body"/>(state, share, first, end) over <paramref name="shares"/> consecutive ranges of the items (a
    /// count from <see cref="Shares"/>, taken once by the caller, who may size per-share scratch by it), the shares in
    /// parallel (on the calling thread alone when there is one). Each share must touch only its items.
    /// </summary>
    /// <remarks>
    /// The body is a static lambda and what it reads comes in <paramref name="state"/> (a tuple): with one share nothing is
    /// allocated — a lambda that captured its variables would cost a closure on every call, also a warm one (and so would
    /// a lambda here: C# makes a method's closure as the method starts, whichever branch it then takes).
    /// </remarks>
    private static void ForEachShare<TState>(int items, int shares, TState state, Action<TState, int, int, int> body)
    {
        if (shares == 1)
        {
            body(state, 0, 0, items);
            return;
        }

        InParallel(items, shares, state, body);
    }

    /// <summary>The shares of <see cref="ForEachShare"/> on the thread pool; apart, so that its closure is made only here.</summary>
    private static void InParallel<TState>(int items, int shares, TState state, Action<TState, int, int, int> body) =>
        System.Threading.Tasks.Parallel.For(0, shares, share => body(state, share, share * items / shares, (share + 1) * items / shares));
}
