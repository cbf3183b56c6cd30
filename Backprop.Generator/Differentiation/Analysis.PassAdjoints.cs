using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Local arrays that each pass of a loop fills before reading and reads last in a loop over every element (issue 14):
/// going back through a pass, that loop is the first to add into the array's adjoint, one element an iteration, so its
/// contributions can set the elements (<c>dq[i] = …</c>) instead of adding to them, and the fill's takes need not clear
/// them for the next pass — the adjoint holds the pass before's values, which nothing reads. ADBench GMM's
/// <c>xCentered</c> and <c>qxCentered</c> per component were two stores of zero per element, read back by the next
/// component: without them a copy of the generated gradient took 4–7 % less time than the unchanged one beside it on
/// Zen 3 (the whole benchmark moved by less than its runs' noise).
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>Per array, the loop whose pass reads it last (going back, it sets the adjoint's elements first).</summary>
    public Dictionary<string, StagedLoop> PassReaders { get; } = [];

    /// <summary>Per fill's write gate, the array whose adjoint its take leaves as is, once <see cref="PassReaders"/>' loop sets it.</summary>
    public Dictionary<Gate, string> PassFills { get; } = [];

    /// <summary>
    /// Finds <see cref="PassReaders"/> and <see cref="PassFills"/>: an array made once at the top level, with every other
    /// use in one loop L (the innermost loop holding them all), L's body with no break, continue or return, whose first
    /// statement touching the array fills it whole (a loop from 0 up to its length writing element <c>[i]</c> before any
    /// read) and whose last touching it is a loop R from 0 up to its length that reads only element <c>[i]</c> of it, in
    /// gates that call nothing, and writes none. Going back through a pass, R's backward is the first to touch the adjoint
    /// and adds into each element once an iteration (in the same statement, or through the local a loop inside sums in);
    /// the fill's backward takes each element last.
    /// </summary>
    private void FindPassAdjoints(List<Staged> body)
    {
        var made = body.OfType<Gate>().Where(g => g is { Value: NewArrayExpr, Target: VariableExpr } && AssignCount[g.TargetName] == 1);
        foreach (var gate in made)
        {
            var array = gate.TargetName;
            var length = ((NewArrayExpr)gate.Value!).Length;
            if (InnermostLoopUsing(body.Where(s => s != gate).ToList(), array) is not { } loop || HasExit(loop.Body))
            {
                continue;
            }

            var touching = loop.Body.Where(s => Touches(s, array)).ToList();
            if (touching[0] is not StagedLoop fill || FillsWholeAsMade(fill, array, length) is not { } write
                || touching[touching.Count - 1] is not StagedLoop reader || !ReadsEachElementOnce(reader, array))
            {
                continue;
            }

            PassReaders[array] = reader;
            PassFills[write] = array;
        }
    }

    /// <summary>
    /// The innermost loop that holds every statement of <paramref name="statements"/> touching <paramref name="array"/>,
    /// when they are all in one loop, its body holds two or more of them and no condition or bound on the way reads it;
    /// else null.
    /// </summary>
    private static StagedLoop? InnermostLoopUsing(List<Staged> statements, string array)
    {
        StagedLoop? loop = null;
        while (true)
        {
            var touching = statements.Where(s => Touches(s, array)).ToList();
            if (loop is not null && touching.Count >= 2)
            {
                return loop;
            }

            if (touching.Count != 1 || touching[0] is not StagedLoop inner
                || Stager.ValuesRead(inner.Condition).Concat(inner.Counted is { } c ? Stager.ValuesRead(c.Start).Concat(Stager.ValuesRead(c.Bound)) : []).Contains(array))
            {
                return null;
            }

            loop = inner;
            statements = inner.Body;
        }
    }

    /// <summary>
    /// True when <paramref name="reader"/> counts i from 0 up to the array's length, never assigns i, and every gate in it
    /// that reads the array reads only element <c>[i]</c> and calls nothing, none writes it and no condition reads it.
    /// </summary>
    private bool ReadsEachElementOnce(StagedLoop reader, string array) =>
        reader.Counted is { Start: LiteralExpr { Text: "0" }, Comparison: BinaryOp.LessThan, Ascending: true, Bound: var bound, Variable: var i }
        && Covers(bound, array)
        && !AssignedIn(reader.Body).Contains(i)
        && GatesIn(reader.Body).All(g => g.TargetName != array && (!Reads(g).Contains(array) || ReadsOnlyElement(g, array, i)))
        && !ConditionsIn(reader.Body).SelectMany(Stager.ValuesRead).Contains(array);
}
