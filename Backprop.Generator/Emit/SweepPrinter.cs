using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>Spells the steps of a sweep, scalar or tensor (<see cref="SweepStep"/>), as C# statements, one or a block each.</summary>
internal static partial class SweepPrinter
{
    /// <summary>The label an early return jumps to: the start of the backward sweep.</summary>
    public const string BackwardLabel = "backward";

    public static void Print(SourceWriter writer, IEnumerable<SweepStep> steps)
    {
        foreach (var step in steps)
        {
            Print(writer, step);
        }
    }

    /// <summary>
    /// The steps of a body (a block's, a sweep's, a member's) without its trailing empty lines: a body that is only empty
    /// lines leaves one.
    /// </summary>
    public static void PrintBody(SourceWriter writer, IReadOnlyList<SweepStep> steps)
    {
        var end = steps.Count;
        while (end > 0 && steps[end - 1] is SweepBlank)
        {
            end--;
        }

        if (end == 0 && steps.Count > 0)
        {
            writer.Line();
        }

        for (var i = 0; i < end; i++)
        {
            Print(writer, steps[i]);
        }
    }

    /// <summary>A gate as its forward statement, without the semicolon: <c>q = x + y</c>, <c>s += p</c>, <c>(s, c) = Math.SinCos(a)</c>.</summary>
    public static string Gate(GateStatement gate)
    {
        var target = ExprPrinter.Print(gate.Target);
        return gate.Form switch
        {
            GateForm.AddInto => $"{target} += {ExprPrinter.Print(gate.Value)}",
            GateForm.SubtractFrom => $"{target} -= {ExprPrinter.Print(gate.Value)}",
            GateForm.SinCosOfSin => $"({target}, {gate.Companion}) = {SinCos((MathCallExpr)gate.Value)}",
            GateForm.SinCosOfCos => $"({gate.Companion}, {target}) = {SinCos((MathCallExpr)gate.Value)}",
            _ => $"{target} = {ExprPrinter.Print(gate.Value)}",
        };
    }

    private static string SinCos(MathCallExpr math) => $"{ExprPrinter.ClassOf(math)}.SinCos({ExprPrinter.Print(math.Arguments[0])})";

    public static void Print(SourceWriter writer, SweepStep step)
    {
        switch (step)
        {
            case SweepBlank:
                writer.Line();
                break;
            case SweepBlock block:
                writer.Open(Header(block.Header));
                PrintBody(writer, [.. block.UpFront, .. block.Body]);
                writer.Close(block.DoWhile is { } condition ? $"while ({ExprPrinter.Print(condition)});" : null);
                break;
            case SweepGateComment comment:
                writer.Line($"// {Gate(comment.Gate)}: {comment.Description}");
                break;
            case SweepBackwardOf of:
                writer.Line($"// backward of: {of.Source}{Again(of.ConditionAgain)}");
                break;
            case SweepBackwardOfChoice choice:
                writer.Line($"// backward of: {ExprPrinter.Print(choice.Condition)} ? ... : ...{Again(choice.ConditionAgain)}");
                break;
            case SweepExitGuardComment guard:
                writer.Line($"// only if no exit numbered {guard.Guard} or lower was taken before this point");
                break;
            case SweepFusedStepComment fused:
                writer.Line($"// backward step of this iteration (the sum's gradient is {Seed(fused.Negated)} throughout)");
                break;
            case SweepFusedSumComment sum:
                writer.Line($"// {sum.Sum} only sums into the result: its gradient is {Seed(sum.Negated)}, so each iteration's backward step runs right after it");
                break;
            case SweepRecomputeComment recompute:
                writer.Line($"// recompute this iteration's {string.Join(", ", recompute.Names)} (cheaper than saving them)");
                break;
            case SweepContribute contribute:
                writer.Line(Contribution(contribute));
                break;
            case SweepContributedBelow below:
                writer.Line($"// {Contribution(below.Contribution).TrimEnd(';')}: in the statement below that {(below.Taken ? "takes" : "adds into")} {ExprPrinter.Print(below.Contribution.Adjoint)}");
                break;
            case SweepZero zero:
                writer.Line($"{Declared(zero.DeclaredType)}{ExprPrinter.Print(zero.Target)} = {Literals.PlainZero(zero.Target.Type)};");
                break;
            case SweepDeclareZero declare:
                var role = declare.Role switch
                {
                    ZeroRole.SummedElement => " // what the loop adds into one element, added into it once after",
                    ZeroRole.Discard => " // adjoint of inputs that take no gradient",
                    _ => string.Empty,
                };
                writer.Line($"{Spell(declare.Type)} {declare.Name} = {Literals.Zero(declare.Type)};{role}");
                break;
            case SweepAddLocal add:
                writer.Line(add.Sets ? $"{ExprPrinter.Print(add.Target)} = {add.Local};{SetsNote}" : $"{ExprPrinter.Print(add.Target)} += {add.Local};");
                break;
            case SweepTakeElement take:
                var taken = take.Added is { } added ? $"{ExprPrinter.Print(take.Element)} {AddedTo(added)}" : ExprPrinter.Print(take.Element);
                writer.Line($"{Spell(take.Type)} {take.Local} = {taken};{(take.LeftAsIs ? " // not cleared: the next pass sets it first" : string.Empty)}");
                break;
            case SweepRestore restore:
                writer.Line($"{Declared(restore.DeclaredType)}{ExprPrinter.Print(restore.Target)} = {Source(restore.Source)};{(restore.BeforeLoop ? " // as it was before the loop" : string.Empty)}");
                break;
            case SweepRestoreArray array:
                writer.Line($"{TapeFormat.PopAll(array.Tape, array.ElementType, array.Array)} // as it was before the loop");
                break;
            case SweepSkipSlots skip:
                writer.Line($"{skip.Position} {(skip.Forward ? "+=" : "-=")} {skip.Skip}; // the other arm keeps {skip.Skip} more");
                break;
            case SweepSaveBlock { Forward: true } block:
                var each = block.PerIteration == 1 ? "1 value" : $"{block.PerIteration} values";
                writer.Line($"global::System.Span<double> {block.Span} = {block.Tape}.PushDoubles({Iterations(block.Iterations)}, {block.PerIteration}); // the loop's saves, {each} an iteration, kept in one block");
                writer.Line($"int {block.Position} = 0;");
                break;
            case SweepSaveBlock block:
                writer.Line($"global::System.ReadOnlySpan<double> {block.Span} = {block.Tape}.PeekDoubles({Iterations(block.Iterations)}, {block.PerIteration}); // the loop's saves, kept in one block");
                writer.Line($"int {block.Position} = {block.Span}.Length;");
                break;
            case SweepDropBlock drop:
                writer.Line($"{drop.Tape}.DropDoubles({drop.Kept}.Length);");
                break;
            case SweepRecompute recompute:
                writer.Line($"{Spell(recompute.Type)} {recompute.Name} = {ExprPrinter.Print(recompute.Value)};");
                break;
            case SweepUndoCount undo:
                writer.Line($"{undo.Name} {(undo.Adds ? "-=" : "+=")} {ExprPrinter.Print(undo.By)}; // undoes {Gate(undo.Gate)}: nothing kept");
                break;
            case SweepReciprocal reciprocal:
                writer.Line($"{Spell(reciprocal.Reciprocal.Type)} {reciprocal.Reciprocal.Name} = {Literals.One(reciprocal.Divisor.Type)} / {ExprPrinter.Operand(reciprocal.Divisor)}; // {(reciprocal.BeforeRows ? "each row's divide gates multiply by it" : "the loop's divide gates below multiply by it")}");
                break;
            case SweepCountFromStart fromStart:
                writer.Line($"{Spell(fromStart.Type)} {fromStart.Local} = {ExprPrinter.Print(fromStart.Start)}; // {fromStart.Count} where the loop below began, worked out again (nothing kept): its iterations touch separate elements, so it runs forward");
                break;
            case SweepRedoCount redo:
                writer.Line($"{redo.Name} {(redo.Adds ? "+=" : "-=")} {ExprPrinter.Print(redo.By)}; // as {Gate(redo.Gate)} going forward");
                break;
            case SweepCountInLocal inLocal:
                writer.Line($"{Spell(inLocal.Type)} {inLocal.Local} = {inLocal.Count}; // the loop below steps {inLocal.Count} back: a local of its own stays in a register");
                break;
            case SweepRuleCall rule:
                var ruleArguments = rule.Arguments.Concat(rule.Result is { } result ? [result] : []).Concat(rule.Residual is { } residual ? [residual] : []).Append(rule.Gradient)
                    .Select(ExprPrinter.Print).Concat(rule.Adjoints.Select(Adjoint));
                writer.Line($"{(rule.Instance is { } instance ? ExprPrinter.Operand(instance) + "." : string.Empty)}{rule.Rule}({string.Join(", ", ruleArguments)});");
                break;
            case SweepPullbackCall pullback:
                var call = pullback.Call;
                var arguments = pullback.Arguments.Select(ExprPrinter.Print).Append(ExprPrinter.Print(pullback.Gradient)).Concat(pullback.Adjoints.Select(Adjoint));
                var returns = pullback.Returns is { } value ? ExprPrinter.Print(value) + " = " : string.Empty;
                writer.Line($"{returns}{call.Receiver}.{call.Name}Backward{DataTypes.TypeArguments(call)}({string.Join(", ", arguments)});");
                break;
            case SweepGate gate:
                writer.Line(Gate(gate.Gate) + ";");
                break;
            case SweepAssign assign:
                writer.Line($"{Declared(assign.DeclaredType)}{ExprPrinter.Print(assign.Target)} = {ExprPrinter.Print(assign.Value)};");
                break;
            case SweepSinCos sinCos:
                var pair = $"({Declared(sinCos.SinType)}{ExprPrinter.Print(sinCos.Sin)}, {Declared(sinCos.CosType)}{ExprPrinter.Print(sinCos.Cos)})";
                writer.Line(sinCos.Held is { } held
                    ? $"{pair} = ({ExprPrinter.Print(held.Sin)}, {ExprPrinter.Print(held.Cos)}); // sin and cos of {ExprPrinter.Print(sinCos.Angle)}, computed above"
                    : $"{pair} = {ExprPrinter.ClassOf(sinCos.Math)}.SinCos({ExprPrinter.Print(sinCos.Angle)});");
                break;
            case SweepElementLocals elements:
                var elementZero = Literals.Zero(elements.ElementType);
                var holds = elements.IsAdjoint ? $"the adjoint of {elements.Array}" : elements.Array;
                writer.Line($"{Spell(elements.ElementType)} {string.Join(", ", elements.Elements.Select(e => $"{e} = {elementZero}"))}; // {holds}, one local per element");
                break;
            case SweepUnrolledComment unrolled:
                var loop = unrolled.Loop is ForHeader ? Header(unrolled.Loop) + ": " : string.Empty;
                writer.Line($"// {loop}unrolled ({unrolled.Iterations} iterations) so that {Listed(unrolled.Arrays)} can be held element by element");
                break;
            case SweepNewAdjoint adjoint:
                writer.Line($"{Declared(adjoint.DeclaredType)}{adjoint.Adjoint} = {DataTypes.Creation(adjoint.Array, adjoint.LengthOf + ".Length")};");
                if (adjoint.Clear)
                {
                    writer.Line($"{adjoint.Adjoint}.Clear(); // [SkipLocalsInit]: stackalloc leaves what the stack held");
                }

                break;
            case SweepKeep keep:
                writer.Line(Keep(keep) + Reason(keep));
                break;
            case SweepKeepArray array:
                writer.Line($"{TapeFormat.PushAll(array.Tape, array.ElementType, array.Array)} // the loop only adds to {array.Array}'s elements, which the backward pass does not read inside it: the array is kept as it was before the loop");
                break;
            case SweepIterationRows rows:
                writer.Line($"{Spell(rows.ElementType)}[][] {rows.Rows} = new {Spell(rows.ElementType)}[{ExprPrinter.Print(rows.Count)}][]; // {rows.Array} is filled afresh on each pass over {rows.Counter}: a row of its own for each, so nothing it overwrites is kept");
                break;
            case SweepTakeRow { Length: { } length } take:
                writer.Line($"{take.Array} = {take.Rows}[{take.Counter}] ??= new {Spell(take.ElementType)}[{ExprPrinter.Print(length)}];");
                break;
            case SweepTakeRow take:
                writer.Line($"{take.Array} = {take.Rows}[{take.Counter}]; // this pass's {take.Array}");
                break;
            case SweepCount count:
                writer.Line($"{count.Name}++;");
                break;
            case SweepJump { Kind: JumpKind.Break }:
                writer.Line("break;");
                break;
            case SweepJump { Kind: JumpKind.Continue }:
                writer.Line("continue;");
                break;
            case SweepJump:
                writer.Line($"goto {BackwardLabel};");
                break;
            case SweepReturn ret:
                writer.Line($"return {ExprPrinter.Print(ret.Value)};");
                break;
            case SweepTangent tangent:
                writer.Line($"{Declared(tangent.DeclaredType)}{ExprPrinter.Print(tangent.Target)} = {TangentPrinter.Value(tangent.Value)};{(tangent.Comment is { } note ? " // " + note : string.Empty)}");
                break;
            case SweepRulePartials partials:
                var partialArguments = partials.Arguments.Select(ExprPrinter.Print).Append(ExprPrinter.Print(partials.Result)).Append(Literals.One(partials.Type)).Concat(partials.Partials.Select(p => "ref " + p));
                writer.Line($"{partials.Rule}({string.Join(", ", partialArguments)}); // ∂{partials.Function}/∂ each argument");
                break;
            case SweepTangentCall tangentCall:
                writer.Line(TangentPrinter.Call(tangentCall));
                break;
            default:
                PrintTensorStep(writer, step);
                break;
        }
    }

    private static string Again(bool conditionAgain) => conditionAgain ? " (its condition evaluated again)" : string.Empty;

    private static string Seed(bool negated) => negated ? "-dResult" : "dResult";

    /// <summary>The type of a declaration, and a space: <c>var</c> for a tensor (its name is long and says nothing the value does not).</summary>
    private static string Declared(DataType? type) => type switch
    {
        null => string.Empty,
        _ => DataTypes.Declared(type) + " ",
    };

    /// <summary>
    /// A gate's terms for one adjoint in one statement: <c>double dq = z * dResult;</c> for the first contribution,
    /// <c>dq += …</c> after it, <c>-=</c> when every term is subtracted.
    /// </summary>
    /// <summary><c>+ value</c> or <c>- value</c>: a contribution added where the element is read (<see cref="SweepTakeElement.Added"/>).</summary>
    private static string AddedTo(SweepContribute contribute)
    {
        var (value, subtract) = Summed(contribute);
        return subtract ? $"- {Grouped(value)}" : $"+ {value}";
    }

    private static string Contribution(SweepContribute contribute)
    {
        var (value, subtract) = Summed(contribute);
        var adjoint = ExprPrinter.Print(contribute.Adjoint);
        var assigned = subtract ? (value.IndexOf(' ') < 0 ? "-" + value : $"-({value})") : value;
        if (contribute.Declare)
        {
            return $"{Spell(contribute.Adjoint.Type)} {adjoint} = {assigned};";
        }

        if (contribute.Sets)
        {
            return $"{adjoint} = {assigned};{SetsNote}";
        }

        return $"{adjoint} {(subtract ? "-=" : "+=")} {value};";
    }

    /// <summary>A contribution's terms and its earlier parts', and whether every one subtracts (then spelled without the signs).</summary>
    private static (string Value, bool Subtract) Summed(SweepContribute contribute)
    {
        var (value, subtract) = Value(contribute);
        if (contribute.Earlier is not null)
        {
            // Earlier gates' contributions into the same element, in one statement: an additive one leads, the others follow with their signs.
            var parts = new List<(string Value, bool Subtract)>();
            for (var part = contribute; part is not null; part = part.Earlier)
            {
                parts.Insert(0, Value(part));
            }

            (value, subtract) = parts.All(p => p.Subtract)
                ? (string.Join(" + ", parts.Select(p => p.Value)), true)
                : (string.Join(string.Empty, parts.OrderBy(p => p.Subtract).Select((p, at) => at == 0 ? p.Value : p.Subtract ? " - " + Grouped(p.Value) : " + " + p.Value)), false);
        }

        return (value, subtract);
    }

    /// <summary>The comment on a contribution that sets an element (<see cref="SweepContribute.Sets"/>).</summary>
    private const string SetsNote = " // this pass's first contribution: it sets, not adds";

    /// <summary>A contribution's terms as one value, and whether it is taken away (every term subtracts).</summary>
    private static (string Value, bool Subtract) Value(SweepContribute contribute)
    {
        var spelling = new GateSpelling(contribute.Gate);
        var added = contribute.Terms.Where(t => !t.Subtract).Select(t => TermPrinter.Print(t.Term, spelling)).ToList();
        var taken = contribute.Terms.Where(t => t.Subtract).Select(t => TermPrinter.Print(t.Term, spelling)).ToList();
        return added.Count == 0
            ? (string.Join(" + ", taken), true)
            : (string.Join(" + ", added) + string.Concat(taken.Select(t => " - " + Grouped(t))), false);
    }

    /// <summary><c>a</c>, <c>a and b</c>, <c>a, b and c</c>.</summary>
    private static string Listed(IReadOnlyList<string> names) => names.Count <= 1
        ? string.Concat(names)
        : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[names.Count - 1];

    private static string Grouped(string value) => value.IndexOf('+') >= 0 || value.IndexOf(" - ", System.StringComparison.Ordinal) >= 0 ? $"({value})" : value;

    private static string Header(SweepHeader header) => header switch
    {
        IfHeader h => $"if ({Condition(h.Condition)})",
        ElseHeader => "else",
        WhileHeader w => $"while ({ExprPrinter.Print(w.Condition)})",
        DoHeader => "do",
        ForHeader f => $"for (int {f.Counter} = {ExprPrinter.Print(f.Start)}; {f.Counter} {Operators.Symbol(f.Comparison)} {ExprPrinter.Print(f.Bound)}; {Stepped(f.Counter, f.Ascending, f.Step)})",
        BackSteppedHeader b => BackStepped(b),
        BackFromBoundHeader b => BackFromBound(b),
        BackByCountHeader b => BackByCount(b),
        BackIterationsHeader b => $"for (int {b.Iteration} = {b.Count}; {b.Iteration} > 0; {b.Iteration}--)",
        IterationHeader i => $"// {i.Counter} = {i.Value.ToString(CultureInfo.InvariantCulture)}",
        _ => throw new System.InvalidOperationException($"no spelling for the header {header.GetType().Name}"),
    };

    /// <summary>The loop ran from its start to its bound, which still hold their values: back from the bound to the start.</summary>
    private static string BackFromBound(BackFromBoundHeader b)
    {
        var (i, start, end) = (b.Counter, ExprPrinter.Print(b.Start), b.Bound);
        return b.Comparison switch
        {
            BinaryOp.LessThan => $"for (int {i} = {ExprPrinter.Plus(end, -1)}; {i} >= {start}; {i}--)",
            BinaryOp.LessThanOrEqual => $"for (int {i} = {ExprPrinter.Plus(end, 0)}; {i} >= {start}; {i}--)",
            BinaryOp.GreaterThan => $"for (int {i} = {ExprPrinter.Plus(end, 1)}; {i} <= {start}; {i}++)",
            _ => $"for (int {i} = {ExprPrinter.Plus(end, 0)}; {i} <= {start}; {i}++)",
        };
    }

    /// <summary><c>i++</c>, <c>i--</c>, <c>i += 2</c>, <c>i -= 2</c>.</summary>
    private static string Stepped(string counter, bool ascending, int step) => step == 1
        ? counter + (ascending ? "++" : "--")
        : $"{counter} {(ascending ? "+=" : "-=")} {step.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Back through a loop that steps by k &gt; 1: it ran <c>count</c> times — <c>(bound - start + k - 1) / k</c> for
    /// <c>i &lt; bound</c>, <c>+ k</c> for <c>&lt;=</c>, mirrored counting down; zero or less when it did not run (the
    /// division truncates towards zero) — so its last value is <c>start + (count - 1) * k</c>, and back from there.
    /// </summary>
    private static string BackStepped(BackSteppedHeader b)
    {
        var ascending = b.Comparison is BinaryOp.LessThan or BinaryOp.LessThanOrEqual;
        var inclusive = b.Comparison is BinaryOp.LessThanOrEqual or BinaryOp.GreaterThanOrEqual;
        var (from, to) = ascending ? (b.Start, b.Bound) : (b.Bound, b.Start);
        var extra = b.Step - (inclusive ? 0 : 1);
        var span = from is LiteralExpr literal && ExprPrinter.Integer(literal) == 0
            ? ExprPrinter.Plus(to, extra)
            : $"{ExprPrinter.Operand(to)} - {ExprPrinter.Operand(from)}{(extra == 0 ? string.Empty : " + " + extra.ToString(CultureInfo.InvariantCulture))}";
        var (i, k, start) = (b.Counter, b.Step.ToString(CultureInfo.InvariantCulture), ExprPrinter.Print(b.Start));
        var steps = $"(({span}) / {k} - 1) * {k}";
        var last = b.Start is LiteralExpr first && ExprPrinter.Integer(first) == 0 && ascending
            ? steps
            : $"{ExprPrinter.Operand(b.Start)} {(ascending ? "+" : "-")} {steps}";
        return ascending
            ? $"for (int {i} = {last}; {i} >= {start}; {i} -= {k})"
            : $"for (int {i} = {last}; {i} <= {start}; {i} += {k})";
    }

    /// <summary>Back through a counted loop from its recorded count: the counter from its last value to its first.</summary>
    private static string BackByCount(BackByCountHeader b)
    {
        var (i, count, start) = (b.Counter, b.Count, ExprPrinter.Operand(b.Start));
        return (b.Ascending, start) switch
        {
            (true, "0") => $"for (int {i} = {count} - 1; {i} >= 0; {i}--)",
            (true, _) => $"for (int {i} = {start} + {count} - 1; {i} >= {start}; {i}--)",
            (false, _) => $"for (int {i} = {start} - {count} + 1; {i} <= {start}; {i}++)",
        };
    }

    private static string Condition(SweepCondition condition) => condition switch
    {
        ExprCondition e => ExprPrinter.Print(e.Condition),
        RecordCondition r => r.Record,
        TapeCondition t => $"{t.Tape}.PopBool()",
        CompareCondition c => $"{ExprPrinter.Operand(c.Left)} {Operators.Symbol(c.Op)} {ExprPrinter.Operand(c.Right)}",
        NonNegativeCondition n => $"{ExprPrinter.Operand(n.Value)} >= {Literals.PlainZero(n.Type)}",
        BothCondition b => $"{Condition(b.Left)} && {Condition(b.Right)}",
        NotCondition { Condition: RecordCondition or TapeCondition } n => "!" + Condition(n.Condition),
        NotCondition n => $"!({Condition(n.Condition)})",
        _ => throw new System.InvalidOperationException($"no spelling for the condition {condition.GetType().Name}"),
    };

    private static string Source(KeptSource source) => source switch
    {
        KeptInLocal local => local.Local,
        KeptOnTape tape => TapeFormat.Pop(tape.Tape, tape.Type),
        KeptInBlock block => $"{block.Kept}[--{block.KeptAt}]",
        KeptOnStack stack => $"{stack.Stack}.Pop()",
        _ => throw new System.InvalidOperationException($"no spelling for the source {source.GetType().Name}"),
    };

    private static string Keep(SweepKeep keep)
    {
        var value = ExprPrinter.Print(keep.Value);
        return keep.Place switch
        {
            KeepInLocal local => $"{Declared(local.DeclaredType)}{local.Local} = {value};",
            KeepOnTape tape => TapeFormat.Push(tape.Tape, tape.Type, value),
            KeepInBlock block => $"{block.Keep}[{block.KeepAt}++] = {value};",
            KeepOnStack stack => $"{stack.Stack}.Push({value});",
            _ => throw new System.InvalidOperationException($"no spelling for the place {keep.Place.GetType().Name}"),
        };
    }

    private static string Reason(SweepKeep keep) => keep.Reason switch
    {
        KeepReason.BeforeLoop => $" // the loop only adds to {ExprPrinter.Print(keep.Value)}, which the backward pass does not read inside it: its value before the loop is kept",
        KeepReason.RanToEnd => " // this iteration ran to its end",
        KeepReason.StoppedAt => $" // this iteration stopped at exit {ExprPrinter.Print(keep.Value)}",
        _ => string.Empty,
    };

    private static string Adjoint(CallAdjoint adjoint) => adjoint switch
    {
        AdjointByRef byRef => "ref " + ExprPrinter.Print(byRef.Target),
        AdjointSpan span => span.Adjoint,
        NoAdjoint => "null",
        TensorAdjoint { NullInFirst: { } first } tensor => $"{first.Counter} == {ExprPrinter.Print(first.Start)} ? null : {ExprPrinter.Print(tensor.Adjoint)}",
        TensorAdjoint tensor => ExprPrinter.Print(tensor.Adjoint),
        ThrowAwaySpan throwAway => $"new {Spell(throwAway.ElementType!)}[{throwAway.Array}.Length]",
        _ => throw new System.InvalidOperationException($"no spelling for the adjoint {adjoint.GetType().Name}"),
    };

    /// <summary>
    /// The number of iterations of a counted loop, written from its start and bound: <c>d</c>, <c>n - (i + 1)</c>, <c>n</c>
    /// for <c>i = n - 1; i &gt;= 0</c> and for <c>i = 1; i &lt;= n</c>. Below zero when the loop does not run (the tape takes none then).
    /// </summary>
    public static string Iterations(LoopIterations iterations)
    {
        var (from, to) = (iterations.From, iterations.To);
        if (from is LiteralExpr literal && ExprPrinter.Integer(literal) is { } start)
        {
            return ExprPrinter.Plus(to, (iterations.Inclusive ? 1 : 0) - start); // i = 1; i <= n: n
        }

        var difference = $"{ExprPrinter.Operand(to)} - {ExprPrinter.Operand(from)}";
        return iterations.Inclusive ? $"{difference} + 1" : difference;
    }
}
