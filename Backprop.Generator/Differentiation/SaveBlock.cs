using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// One loop's saves kept in one block of the tape (<c>Tape.PushDoubles</c>) instead of pushed one by one: the forward
/// loop writes them through a span, <c>keep[keepAt++] = v</c>, and the backward loop reads them back in reverse,
/// <c>v = kept[--keptAt]</c> — a push's and a pop's order, without the tape's bookkeeping on every value. Only for loops
/// whose iterations the backward loop counts again (<see cref="Analysis.SavesInBlock"/>): both ends know the block's size.
/// </summary>
internal sealed class SaveBlock(string keep, string keepAt, string kept, string keptAt)
{
    /// <summary>The forward sweep's span over the block and its write position.</summary>
    public string Keep { get; } = keep;

    public string KeepAt { get; } = keepAt;

    /// <summary>The backward sweep's span over the block and its read position.</summary>
    public string Kept { get; } = kept;

    public string KeptAt { get; } = keptAt;

    /// <summary>How many doubles each iteration saves: counted by the backward sweep, which is written first.</summary>
    public int PerIteration { get; set; }

    /// <summary>The number of iterations of a counted loop, from its start and bound (<see cref="Emit.SweepPrinter.Iterations"/> spells it).</summary>
    public static LoopIterations Iterations(StagedLoop loop)
    {
        var counted = loop.Counted!;
        var (from, to) = counted.Ascending ? (counted.Start, loop.Condition) : (loop.Condition, counted.Start);
        return new LoopIterations(from, to, Inclusive: counted.Comparison is BinaryOp.LessThanOrEqual or BinaryOp.GreaterThanOrEqual);
    }
}
