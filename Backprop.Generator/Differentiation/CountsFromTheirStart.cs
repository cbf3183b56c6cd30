using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// A count that the forward sweep sets before a loop nest (<c>lIndex = ik * icfSize + d;</c>) and steps inside it, whose
/// backward nest holds it in a local (<see cref="CountsInLocals"/>), is not kept on the tape when that nest can run forward:
/// the backward nest starts the local from the same expression (<c>int lIndexBack = ik * icfSize + d;</c>), runs its loops
/// in the forward order, and steps the count after each iteration as the forward loop did. The tape push before the
/// assignment and the pop after the nest go.
/// </summary>
/// <remarks>
/// Why: ADBench GMM's triangular Q·x is such a nest, run once per point and component: a push and a pop per pass, and a
/// descending walk through <c>icf</c>'s adjoint (Zen 3, AVX2: a copy of the generated gradient without them ran 2–5 %
/// faster at d ≥ 10). Tapenade's to-be-recorded analysis leaves such induction variables off the tape.
/// A backward nest runs forward only when its iterations commute: every step adds into an adjoint element or a sum
/// (or sets, once, an element indexed by its loop's counter), no adjoint or sum it writes is read in it, it keeps and
/// restores nothing, and the count is stepped back first thing in its loop's body (the forward loop stepped it last).
/// The count must be named nowhere else but in the forward nest that steps it. Only floating-point summation order changes.
/// </remarks>
internal static class CountsFromTheirStart
{
    /// <summary><paramref name="forward"/> and <paramref name="backward"/> with every such count started afresh instead of kept.</summary>
    public static (List<SweepStep> Forward, List<SweepStep> Backward) Apply(List<SweepStep> forward, List<SweepStep> backward, System.Func<string, bool> holdsOneValue)
    {
        var done = new HashSet<string>();
        while (Once(ref forward, ref backward, holdsOneValue, done))
        {
        }

        return (forward, backward);
    }

    /// <summary>Starts one count afresh (not one of <paramref name="done"/>); false when none is left that can be.</summary>
    private static bool Once(ref List<SweepStep> forward, ref List<SweepStep> backward, System.Func<string, bool> holdsOneValue, HashSet<string> done)
    {
        var keeps = new List<Keep>();
        FindKeeps(forward, [], keeps);
        FindKeeps(backward, [], keeps);
        foreach (var keep in keeps.GroupBy(k => k.Count).Where(g => g.Count() == 1 && !done.Contains(g.Key)).Select(g => g.Single()))
        {
            done.Add(keep.Count);
            var sites = new List<Site>();
            FindSites(forward, [], keep.Count, sites);
            FindSites(backward, [], keep.Count, sites);
            if (sites.Count != 1 || !Reversible(sites[0].Nest, sites[0].Local))
            {
                continue;
            }

            // The start must mean the same going back: constants, values that never change, counters of loops around both.
            var site = sites[0];
            if (keep.Start.Type != DataType.Int || !Stager.Reads(keep.Start).All(r => holdsOneValue(r) || (keep.Counters.Contains(r) && site.Counters.Contains(r))))
            {
                continue;
            }

            // Going back, only the site may read the count: nothing else waits for the tape to give it back. (The backward
            // nest names it only in the comments of its steps back: CountsInLocals renamed the rest.) The forward sweep
            // may: it never read what a pop gave back — the forward statements after a nest set the count before reading it.
            var allowed = new HashSet<SweepStep>(ByReference.Instance) { site.InLocal, site.Nest, site.Restore };
            if (NamedGoingBack(forward, keep.Count, allowed, goingBack: false) || NamedGoingBack(backward, keep.Count, allowed, goingBack: true))
            {
                continue;
            }

            var replacements = new Dictionary<SweepStep, SweepStep?>(ByReference.Instance)
            {
                [keep.Kept] = null,
                [site.InLocal] = new SweepCountFromStart(site.Local, site.Type, keep.Count, keep.Start),
                [site.Nest] = Reverse(site.Nest, site.Local),
                [site.Restore] = null,
            };
            forward = Replace(forward, replacements);
            backward = Replace(backward, replacements);
            return true;
        }

        return false;
    }

    /// <summary><c>Tape.Push(count); count = start;</c> right before the forward nest, with the counters of the loops around it.</summary>
    private sealed record Keep(string Count, Expr Start, SweepStep Kept, SweepStep Assign, SweepBlock Nest, List<string> Counters);

    /// <summary>Steps compared by reference: equal records at two places are two steps.</summary>
    private sealed class ByReference : IEqualityComparer<SweepStep>
    {
        public static readonly ByReference Instance = new();

        public bool Equals(SweepStep? x, SweepStep? y) => ReferenceEquals(x, y);

        public int GetHashCode(SweepStep obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    /// <summary>Where a backward nest holds a count in a local and the tape gives the count back after it.</summary>
    private sealed record Site(SweepCountInLocal InLocal, SweepBlock Nest, SweepRestore Restore, string Local, DataType Type, List<string> Counters);

    /// <summary><c>Tape.Push(count); count = start;</c> right before a loop: each count kept so, with the counters of the loops around it.</summary>
    private static void FindKeeps(IReadOnlyList<SweepStep> steps, List<string> counters, List<Keep> found)
    {
        for (var at = 0; at < steps.Count; at++)
        {
            if (steps[at] is SweepBlock block)
            {
                FindKeeps(block.Body, block.Header is ForHeader f ? [.. counters, f.Counter] : counters, found);
            }
            else if (steps[at] is SweepKeep { Place: KeepOnTape, Value: VariableExpr { Name: var count } } keep
                && at + 2 < steps.Count
                && steps[at + 1] is SweepAssign { Target: VariableExpr { Name: var assigned }, DeclaredType: null } assign && assigned == count
                && steps[at + 2] is SweepBlock { Header: ForHeader } nest)
            {
                found.Add(new Keep(count, assign.Value, keep, assign, nest, counters));
            }
        }
    }

    /// <summary><c>int local = count;</c>, a backward nest, then <c>count = Tape.Pop…();</c> (blank lines between).</summary>
    private static void FindSites(IReadOnlyList<SweepStep> steps, List<string> counters, string count, List<Site> found)
    {
        var meaningful = steps.Where(s => s is not SweepBlank).ToList();
        for (var at = 0; at < meaningful.Count; at++)
        {
            switch (meaningful[at])
            {
                case SweepBlock block:
                    FindSites(block.Body, InvariantIndices.Counter(block.Header) is { } counter ? [.. counters, counter] : counters, count, found);
                    break;
                case SweepCountInLocal inLocal when inLocal.Count == count && at + 2 < meaningful.Count
                    && meaningful[at + 1] is SweepBlock { Header: BackFromBoundHeader } nest
                    && meaningful[at + 2] is SweepRestore { Target: VariableExpr { Name: var restored }, Source: KeptOnTape, DeclaredType: null } restore
                    && restored == count:
                    found.Add(new Site(inLocal, nest, restore, inLocal.Local, inLocal.Type, counters));
                    break;
            }
        }
    }

    /// <summary>
    /// True when a step of the backward sweep — in <paramref name="steps"/> when <paramref name="goingBack"/>, else in a
    /// backward loop of a fused forward sweep — other than <paramref name="allowed"/> (and comments) names <paramref name="count"/>.
    /// </summary>
    private static bool NamedGoingBack(IEnumerable<SweepStep> steps, string count, HashSet<SweepStep> allowed, bool goingBack) => steps.Any(step => step switch
    {
        _ when allowed.Contains(step) => false,
        SweepGateComment or SweepBackwardOf or SweepBackwardOfChoice or SweepBlank => false,
        SweepBlock block when goingBack || CountsInLocals.IsBackwardLoop(block.Header) =>
            NamesHeld.AnyOf(new object?[] { block.Header, block.UpFront, block.DoWhile }, new HashSet<string> { count })
            || NamedGoingBack(block.Body, count, allowed, goingBack: true),
        SweepBlock block => NamedGoingBack(block.Body, count, allowed, goingBack),
        _ => goingBack && NamesHeld.AnyOf(step, new HashSet<string> { count }),
    });

    /// <summary>
    /// True when the nest's iterations commute: its loops are all back from their bounds, its steps add into adjoint
    /// elements and sums or set an element once, it reads nothing it writes, and <paramref name="local"/> is stepped back
    /// first thing in a loop's body and nowhere else.
    /// </summary>
    private static bool Reversible(SweepBlock nest, string local)
    {
        var written = new HashSet<string>();
        var privates = new HashSet<string>();
        var steps = new List<SweepStep>();
        var sets = new List<(string Array, Expr Index, string Counter)>();
        bool Walk(SweepBlock block)
        {
            if (block.Header is not BackFromBoundHeader header || block.DoWhile is not null)
            {
                return false;
            }

            var first = true;
            foreach (var step in block.UpFront.Concat(block.Body))
            {
                switch (step)
                {
                    case SweepBlank or SweepGateComment or SweepBackwardOf or SweepContributedBelow:
                        continue;
                    case SweepDeclareZero zero:
                        privates.Add(zero.Name); // a sum of the iteration, declared in it
                        continue;
                    case SweepBlock inner:
                        if (!Walk(inner))
                        {
                            return false;
                        }

                        first = false;
                        continue; // its steps are walked, not the block
                    case SweepUndoCount undo when undo.Name == local:
                        if (!first)
                        {
                            return false;
                        }

                        break;
                    case SweepContribute { Declare: true, Adjoint: VariableExpr local2 }:
                        privates.Add(local2.Name); // a local of the iteration
                        break;
                    case SweepContribute contribute when Target(contribute.Adjoint) is { } target:
                        written.Add(target);
                        if (contribute.Sets)
                        {
                            sets.Add((target, Index(contribute.Adjoint)!, header.Counter));
                        }

                        break;
                    case SweepAddLocal add when Target(add.Target) is { } target:
                        written.Add(target);
                        if (add.Sets)
                        {
                            sets.Add((target, Index(add.Target)!, header.Counter));
                        }

                        break;
                    default:
                        return false;
                }

                steps.Add(step);
                first = false;
            }

            return true;
        }

        if (!Walk(nest))
        {
            return false;
        }

        // A set element must be the only write into its array, at its own loop's counter: each iteration sets its own.
        if (sets.Any(s => s.Index is not VariableExpr { Name: var i } || i != s.Counter))
        {
            return false;
        }

        var setArrays = new HashSet<string>(sets.Select(s => s.Array));
        var writesIntoSet = steps.Count(s => (s is SweepContribute c && Target(c.Adjoint) is { } t && setArrays.Contains(t)) || (s is SweepAddLocal a && Target(a.Target) is { } u && setArrays.Contains(u)));
        if (writesIntoSet != sets.Count)
        {
            return false;
        }

        // Nothing shared that is written is read (the iteration's own sums and locals excepted).
        written.ExceptWith(privates);
        return steps.All(step => !NamesHeld.AnyOf(Reads(step), written));
    }

    /// <summary>What a step reads: all it names but the adjoint it adds into (whose index it does read).</summary>
    private static object Reads(SweepStep step) => step switch
    {
        SweepContribute contribute => new object?[] { Index(contribute.Adjoint), contribute.Terms, contribute.Gate, contribute.Earlier is null ? null : Reads(contribute.Earlier) },
        SweepAddLocal add => new object?[] { Index(add.Target), add.Local },
        SweepDeclareZero => System.Array.Empty<object>(),
        _ => step,
    };

    private static Expr? Index(Expr target) => target is ElementExpr element ? element.Index : null;

    private static string? Target(Expr adjoint) => adjoint switch
    {
        ElementExpr element => element.Array,
        VariableExpr variable => variable.Name,
        _ => null,
    };

    /// <summary>The nest with its loops run forward and the count stepped at the end of each body, the other way.</summary>
    private static SweepBlock Reverse(SweepBlock block, string local)
    {
        var header = (BackFromBoundHeader)block.Header;
        var ascending = header.Comparison is BinaryOp.LessThan or BinaryOp.LessThanOrEqual;
        var body = new List<SweepStep>();
        SweepRedoCount? redo = null;
        foreach (var step in block.Body)
        {
            switch (step)
            {
                case SweepUndoCount undo when undo.Name == local:
                    redo = new SweepRedoCount(undo.Name, undo.Adds, undo.By, undo.Gate);
                    break;
                case SweepBlock inner:
                    body.Add(Reverse(inner, local));
                    break;
                default:
                    body.Add(step);
                    break;
            }
        }

        if (redo is not null)
        {
            while (body.Count > 0 && body[body.Count - 1] is SweepBlank)
            {
                body.RemoveAt(body.Count - 1);
            }

            body.Add(redo);
        }

        return new SweepBlock(new ForHeader(header.Counter, header.Start, header.Comparison, header.Bound, ascending), body.ToEquatableArray(), block.UpFront);
    }

    private static List<SweepStep> Replace(IEnumerable<SweepStep> steps, Dictionary<SweepStep, SweepStep?> replacements)
    {
        var result = new List<SweepStep>();
        foreach (var step in steps)
        {
            if (replacements.TryGetValue(step, out var replacement))
            {
                if (replacement is not null)
                {
                    result.Add(replacement);
                }
            }
            else
            {
                result.Add(step is SweepBlock block ? block with { Body = Replace(block.Body, replacements).ToEquatableArray() } : step);
            }
        }

        return result;
    }
}
