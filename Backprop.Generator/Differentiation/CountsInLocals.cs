using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// A count the backward sweep steps back (<see cref="SweepUndoCount"/>: <c>lIndex -= 1</c>) inside a loop nest is held,
/// for that nest, in a local of its own: <c>int lIndexBack = lIndex;</c> before the outermost backward loop that only steps
/// it, every reference inside renamed, <c>lIndex = lIndexBack;</c> after (unless the next step takes lIndex off the tape).
/// </summary>
/// <remarks>
/// Why: the count is a method-wide local, live across tape calls in one large method, and the JIT keeps such a local in
/// memory — a load, a decrement and a store at every step back, a dependency through memory in the hottest loop (GMM's
/// triangular Q·x: ~31 % of its gradient's samples). A local whose life is the nest stays in a register: GMM's generated
/// gradient went from 1.08–1.13× to 1.05–1.06× ADBench's Manual (geomean of five sizes, Zen 3, AVX2).
/// The walk is conservative: a nest holding a step or expression it does not know keeps the count as it is. A nest inside
/// one that holds the count steps the local, which has no type in <c>types</c>: it is not held again.
/// </remarks>
internal static class CountsInLocals
{
    /// <summary><paramref name="steps"/> with each count stepped back in a backward loop nest held in a local of the nest.</summary>
    public static List<SweepStep> Hold(IEnumerable<SweepStep> steps, NameBuilder names, IReadOnlyDictionary<string, DataType> types)
    {
        var input = steps.ToList();
        var result = new List<SweepStep>();
        for (var i = 0; i < input.Count; i++)
        {
            if (input[i] is not SweepBlock block)
            {
                result.Add(input[i]);
                continue;
            }

            var handBack = new List<SweepStep>();
            if (IsBackwardLoop(block.Header))
            {
                foreach (var count in UndoneCounts(block).Distinct().ToList())
                {
                    if (!types.TryGetValue(count, out var type) || new Renamer(count, count).Block(block) is not { } checkedBlock || checkedBlock.writtenOtherwise)
                    {
                        continue; // the nest does more than step it back (or holds a step this walk does not know): an inner nest may hold it
                    }

                    var local = names.Unique(count + "Back");
                    block = new Renamer(count, local).Block(block)!.Value.block;
                    result.Add(new SweepCountInLocal(local, type, count));
                    if (!TakenOffTape(input, i + 1, count))
                    {
                        handBack.Add(new SweepAssign(new VariableExpr(count, type), new VariableExpr(local, type)));
                    }
                }
            }

            result.Add(block with { Body = Hold(block.Body, names, types).ToEquatableArray() });
            result.AddRange(handBack);
        }

        return result;
    }

    /// <summary>True for a loop of the backward sweep, with a counter or only its iterations.</summary>
    internal static bool IsBackwardLoop(SweepHeader header) => header is BackByCountHeader or BackFromBoundHeader or BackSteppedHeader or BackIterationsHeader;

    /// <summary>The counts stepped back anywhere in <paramref name="block"/>.</summary>
    private static IEnumerable<string> UndoneCounts(SweepBlock block) =>
        block.Body.SelectMany(step => step switch
        {
            SweepUndoCount undo => [undo.Name],
            SweepBlock inner => UndoneCounts(inner),
            _ => Enumerable.Empty<string>(),
        });

    /// <summary>
    /// True when the first step from <paramref name="from"/> on that names <paramref name="count"/> puts it back from the
    /// tape: the nest's last value is never read. A step the walk does not know may read it.
    /// </summary>
    private static bool TakenOffTape(List<SweepStep> steps, int from, string count)
    {
        var probe = new Renamer(count, count + "?");
        foreach (var step in steps.Skip(from))
        {
            if (step is SweepRestore { Target: VariableExpr { Name: var name }, Source: KeptOnTape } && name == count)
            {
                return true;
            }

            if (probe.Step(step) is not { } renamed || !renamed.Equals(step))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Renames every reference to a count in a nest, and puts <paramref name="replace"/>'s expression where it gives one
    /// (<see cref="InvariantIndices"/>); null when the nest holds something it does not know (it cannot tell whether that
    /// reads the count). Comments keep the user's names: they show the forward statement.
    /// </summary>
    internal sealed class Renamer(string count, string local, System.Func<Expr, Expr?>? replace = null)
    {
        /// <summary>A walk that renames no count and only puts <paramref name="replace"/>'s expressions in (no name is empty).</summary>
        public static Renamer Replacing(System.Func<Expr, Expr?> replace) => new(string.Empty, string.Empty, replace);

        /// <summary>True when the nest writes the count otherwise than by stepping it back.</summary>
        private bool _writtenOtherwise;

        public (SweepBlock block, bool writtenOtherwise)? Block(SweepBlock block)
        {
            var renamed = RenameBlock(block);
            return renamed is null ? null : (renamed, _writtenOtherwise);
        }

        private SweepBlock? RenameBlock(SweepBlock block)
        {
            var header = Header(block.Header);
            var body = Steps(block.Body);
            var upFront = Steps(block.UpFront);
            var doWhile = block.DoWhile is { } condition ? Expr(condition) : null;
            return header is null || body is null || upFront is null || (block.DoWhile is not null && doWhile is null)
                ? null
                : new SweepBlock(header, body.ToEquatableArray(), upFront.ToEquatableArray(), doWhile);
        }

        private List<SweepStep>? Steps(IEnumerable<SweepStep> steps)
        {
            var result = new List<SweepStep>();
            foreach (var step in steps)
            {
                if (Step(step) is not { } renamed)
                {
                    return null;
                }

                result.Add(renamed);
            }

            return result;
        }

        public SweepStep? Step(SweepStep step)
        {
            switch (step)
            {
                case SweepBlank or SweepGateComment or SweepBackwardOf or SweepBackwardOfChoice or SweepExitGuardComment or SweepFusedStepComment
                    or SweepFusedSumComment or SweepRecomputeComment or SweepDeclareZero or SweepSkipSlots or SweepDropBlock or SweepUnrolledComment:
                    return step;
                case SweepBlock block:
                    return RenameBlock(block);
                case SweepUndoCount undo:
                    return Expr(undo.By) is { } by ? undo with { Name = Name(undo.Name), By = by } : null;
                case SweepContribute contribute:
                    return Contribute(contribute);
                case SweepContributedBelow below:
                    return Contribute(below.Contribution) is { } contribution ? new SweepContributedBelow(contribution) : null;
                case SweepZero zero:
                    return Expr(zero.Target) is { } target ? zero with { Target = target } : null;
                case SweepAddLocal add:
                    return Expr(add.Target) is { } addTarget ? add with { Target = addTarget } : null;
                case SweepTakeElement take:
                    return Expr(take.Element) is { } element ? take with { Element = element } : null;
                case SweepRestore restore:
                    NoteWrite(restore.Target);
                    return Expr(restore.Target) is { } restored ? restore with { Target = restored } : null;
                case SweepRecompute recompute when recompute.Name != count:
                    return Expr(recompute.Value) is { } value ? recompute with { Value = value } : null;
                case SweepAssign assign:
                    NoteWrite(assign.Target);
                    return Expr(assign.Target) is { } assigned && Expr(assign.Value) is { } assignedValue ? assign with { Target = assigned, Value = assignedValue } : null;
                case SweepKeep keep:
                    return Expr(keep.Value) is { } kept ? keep with { Value = kept } : null;
                case SweepSinCos sinCos:
                    NoteWrite(sinCos.Sin);
                    NoteWrite(sinCos.Cos);
                    return SinCos(sinCos);
                case SweepGate { Gate: { Companion: null } gate } accumulation:
                    NoteWrite(gate.Target);
                    return Expr(gate.Target) is { } gateTarget && Expr(gate.Value) is { } gateValue ? accumulation with { Gate = gate with { Target = gateTarget, Value = gateValue } } : null;
                case SweepReciprocal reciprocal:
                    return Expr(reciprocal.Divisor) is { } divisor ? reciprocal with { Divisor = divisor } : null;
                case SweepSaveBlock save:
                    return Expr(save.Iterations.From) is { } from && Expr(save.Iterations.To) is { } to ? save with { Iterations = save.Iterations with { From = from, To = to } } : null;
                default:
                    return null; // a call, a row taken, ...: it may read or write the count in ways this walk does not follow
            }
        }

        private SweepSinCos? SinCos(SweepSinCos sinCos)
        {
            var (sin, cos, angle, math) = (Expr(sinCos.Sin), Expr(sinCos.Cos), Expr(sinCos.Angle), Expr(sinCos.Math) as MathCallExpr);
            var held = sinCos.Held is { } values && Expr(values.Sin) is { } heldSin && Expr(values.Cos) is { } heldCos ? new HeldValues(heldSin, heldCos) : null;
            return sin is null || cos is null || angle is null || math is null || (sinCos.Held is not null && held is null)
                ? null
                : sinCos with { Sin = sin, Cos = cos, Angle = angle, Math = math, Held = held };
        }

        private SweepContribute? Contribute(SweepContribute contribute)
        {
            var adjoint = Expr(contribute.Adjoint);
            var gradient = Expr(contribute.Gate.Gradient);
            var result = Expr(contribute.Gate.Result);
            var operands = Exprs(contribute.Gate.Operands);
            var companion = contribute.Gate.Companion is { } held ? Expr(held) : null;
            var earlier = contribute.Earlier is { } before ? Contribute(before) : null;
            if (adjoint is null || gradient is null || result is null || operands is null
                || (contribute.Gate.Companion is not null && companion is null) || (contribute.Earlier is not null && earlier is null))
            {
                return null;
            }

            return contribute with { Adjoint = adjoint, Gate = new GateNames(gradient, result, operands.ToEquatableArray(), companion), Earlier = earlier };
        }

        private SweepHeader? Header(SweepHeader header)
        {
            switch (header)
            {
                case ElseHeader or DoHeader or BackIterationsHeader or IterationHeader:
                    return header;
                case IfHeader @if:
                    return Condition(@if.Condition) is { } condition ? new IfHeader(condition) : null;
                case WhileHeader @while:
                    return Expr(@while.Condition) is { } whileCondition ? new WhileHeader(whileCondition) : null;
                case BackByCountHeader byCount when byCount.Counter != count:
                    return Expr(byCount.Start) is { } start ? byCount with { Start = start } : null;
                case BackFromBoundHeader fromBound when fromBound.Counter != count:
                    return Expr(fromBound.Start) is { } boundStart && Expr(fromBound.Bound) is { } bound ? fromBound with { Start = boundStart, Bound = bound } : null;
                case BackSteppedHeader stepped when stepped.Counter != count:
                    return Expr(stepped.Start) is { } steppedStart && Expr(stepped.Bound) is { } steppedBound ? stepped with { Start = steppedStart, Bound = steppedBound } : null;
                case ForHeader @for when @for.Counter != count:
                    return Expr(@for.Start) is { } forStart && Expr(@for.Bound) is { } forBound ? @for with { Start = forStart, Bound = forBound } : null;
                default:
                    return null;
            }
        }

        private SweepCondition? Condition(SweepCondition condition) => condition switch
        {
            RecordCondition or TapeCondition => condition,
            ExprCondition e => Expr(e.Condition) is { } value ? new ExprCondition(value) : null,
            CompareCondition c => Expr(c.Left) is { } left && Expr(c.Right) is { } right ? c with { Left = left, Right = right } : null,
            NonNegativeCondition n => Expr(n.Value) is { } value ? n with { Value = value } : null,
            BothCondition b => Condition(b.Left) is { } left && Condition(b.Right) is { } right ? new BothCondition(left, right) : null,
            NotCondition n => Condition(n.Condition) is { } inner ? new NotCondition(inner) : null,
            _ => null,
        };

        private List<Expr>? Exprs(IEnumerable<Expr> exprs)
        {
            var result = new List<Expr>();
            foreach (var expr in exprs)
            {
                if (Expr(expr) is not { } renamed)
                {
                    return null;
                }

                result.Add(renamed);
            }

            return result;
        }

        private Expr? Expr(Expr expr) => replace?.Invoke(expr) ?? expr switch
        {
            LiteralExpr or NumberExpr or LengthExpr => expr,
            VariableExpr v => v with { Name = Name(v.Name) },
            ElementExpr e when e.Array != count => Expr(e.Index) is { } index ? e with { Index = index } : null,
            UnaryExpr u => Expr(u.Operand) is { } operand ? u with { Operand = operand } : null,
            BinaryExpr b => Expr(b.Left) is { } left && Expr(b.Right) is { } right ? b with { Left = left, Right = right } : null,
            ConditionalExpr c => Expr(c.Condition) is { } condition && Expr(c.WhenTrue) is { } whenTrue && Expr(c.WhenFalse) is { } whenFalse
                ? c with { Condition = condition, WhenTrue = whenTrue, WhenFalse = whenFalse } : null,
            CastExpr c => Expr(c.Operand) is { } operand ? c with { Operand = operand } : null,
            MathCallExpr m => Exprs(m.Arguments) is { } arguments ? m with { Arguments = arguments.ToEquatableArray() } : null,
            _ => null, // an opaque text, a call, an out argument: it may name the count where this walk cannot see
        };

        private string Name(string name) => name == count ? local : name;

        private void NoteWrite(Expr target) => _writtenOtherwise |= target is VariableExpr { Name: var name } && name == count;
    }
}
