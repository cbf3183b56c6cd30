using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Scratch arrays that a loop fills afresh on each pass (issue 14: record only what is needed): each pass gets a row of
/// its own, so the values a pass overwrites — the pass before's — need not be kept, and going back a pass takes its row
/// again. GMM's <c>xCentered</c> and <c>qxCentered</c> per component were two saves and two restores per element.
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>Per loop, the arrays each of its passes takes a row of its own of (<see cref="IterationArray"/>).</summary>
    public Dictionary<StagedLoop, List<IterationArray>> IterationArrays { get; } = [];

    /// <summary>The arrays of <see cref="IterationArrays"/>, with the gate that makes each (the rows are made after it).</summary>
    public Dictionary<Gate, IterationArray> IterationArrayMade { get; } = [];

    /// <summary>
    /// Finds <see cref="IterationArrays"/>: an array made once at the top level with <c>new</c> (not on the stack), whose
    /// every use is in one counted loop L in the body of the loop whose iterations each go back right after they run (so a
    /// pass's rows are read back before the next outer pass writes them). L runs from 0 up to a bound that, like the
    /// array's length, reads only constants and parameters never assigned (the rows are made where the array is, each
    /// row on its first use inside L); L is gone back through from its bounds; and the first statement of L's body that
    /// touches the array is a loop from 0 up to the array's length writing element <c>[i]</c> once and reading only that
    /// element after writing it. Each pass then writes every element before it reads any: the value a write overwrites is
    /// an earlier pass's, in an earlier pass's row. That fill keeps nothing.
    /// </summary>
    private void FindIterationArrays(List<Staged> body)
    {
        if (EarlyReturns.Count > 0)
        {
            return; // locals are then declared at the top, as the jump to the backward pass skips declarations: not done for rows
        }

        var made = body.OfType<Gate>()
            .Where(g => g is { Value: NewArrayExpr { OnStack: false }, Target: VariableExpr } && AssignCount[g.TargetName] == 1 && BackwardReads.Contains(g.TargetName))
            .ToList();
        foreach (var gate in made)
        {
            var array = gate.TargetName;
            var created = (NewArrayExpr)gate.Value!;
            var length = created.Length;
            if (!ReadsOnlyFixedParameters(length) || LoopUsing(body, gate, array) is not { } loop
                || loop.Counted is not { Start: LiteralExpr { Text: "0" }, Comparison: BinaryOp.LessThan, Ascending: true, Bound: var count, Variable: var counter }
                || !RecountedLoops.Contains(loop) || !ReadsOnlyFixedParameters(count)
                || loop.Body.FirstOrDefault(s => Touches(s, array)) is not StagedLoop fill || FillsWhole(fill, array, length) is not { } write)
            {
                continue;
            }

            var rows = new IterationArray(array, created.ElementType, length, count, counter);
            if (!IterationArrays.TryGetValue(loop, out var arrays))
            {
                IterationArrays[loop] = arrays = [];
            }

            arrays.Add(rows);
            IterationArrayMade[gate] = rows;
            _freshWrites.Add(write);
        }
    }

    /// <summary>
    /// The one loop that uses <paramref name="array"/>, made by <paramref name="made"/>: a statement of the fused loop's
    /// body, with nothing else but the making gate touching the array; else null. (A loop at the top level would need a
    /// row for every pass until the backward sweep: as many rows as values a tape would keep, allocated on every call.)
    /// </summary>
    private StagedLoop? LoopUsing(List<Staged> body, Gate made, string array)
    {
        if (FusedLoop is null || Stager.ValuesRead(FusedLoop.Condition).Contains(array))
        {
            return null;
        }

        var places = body.Where(s => s != made)
            .SelectMany(s => s == FusedLoop ? FusedLoop.Body : [s])
            .Where(s => Touches(s, array))
            .ToList();
        return places.Count == 1 && places[0] is StagedLoop loop && FusedLoop.Body.Contains(loop) ? loop : null;
    }

    /// <summary>
    /// The gate of <paramref name="fill"/> — a loop of gates over i from 0 up to the array's length (as made, or
    /// <c>array.Length</c>) — that writes element <c>[i]</c> of the array, with no gate before it reading the array and
    /// those after it reading only element <c>[i]</c>; else null.
    /// </summary>
    private static Gate? FillsWhole(StagedLoop fill, string array, Expr length)
    {
        if (fill.Counted is not { Start: LiteralExpr { Text: "0" }, Comparison: BinaryOp.LessThan, Ascending: true, Bound: var bound, Variable: var i }
            || !(bound.Equals(length) || bound is LengthExpr { Array: var of } && of == array) || !fill.Body.All(s => s is Gate))
        {
            return null;
        }

        Gate? write = null;
        foreach (var gate in fill.Body.Cast<Gate>())
        {
            if (gate.Target is ElementExpr target && target.Array == array)
            {
                if (write is not null || gate.IsAccumulation || gate.Companion is not null || !IsCounter(target.Index, i) || Reads(gate).Contains(array))
                {
                    return null;
                }

                write = gate;
            }
            else if (Reads(gate).Contains(array) && (write is null || !ReadsOnlyElement(gate, array, i)))
            {
                return null;
            }
        }

        return write;
    }

    /// <summary>
    /// <see cref="FillsWhole"/>'s write gate, when the fill runs up to the array's length or up to the length it was made
    /// with and that length never changes; else null.
    /// </summary>
    private Gate? FillsWholeAsMade(StagedLoop fill, string array, Expr length) =>
        FillsWhole(fill, array, length) is { } write && (fill.Counted!.Bound is LengthExpr || Stager.ValuesRead(length).All(NeverChanges)) ? write : null;

    /// <summary>True when every read of <paramref name="array"/> in the gate is <c>array[counter]</c>, among its operands.</summary>
    private static bool ReadsOnlyElement(Gate gate, string array, string counter) =>
        gate.Call is null && gate.Value is null && (gate.Target is not ElementExpr target || !Stager.ValuesRead(target.Index).Contains(array))
        && gate.Operands.All(o => o is ElementExpr e && e.Array == array ? IsCounter(e.Index, counter) : !Stager.ValuesRead(o).Contains(array));

    internal static bool IsCounter(Expr index, string counter) => index is VariableExpr { Name: var name } && name == counter;

    /// <summary>True when <paramref name="expr"/> reads only constants and parameters that are never assigned.</summary>
    private bool ReadsOnlyFixedParameters(Expr expr) => Stager.Reads(expr).All(name => _parameters.Contains(name) && NeverChanges(name));
}

/// <summary>
/// A scratch array (<paramref name="Array"/>, of <paramref name="Length"/> elements) that each pass of the loop over
/// <paramref name="Counter"/> (<paramref name="Count"/> passes) fills afresh: each pass takes a row of its own.
/// </summary>
internal sealed record IterationArray(string Array, DataType ElementType, Expr Length, Expr Count, string Counter);
