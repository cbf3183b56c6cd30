using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// A small local array — made once, outside any loop, with a constant length of at most <see cref="MostElements"/> — that
/// the sweeps only ever name element by element at constant indices is held in one local per element, and so is its
/// adjoint: <c>double centred0 = 0.0, centred1 = 0.0, centred2 = 0.0;</c> where <c>stackalloc double[3]</c> stood,
/// <c>dcentred1 += …</c> where <c>dcentred[1] += …</c> stood. A loop of a constant number of iterations (at most
/// <see cref="MostElements"/>) whose body names such an array is unrolled to make its indices constant: one block per
/// iteration, headed by the counter's value (<c>// i3 = 2</c>).
/// </summary>
/// <remarks>
/// Why: the JIT keeps every element of a span or an array in memory — each <c>daxis[i] += …</c> a load and a store, a
/// dependency through memory from one gate to the next — while locals live in registers. ADBench BA's reprojection
/// error rotates a point with four 3-vectors of scratch: on Zen 3 (AVX2), a copy of the generated Jacobian with their
/// adjoints in locals ran at 1.03× ADBench's Manual where the arrays ran at 1.09×, and with the arrays themselves in locals
/// too at 0.97×.
/// The walk is conservative: an array that any step names otherwise — passed whole to a call, read at an index that is
/// not constant, inside a loop it cannot unroll (a break, a step it does not know), kept on the tape — stays an array,
/// and nothing is unrolled for it. An array is held only if its adjoint is (they share their lengths and indices).
/// </remarks>
internal static class SmallArraysInLocals
{
    /// <summary>
    /// The most elements an array held in locals has, and the most iterations a loop unrolled for one runs: a 3-vector or
    /// a quaternion, a few registers each, and a loop body at most four times over.
    /// </summary>
    public const int MostElements = 4;

    /// <summary>The sweeps with the arrays held in locals, and for each such array (or adjoint) its elements' locals, in index order.</summary>
    public sealed record Held(List<SweepStep> Forward, List<SweepStep> Backward, IReadOnlyDictionary<string, (DataType Type, EquatableArray<string> Elements)> Elements);

    /// <summary>
    /// Holds in locals every local array of the sweeps and adjoint of <paramref name="arrayAdjoints"/> that qualifies;
    /// <paramref name="others"/> are the remaining steps of the member (declarations ahead of the sweeps), which must not
    /// name it.
    /// </summary>
    public static Held Hold(
        List<SweepStep> forward,
        List<SweepStep> backward,
        IEnumerable<(string Adjoint, bool OnStack, bool InLoop, string Array)> arrayAdjoints,
        IEnumerable<SweepStep> others,
        NameBuilder names)
    {
        var lengths = ConstantLengths(forward, backward);
        var candidates = new Dictionary<string, int>(lengths.Where(l => l.Value is > 0 and <= MostElements).ToDictionary(l => l.Key, l => l.Value));
        var adjointOf = new Dictionary<string, string>();
        var arrays = new Dictionary<string, string>();
        foreach (var adjoint in arrayAdjoints)
        {
            adjointOf[adjoint.Array] = adjoint.Adjoint;
            arrays[adjoint.Adjoint] = adjoint.Array;
            if (!adjoint.InLoop && candidates.TryGetValue(adjoint.Array, out var length))
            {
                candidates[adjoint.Adjoint] = length;
            }
        }

        var othersList = others.ToList();
        var failed = new HashSet<string>(candidates.Keys.Where(c => NamesHeld.AnyOf(othersList, new HashSet<string> { c })));

        // Try with names no user can write; drop what a walk could not hold, and try again until every candidate holds.
        while (true)
        {
            // An array whose adjoint stays an array stays one too: the adjoint is made with its length.
            failed.UnionWith(candidates.Keys.Where(c => adjointOf.TryGetValue(c, out var adjoint) && !candidates.ContainsKey(adjoint)));
            foreach (var name in failed)
            {
                candidates.Remove(name);
            }

            if (candidates.Count == 0)
            {
                return new Held(forward, backward, new Dictionary<string, (DataType, EquatableArray<string>)>());
            }

            var trial = new Walk(candidates, arrays, lengths, (array, k) => $"{array}#{k}");
            var steps = trial.Steps(forward).Concat(trial.Steps(backward)).ToList();
            failed = new HashSet<string>(trial.Failed.Concat(candidates.Keys.Where(c => Named(steps, c))));
            if (failed.Count == 0)
            {
                break;
            }
        }

        var elements = candidates.OrderBy(c => c.Key, System.StringComparer.Ordinal).ToDictionary(
            c => c.Key,
            c => Enumerable.Range(0, c.Value).Select(k => names.Unique(c.Key + k.ToString(CultureInfo.InvariantCulture))).ToList());
        var walk = new Walk(candidates, arrays, lengths, (array, k) => elements[array][k]);
        var heldForward = walk.Steps(forward);
        var heldBackward = walk.Steps(backward);

        // An element nothing reads (v[1] of a pair only v[0] of which is used) is not declared: a local only ever given a
        // constant and never read is CS0219.
        var unread = new HashSet<string>(elements.Values.SelectMany(e => e).Where(e => !Read(heldForward, e) && !Read(heldBackward, e)));
        var types = new Dictionary<string, (DataType, EquatableArray<string>)>();
        foreach (var made in walk.ElementTypes)
        {
            types[made.Key] = (made.Value, elements[made.Key].Where(e => !unread.Contains(e)).ToEquatableArray());
        }

        return new Held(Unread(heldForward, unread), Unread(heldBackward, unread), types);
    }

    /// <summary>True when a step reads <paramref name="name"/>, or writes it with what is not a constant.</summary>
    private static bool Read(IEnumerable<SweepStep> steps, string name) =>
        Named(steps, name, step => ConstantWrite(step, out var target) && target == name);

    /// <summary>True for <c>x = 0;</c> or <c>x = constant;</c> into a local, which is <paramref name="target"/>.</summary>
    private static bool ConstantWrite(SweepStep step, out string? target)
    {
        (var written, target) = step switch
        {
            SweepZero { Target: VariableExpr v } => (true, v.Name),
            SweepAssign { Target: VariableExpr v, Value: LiteralExpr or NumberExpr } => (true, v.Name),
            _ => (false, null),
        };
        return written;
    }

    /// <summary>The steps without the locals in <paramref name="unread"/>: their declarations and the constants written into them.</summary>
    private static List<SweepStep> Unread(IEnumerable<SweepStep> steps, HashSet<string> unread)
    {
        var result = new List<SweepStep>();
        foreach (var step in steps)
        {
            switch (step)
            {
                case SweepBlock block:
                    result.Add(block with { Body = Unread(block.Body, unread).ToEquatableArray() });
                    break;
                case SweepElementLocals locals when locals.Elements.Any(unread.Contains):
                    if (locals.Elements.Any(e => !unread.Contains(e)))
                    {
                        result.Add(locals with { Elements = locals.Elements.Where(e => !unread.Contains(e)).ToEquatableArray() });
                    }

                    break;
                case var write when ConstantWrite(write, out var target) && unread.Contains(target!):
                    break;
                default:
                    result.Add(step);
                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// True when a step other than a comment (which shows the user's statement), the locals' declaration, or one
    /// <paramref name="ignored"/> takes, names <paramref name="name"/>.
    /// </summary>
    private static bool Named(IEnumerable<SweepStep> steps, string name, System.Func<SweepStep, bool>? ignored = null) => steps.Any(step => step switch
    {
        SweepGateComment or SweepBackwardOf or SweepBackwardOfChoice or SweepUnrolledComment or SweepElementLocals => false,
        SweepBlock block => NamesHeld.AnyOf(new object?[] { block.Header, block.UpFront, block.DoWhile }, new HashSet<string> { name }) || Named(block.Body, name, ignored),
        _ => ignored?.Invoke(step) != true && NamesHeld.AnyOf(step, new HashSet<string> { name }),
    });

    /// <summary>
    /// The length of each local array that every assignment in <paramref name="forward"/> makes with the same constant
    /// length, outside any loop, and nothing else in either sweep rebinds.
    /// </summary>
    private static Dictionary<string, int> ConstantLengths(IEnumerable<SweepStep> forward, IEnumerable<SweepStep> backward)
    {
        var lengths = new Dictionary<string, int>();
        var rebound = new HashSet<string>();
        void Visit(IEnumerable<SweepStep> list, bool inLoop, bool makes)
        {
            foreach (var step in list)
            {
                switch (step)
                {
                    case SweepBlock block:
                        var loop = inLoop || block.Header is not (IfHeader or ElseHeader or IterationHeader);
                        Visit(block.UpFront, loop, makes);
                        Visit(block.Body, loop, makes);
                        break;
                    case SweepAssign { Target: VariableExpr target, Value: NewArrayExpr { Length: LiteralExpr literal } }
                        when makes && int.TryParse(literal.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var length):
                        if (inLoop || lengths.TryGetValue(target.Name, out var before) && before != length)
                        {
                            rebound.Add(target.Name);
                        }

                        lengths[target.Name] = length;
                        break;
                    case SweepAssign { Target: VariableExpr target }:
                        rebound.Add(target.Name);
                        break;
                    case SweepRestore { Target: VariableExpr target }:
                        rebound.Add(target.Name);
                        break;
                    case SweepTakeRow take:
                        rebound.Add(take.Array);
                        break;
                    case SweepPullbackCall { Returns: VariableExpr target }:
                        rebound.Add(target.Name);
                        break;
                }
            }
        }

        Visit(forward, inLoop: false, makes: true);
        Visit(backward, inLoop: false, makes: false); // going back, an array assigned at all is one the walk cannot follow
        foreach (var name in rebound)
        {
            lengths.Remove(name);
        }

        return lengths;
    }

    /// <summary>One walk over the sweeps with a set of arrays and adjoints to hold: what it could not hold is in <see cref="Failed"/>.</summary>
    private sealed class Walk(Dictionary<string, int> candidates, Dictionary<string, string> arrays, Dictionary<string, int> lengths, System.Func<string, int, string> elementName)
    {
        private readonly HashSet<string> _candidates = [.. candidates.Keys];

        public HashSet<string> Failed { get; } = [];

        /// <summary>Each held array's or adjoint's element type, from where it is made.</summary>
        public Dictionary<string, DataType> ElementTypes { get; } = [];

        public List<SweepStep> Steps(IEnumerable<SweepStep> steps)
        {
            var result = new List<SweepStep>();
            foreach (var step in steps)
            {
                switch (step)
                {
                    case SweepNewAdjoint made when _candidates.Contains(made.Adjoint):
                        Make(made.Adjoint, made.Array.ElementType, made.DeclaredType is not null, made.LengthOf, result);
                        break;
                    case SweepAssign { Target: VariableExpr array, Value: NewArrayExpr made } assign when _candidates.Contains(array.Name):
                        Make(array.Name, made.ElementType, assign.DeclaredType is not null, null, result);
                        break;
                    case SweepBlock block when Unrolled(block) is { } iterations:
                        result.AddRange(iterations);
                        break;
                    case SweepBlock block:
                        result.Add(Nested(block));
                        break;
                    default:
                        result.Add(Replaced(step));
                        break;
                }
            }

            return result;
        }

        /// <summary>
        /// Where an array or adjoint held is made: its locals declared, as zero, where it was declared (else at the top,
        /// hoisted, as the span was).
        /// </summary>
        private void Make(string name, DataType elementType, bool declaredHere, string? adjointOf, List<SweepStep> into)
        {
            ElementTypes[name] = elementType;
            if (declaredHere)
            {
                var elements = Enumerable.Range(0, candidates[name]).Select(k => elementName(name, k)).ToEquatableArray();
                into.Add(new SweepElementLocals(adjointOf ?? name, elementType, elements, IsAdjoint: adjointOf is not null));
            }
        }

        /// <summary>A block other than one unrolled: its header and declarations with the elements replaced, its body walked.</summary>
        private SweepStep Nested(SweepBlock block)
        {
            var shell = Replaced(block with { Body = EquatableArray<SweepStep>.Empty }) as SweepBlock ?? block;
            return shell with { Body = Steps(block.Body).ToEquatableArray() };
        }

        /// <summary>A step with every element of a held adjoint at a constant index replaced by its local; unchanged (and its adjoints failed) where the walk does not know the step.</summary>
        private SweepStep Replaced(SweepStep step)
        {
            var replaced = CountsInLocals.Renamer.Replacing(ElementLocal).Step(step);
            if (replaced is null)
            {
                Fail(step);
                return step;
            }

            return replaced;
        }

        private Expr? ElementLocal(Expr expr) => expr switch
        {
            ElementExpr element when candidates.TryGetValue(element.Array, out var length) && Evaluate(element.Index, null, 0) is { } index && index >= 0 && index < length
                => new VariableExpr(elementName(element.Array, index), element.Type),
            LengthExpr length when candidates.TryGetValue(length.Array, out var count) => LiteralExpr.Int(count),
            _ => null,
        };

        /// <summary>
        /// The blocks of a constant-trip loop that names a held adjoint, one per iteration with the counter's value in
        /// place of the counter, walked in turn; null for any other block. A loop it cannot unroll fails its adjoints.
        /// </summary>
        private List<SweepStep>? Unrolled(SweepBlock block)
        {
            if (!NamesHeld.AnyOf(new[] { block.Body, block.UpFront }, _candidates) || Iterations(block.Header) is not { } loop)
            {
                return null;
            }

            if (loop.Values.Count > MostElements || WritesCounter(block.Body.Concat(block.UpFront), loop.Counter) || Tests(block.Body, loop.Counter))
            {
                Fail(block);
                return null;
            }

            var named = _candidates.Where(c => NamesHeld.AnyOf(new[] { block.Body, block.UpFront }, new HashSet<string> { c }))
                .Select(c => arrays.TryGetValue(c, out var array) ? array : c).Distinct().OrderBy(a => a, System.StringComparer.Ordinal);
            var result = new List<SweepStep> { new SweepUnrolledComment(block.Header, loop.Values.Count, named.ToEquatableArray()) };
            foreach (var value in loop.Values)
            {
                var iteration = new SweepBlock(new IterationHeader(loop.Counter, value), block.Body, block.UpFront);
                var substituted = CountsInLocals.Renamer.Replacing(e => Evaluate(e, loop.Counter, value) is { } constant && Stager.Reads(e).Contains(loop.Counter)
                    ? LiteralExpr.Int(constant)
                    : null).Step(iteration);
                if (substituted is not SweepBlock unrolled)
                {
                    Fail(block);
                    return null;
                }

                result.Add(Nested(unrolled));
            }

            return result;
        }

        /// <summary>The counter of a counted loop and the values it takes, when its start and bound are constants; else null.</summary>
        private (string Counter, List<int> Values)? Iterations(SweepHeader header)
        {
            switch (header)
            {
                case ForHeader f when Evaluate(f.Start, null, 0) is { } start && Evaluate(f.Bound, null, 0) is { } bound && f.Step >= 1:
                    return f.Ascending switch
                    {
                        true when f.Comparison is BinaryOp.LessThan or BinaryOp.LessThanOrEqual => (f.Counter, Range(start, bound, f.Comparison, f.Step)),
                        false when f.Comparison is BinaryOp.GreaterThan or BinaryOp.GreaterThanOrEqual => (f.Counter, Range(start, bound, f.Comparison, -f.Step)),
                        _ => null,
                    };
                case BackFromBoundHeader b when Evaluate(b.Start, null, 0) is { } start && Evaluate(b.Bound, null, 0) is { } bound:
                    // The loop went from Start towards Bound one at a time; back, it goes from its last value to Start.
                    var forward = b.Comparison is BinaryOp.LessThan or BinaryOp.LessThanOrEqual
                        ? Range(start, bound, b.Comparison, 1)
                        : Range(start, bound, b.Comparison, -1);
                    forward.Reverse();
                    return (b.Counter, forward);
                default:
                    return null;
            }
        }

        /// <summary>The values from <paramref name="start"/> while the comparison with <paramref name="bound"/> holds, stepping by <paramref name="step"/>; stops past <see cref="MostElements"/> + 1.</summary>
        private static List<int> Range(int start, int bound, BinaryOp comparison, int step)
        {
            var values = new List<int>();
            for (var v = start; values.Count <= MostElements && comparison switch
            {
                BinaryOp.LessThan => v < bound,
                BinaryOp.LessThanOrEqual => v <= bound,
                BinaryOp.GreaterThan => v > bound,
                _ => v >= bound,
            }; v += step)
            {
                values.Add(v);
            }

            return values;
        }

        /// <summary>True when a step writes <paramref name="counter"/> (the walk then cannot take it for a constant).</summary>
        private static bool WritesCounter(IEnumerable<SweepStep> steps, string counter) => steps.Any(step => step switch
        {
            SweepBlock block => WritesCounter(block.Body.Concat(block.UpFront), counter),
            SweepAssign { Target: VariableExpr v } => v.Name == counter,
            SweepRestore { Target: VariableExpr v } => v.Name == counter,
            SweepZero { Target: VariableExpr v } => v.Name == counter,
            SweepUndoCount undo => undo.Name == counter,
            SweepCount count => count.Name == counter,
            _ => false,
        });

        /// <summary>
        /// True when an if or a while in the steps tests <paramref name="counter"/>: unrolled, the test would be a constant
        /// and an arm code that never runs (CS0162).
        /// </summary>
        private static bool Tests(IEnumerable<SweepStep> steps, string counter) => steps.Any(step => step is SweepBlock block
            && (block.Header is IfHeader or WhileHeader && NamesHeld.AnyOf(block.Header, new HashSet<string> { counter }) || Tests(block.Body, counter)));

        /// <summary>
        /// The value of an int expression of constants, array lengths known, and <paramref name="counter"/> taken as
        /// <paramref name="value"/>; null where it reads anything else.
        /// </summary>
        private int? Evaluate(Expr expr, string? counter, int value) => expr switch
        {
            LiteralExpr { Type.Kind: DataKind.Int } literal when int.TryParse(literal.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var constant) => constant,
            VariableExpr v when v.Name == counter => value,
            LengthExpr length when lengths.TryGetValue(length.Array, out var known) => known,
            BinaryExpr { Type.Kind: DataKind.Int } b when Evaluate(b.Left, counter, value) is { } left && Evaluate(b.Right, counter, value) is { } right => b.Op switch
            {
                BinaryOp.Add => left + right,
                BinaryOp.Subtract => left - right,
                BinaryOp.Multiply => left * right,
                _ => null,
            },
            _ => null,
        };

        private void Fail(object step)
        {
            foreach (var candidate in _candidates.Where(c => NamesHeld.AnyOf(step, new HashSet<string> { c })))
            {
                Failed.Add(candidate);
            }
        }
    }
}
