using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// A Jacobian's rows (<see cref="RowsPullback"/>): going back, the first contribution into each element of an input's
/// adjoint — its piece of the row — sets the element instead of adding into it, so the rows need not be cleared first
/// when every pass surely sets every element (the caller still clears them when an input is longer than the elements
/// every pass sets, or when some input has none surely set). A contribution sets when nothing before
/// it in the pass, on any path, touched its element: an element at a constant index (<c>dcam[8]</c>), a scalar input's
/// adjoint (<c>dw</c>), or <c>[counter + k]</c> in a loop over constant bounds whose body touches no other element of the
/// adjoint (each pass of it the first into its own element). An if and its else are followed apart and met after: an
/// element is surely set when both arms set it. Whatever else touches an adjoint (a call, an element at an index not
/// known) ends the rule for it: later contributions add, as they did.
/// </summary>
/// <remarks>
/// ADBench BA's 2 × 15 blocks: every column set by its first contribution, the block no longer cleared (on Zen 3, AVX2,
/// a copy of the generated code beside the unchanged one: 2–4 % less time; <c>ba-rounds</c> 1.11–1.13 → 1.08–1.10 ×
/// Manual). Clearing what may not be set inside the row loop instead (<c>dcam.Slice(11).Clear()</c>) cost 5 %: the JIT
/// keeps a span in memory once it is sliced and cleared.
/// </remarks>
internal static class RowFirstWrites
{
    /// <summary>
    /// The backward sweep of <paramref name="plan"/> with the first contributions into <paramref name="inputs"/>' adjoints
    /// setting, and, per input in order, how many of its first elements every pass surely sets (1 for a scalar set, 0
    /// when none is); null when no contribution sets (the rows are cleared whole, as before).
    /// </summary>
    public static (PullbackPlan Plan, EquatableArray<int> SurelySet)? Apply(PullbackPlan plan, IReadOnlyList<ParameterModel> inputs)
    {
        var state = new State(inputs.Select(p => p.GradientName!));
        var changed = false;
        var backward = Walk(plan.Sweeps.Backward, state, ref changed);
        if (!changed)
        {
            return null;
        }

        var surely = inputs.Select(p => p.Shape == ParameterShape.Scalar
            ? state.Sure[p.GradientName!].Contains(0) ? 1 : 0
            : Prefix(state.Sure[p.GradientName!])).ToEquatableArray();
        return (plan with { Sweeps = plan.Sweeps with { Backward = backward } }, surely);
    }

    /// <summary>How many elements from the first are in <paramref name="set"/> without a gap.</summary>
    private static int Prefix(HashSet<int> set)
    {
        var count = 0;
        while (set.Contains(count))
        {
            count++;
        }

        return count;
    }

    private static EquatableArray<SweepStep> Walk(EquatableArray<SweepStep> steps, State state, ref bool changed)
    {
        var result = new List<SweepStep>(steps.Count);
        for (var at = 0; at < steps.Count; at++)
        {
            var step = steps[at];
            if (step is SweepBlock { Header: IfHeader } then && !state.NamedIn(then.Header, then.UpFront))
            {
                var elseBlock = at + 1 < steps.Count && steps[at + 1] is SweepBlock { Header: ElseHeader } e && !state.NamedIn(e.UpFront) ? e : null;
                var thenState = state.Copy();
                result.Add(then with { Body = Walk(then.Body, thenState, ref changed) });
                var elseState = state.Copy();
                if (elseBlock is not null)
                {
                    result.Add(elseBlock with { Body = Walk(elseBlock.Body, elseState, ref changed) });
                    at++;
                }

                state.Meet(thenState, elseState);
                continue;
            }

            if (step is SweepBlock { Header: IterationHeader } iteration && !state.NamedIn(iteration.UpFront))
            {
                result.Add(iteration with { Body = Walk(iteration.Body, state, ref changed) }); // an unrolled iteration runs once, in line
                continue;
            }

            if (step is SweepBlock { Header: BackFromBoundHeader header } loop && Range(header) is { } range && !state.NamedIn(loop.UpFront))
            {
                result.Add(Loop(loop, header.Counter, range, state, ref changed));
                continue;
            }

            result.Add(Straight(step, state, ref changed));
        }

        return result.ToEquatableArray();
    }

    /// <summary>A step outside any block this rule follows: a first contribution sets; any other touch ends the rule for what it names.</summary>
    private static SweepStep Straight(SweepStep step, State state, ref bool changed)
    {
        if (IsComment(step))
        {
            return step;
        }

        if (Target(step) is var (adjoint, index) && state.Tracks(adjoint) && !state.NamedIn(Reads(step)) && Constant(index) is { } element)
        {
            if (state.Untouched(adjoint, element))
            {
                state.Set(adjoint, element);
                changed = true;
                return Setting(step);
            }

            state.Touch(adjoint, element);
            return step;
        }

        state.TouchAll(step);
        return step;
    }

    /// <summary>
    /// A loop over constant bounds whose body's first touch of an adjoint, at the body's own level, is a contribution into
    /// <c>[counter + k]</c>, and whose other touches of it are into that element too: that contribution sets, when no
    /// element the loop reaches was touched before it.
    /// </summary>
    private static SweepBlock Loop(SweepBlock loop, string counter, (int First, int Last) range, State state, ref bool changed)
    {
        var body = loop.Body.ToList();
        var settled = new HashSet<string>();
        var followed = new HashSet<string>();
        for (var at = 0; at < body.Count; at++)
        {
            if (Target(body[at]) is not var (adjoint, index) || !state.Tracks(adjoint) || settled.Contains(adjoint))
            {
                continue;
            }

            settled.Add(adjoint);
            var name = new HashSet<string> { adjoint };
            var touchedBefore = body.Take(at).Any(s => !IsComment(s) && NamesHeld.AnyOf(s, name));
            var onlyThisElement = body.Skip(at + 1).All(s => IsComment(s) || !NamesHeld.AnyOf(s, name) || Target(s) is var (other, same) && other == adjoint && Equals(same, index) && !NamesHeld.AnyOf(Reads(s), name));
            var elements = Offset(index, counter) is { } k ? Enumerable.Range(range.First + k, range.Last - range.First + 1).ToList() : null;
            if (!touchedBefore && onlyThisElement && !NamesHeld.AnyOf(Reads(body[at]), name) && elements is not null && elements.All(e => e >= 0))
            {
                // The loop touches these elements and no other: the first contribution sets them if nothing touched them before.
                followed.Add(adjoint);
                var sets = elements.All(e => state.Untouched(adjoint, e));
                if (sets)
                {
                    body[at] = Setting(body[at]);
                    changed = true;
                }

                foreach (var element in elements)
                {
                    if (sets)
                    {
                        state.Set(adjoint, element);
                    }
                    else
                    {
                        state.Touch(adjoint, element);
                    }
                }
            }
        }

        // Every adjoint the body names that this rule could not follow is touched throughout.
        state.TouchAll(body.Where(s => !IsComment(s)).ToList(), except: followed);

        return loop with { Body = body.ToEquatableArray() };
    }

    /// <summary>The element a contribution or a locally summed adjoint goes into: the adjoint and its index (null for a scalar).</summary>
    private static (string Adjoint, Expr? Index)? Target(SweepStep step) => step switch
    {
        SweepContribute { Declare: false, Adjoint: var adjoint } => Split(adjoint),
        SweepAddLocal { Target: var target } => Split(target),
        _ => null,
    };

    private static (string, Expr?)? Split(Expr adjoint) => adjoint switch
    {
        ElementExpr element => (element.Array, element.Index),
        VariableExpr variable => (variable.Name, null),
        _ => null,
    };

    /// <summary>What a contribution reads besides the element it goes into (the gate's gradient; its earlier parts' too).</summary>
    private static object Reads(SweepStep step) => step switch
    {
        SweepContribute contribute => Gradients(contribute).ToList(),
        SweepAddLocal add => add.Local,
        _ => step,
    };

    private static IEnumerable<object> Gradients(SweepContribute contribute)
    {
        for (var part = contribute; part is not null; part = part.Earlier)
        {
            yield return part.Gate;
            yield return part.Terms;
            if (part.Earlier is { } earlier && !Equals(earlier.Adjoint, contribute.Adjoint))
            {
                yield return earlier.Adjoint;
            }
        }
    }

    /// <summary>A step that only writes a comment or a blank line (a contribution taken into a later statement is done there).</summary>
    private static bool IsComment(SweepStep step) => step is SweepBlank or SweepGateComment or SweepBackwardOf or SweepBackwardOfChoice or SweepContributedBelow;

    private static SweepStep Setting(SweepStep step) => step switch
    {
        SweepContribute contribute => contribute with { Sets = true },
        SweepAddLocal add => add with { Sets = true },
        _ => step,
    };

    /// <summary>A scalar's element (0), or a constant index.</summary>
    private static int? Constant(Expr? index) => index switch
    {
        null => 0,
        LiteralExpr literal when literal.Type == DataType.Int => Emit.ExprPrinter.Integer(literal),
        _ => null,
    };

    /// <summary>k when <paramref name="index"/> is <c>counter</c>, <c>counter + k</c>, <c>k + counter</c> or <c>counter - k</c>.</summary>
    private static int? Offset(Expr? index, string counter) => index switch
    {
        VariableExpr v when v.Name == counter => 0,
        BinaryExpr { Op: BinaryOp.Add, Left: VariableExpr v, Right: LiteralExpr k } when v.Name == counter => Constant(k),
        BinaryExpr { Op: BinaryOp.Add, Left: LiteralExpr k, Right: VariableExpr v } when v.Name == counter => Constant(k),
        BinaryExpr { Op: BinaryOp.Subtract, Left: VariableExpr v, Right: LiteralExpr k } when v.Name == counter => -Constant(k),
        _ => null,
    };

    /// <summary>The counter's values, first to last in the forward loop, when both bounds are constants.</summary>
    private static (int First, int Last)? Range(BackFromBoundHeader header)
    {
        if (Constant(header.Start) is not { } start || Constant(header.Bound) is not { } bound)
        {
            return null;
        }

        var (low, high) = header.Comparison switch
        {
            BinaryOp.LessThan => (start, bound - 1),
            BinaryOp.LessThanOrEqual => (start, bound),
            BinaryOp.GreaterThan => (bound + 1, start),
            _ => (bound, start),
        };
        return low <= high ? (low, high) : null;
    }

    /// <summary>
    /// What the walk knows of each adjoint: the elements a pass may have touched so far (all of them, once something it
    /// cannot follow did), and those it surely set.
    /// </summary>
    private sealed class State
    {
        private readonly Dictionary<string, HashSet<int>?> _touched = [];

        public State(IEnumerable<string> adjoints)
        {
            foreach (var adjoint in adjoints)
            {
                _touched[adjoint] = [];
                Sure[adjoint] = [];
            }
        }

        private State(State other)
        {
            foreach (var pair in other._touched)
            {
                _touched[pair.Key] = pair.Value is null ? null : [.. pair.Value];
                Sure[pair.Key] = [.. other.Sure[pair.Key]];
            }
        }

        public Dictionary<string, HashSet<int>> Sure { get; } = [];

        public IEnumerable<string> Tracked => _touched.Keys.ToList();

        public State Copy() => new(this);

        public bool Tracks(string adjoint) => _touched.ContainsKey(adjoint);

        public bool Untouched(string adjoint, int element) => _touched[adjoint] is { } touched && !touched.Contains(element);

        public void Set(string adjoint, int element)
        {
            _touched[adjoint]?.Add(element);
            Sure[adjoint].Add(element);
        }

        public void Touch(string adjoint, int element) => _touched[adjoint]?.Add(element);

        public void TouchAll(string adjoint) => _touched[adjoint] = null;

        /// <summary>Every adjoint <paramref name="node"/> names (but those in <paramref name="except"/>) is touched throughout.</summary>
        public void TouchAll(object node, ISet<string>? except = null)
        {
            foreach (var adjoint in Tracked.Where(a => except?.Contains(a) != true && NamesHeld.AnyOf(node, new HashSet<string> { a })))
            {
                TouchAll(adjoint);
            }
        }

        /// <summary>True when any of <paramref name="nodes"/> names an adjoint (then the rule ends for it there).</summary>
        public bool NamedIn(params object[] nodes)
        {
            var named = false;
            foreach (var adjoint in Tracked.Where(a => NamesHeld.AnyOf(nodes, new HashSet<string> { a })))
            {
                TouchAll(adjoint);
                named = true;
            }

            return named;
        }

        /// <summary>After an if and its else (or none): touched where either arm touched, set where both set.</summary>
        public void Meet(State then, State otherwise)
        {
            foreach (var adjoint in Tracked)
            {
                _touched[adjoint] = then._touched[adjoint] is { } a && otherwise._touched[adjoint] is { } b ? [.. a.Union(b)] : null;
                Sure[adjoint] = [.. then.Sure[adjoint].Intersect(otherwise.Sure[adjoint])];
            }
        }
    }
}
