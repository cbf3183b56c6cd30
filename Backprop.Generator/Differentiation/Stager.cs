using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Breaks each differentiable expression into gates, one operation each, naming every intermediate for what it
/// holds (sum, product, exp). Differentiable <c>?:</c> becomes an if, so only the branch taken is evaluated.
/// </summary>
internal sealed class Stager(Activity activity, NameBuilder names, string resultName)
{
    private readonly Dictionary<string, DataType> _temps = [];
    private List<Staged> _out = [];
    private bool _inLoop;
    private int _depth;

    /// <summary>Every intermediate the stager introduced, with its type.</summary>
    public Dictionary<string, DataType> Temps => _temps;

    /// <summary>
    /// True when a <c>c ? a : b</c> with a constant condition was folded to one arm: a local the user's code reads only in
    /// the other arm is then assigned and never read in the generated code (CS0219).
    /// </summary>
    public bool FoldedConstantBranch { get; private set; }

    /// <summary>
    /// True when the method returns a constant (<c>return 1.48 * 0.99;</c>, which BP0012 warns about): the directional
    /// derivative's pullback keeps that value in a local nothing reads (CS0219).
    /// </summary>
    public bool ConstantResult { get; private set; }

    /// <summary>
    /// True when the generated code has code the compiler proves never runs (CS0162), though the user's has none: an if,
    /// a loop or a <c>c ? a : b</c> with a condition made of constants (<c>0.8 &gt; 0.0</c>: a local function read in
    /// place with a constant argument, or whose body is a constant) — the branch never taken; or a <c>foreach</c> whose
    /// body always leaves (<c>return</c>) — the step <c>vIndex++</c> of the counted loop it is written as; or a do-loop
    /// whose condition assigns, after a body that always breaks — the test Parse moved into the loop; or the arm of an
    /// <c>if (true)</c> (or <c>if (false)</c>) the user left empty, which the sweeps fill when the loop around keeps its
    /// saves in one block (<see cref="NoteDeadArm"/>).
    /// </summary>
    public bool UnreachableCode { get; private set; }

    /// <summary>The sweeps write into an arm of a constant condition that never runs (a block save's skip): see <see cref="UnreachableCode"/>.</summary>
    public void NoteDeadArm() => UnreachableCode = true;

    /// <summary>
    /// True when a comparison has the same variable on both sides (<c>y &gt; y</c>: a local function <c>v =&gt; v &gt; y</c>
    /// read in place with <c>y</c>): the compiler warns (CS1718) though the value is what the user's code computes.
    /// </summary>
    public bool SelfComparison { get; private set; }

    public List<Staged> Stage(IEnumerable<Stmt> body)
    {
        var staged = StageBlock(body);
        var id = 0;
        Number(staged, ref id);
        return staged;
    }

    private static void Number(List<Staged> statements, ref int id)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case StagedExit exit:
                    exit.Id = ++id;
                    break;
                case StagedIf s:
                    Number(s.Then, ref id);
                    Number(s.Else, ref id);
                    break;
                case StagedLoop loop:
                    Number(loop.Body, ref id);
                    break;
            }
        }
    }

    private List<Staged> StageBlock(IEnumerable<Stmt> statements)
    {
        // A statement that never completes followed by others: Parse put them there (the test of a do-loop whose
        // condition assigns, after a body that always breaks: fuzz seed 1523), where the user's code has none.
        var list = statements.ToList();
        UnreachableCode |= list.Take(list.Count - 1).Any(s => !Reachability.CompletesNormally(s));
        var saved = _out;
        _out = [];
        _depth++;
        foreach (var statement in statements)
        {
            StageStatement(statement);
        }

        _depth--;
        var result = _out;
        _out = saved;
        return result;
    }

    private void Add(Staged staged)
    {
        staged.InLoop = _inLoop;
        staged.AtTop = _depth == 1;
        _out.Add(staged);
    }

    private void StageStatement(Stmt statement)
    {
        switch (statement)
        {
            case AssignStmt assign:
                SelfComparison |= SelfCompares(assign.Value);
                StageAssignment(assign.Target, assign.Value);
                break;
            case IfStmt s:
                NoteCondition(s.Condition);
                Add(new StagedIf(s.Condition, StageBlock(s.Then), StageBlock(s.Else), s.Text));
                break;
            case CountedForStmt s:
                UnreachableCode |= !Reachability.CompletesNormally(s.Body) && !Reachability.Continues(s.Body);
                Add(new StagedLoop(s.Bound, StageLoopBody(s.Body), s.Text) { Counted = s });
                break;
            case WhileStmt s:
                NoteCondition(s.Condition);

                // A body that never reaches its end (it ends in 'if (true) { …; continue; }': fuzz seed 1548): what the
                // backward pass records after it ("this iteration ran to its end") never runs.
                UnreachableCode |= !Reachability.CompletesNormally(s.Body);
                Add(new StagedLoop(s.Condition, StageLoopBody(s.Body), s.Text) { IsDo = s.IsDo });
                break;
            case BreakStmt:
                Add(new StagedExit(ExitKind.Break));
                break;
            case ContinueStmt:
                Add(new StagedExit(ExitKind.Continue));
                break;
            case ReturnStmt r:
                ConstantResult |= Reachability.IsConstant(r.Value);
                StageAssignment(new VariableExpr(resultName, r.Value.Type), r.Value);
                Add(new StagedExit(ExitKind.Return));
                break;
            default:
                // Never silently drop a statement: that would be a wrong gradient. Reported as BP0001 at the method.
                throw new System.InvalidOperationException($"no staging for a {statement.GetType().Name}");
        }
    }

    private List<Staged> StageLoopBody(IEnumerable<Stmt> body)
    {
        var wasInLoop = _inLoop;
        _inLoop = true;
        var staged = StageBlock(body);
        _inLoop = wasInLoop;
        return staged;
    }

    /// <summary>Stages <c>target = value</c>: operands first, then one gate that writes the target.</summary>
    private void StageInto(Expr target, Expr value) => StageInto(() => target, value);

    /// <summary>
    /// Stages <c>target = value</c>; <paramref name="target"/> is asked for only once the operands are staged,
    /// so intermediates are named in the order they are computed (sum, then sum2).
    /// </summary>
    private Expr StageInto(System.Func<Expr> target, Expr value)
    {
        if (!activity.IsActive(value))
        {
            return Emit(GateKind.Inactive, target(), [], value);
        }

        switch (value)
        {
            case VariableExpr or ElementExpr:
                return Emit(GateKind.Copy, target(), [value]);
            case BinaryExpr division when SigmoidOf(division) is { } input:
                var sigmoidInput = StageOperand(input);
                var sigmoid = new Gate(GateKind.Sigmoid, target(), [sigmoidInput]) { Value = division };
                Add(sigmoid);
                return sigmoid.Target;
            case BinaryExpr binary:
                var kind = GateKinds.Of(binary.Op);
                var left = StageOperand(binary.Left);
                var right = StageOperand(binary.Right);
                return Emit(kind, target(), [left, right]);
            case UnaryExpr { Op: UnaryOp.Negate } negation:
                var negated = StageOperand(negation.Operand);
                return Emit(GateKind.Negate, target(), [negated]);
            case UnaryExpr plus:
                var operand = StageOperand(plus.Operand);
                return Emit(GateKind.Copy, target(), [operand]);
            case CastExpr cast when cast.Operand.Type == cast.Type:
                return StageInto(target, cast.Operand);
            case CastExpr cast:
                var converted = StageOperand(cast.Operand);
                return Emit(GateKind.Convert, target(), [converted]);
            case MathCallExpr math:
                var arguments = math.Arguments.Select(StageOperand).ToList();
                var gate = new Gate(GateKind.Math, target(), arguments) { Math = math };
                if (GateRules.ForMath(math.Function, arguments.Count)?.Companion is { } companion)
                {
                    gate.Companion = NewTempName(companion.Name, math.Type);
                }

                Add(gate);
                return gate.Target;
            case UserCallExpr call:
                var operands = call.Arguments
                    .Select(a => a.Shape == ParameterShape.Scalar ? StageOperand(a.Value) : a.Value)
                    .ToList();
                var callGate = new Gate(GateKind.Call, target(), operands) { Call = call };
                Add(callGate);
                return callGate.Target;
            case ConditionalExpr { Condition: LiteralExpr { Text: "true" or "false" } constant } conditional:
                // A constant condition (folded by the compiler): only one arm ever runs; an 'if (true)' would warn.
                FoldedConstantBranch = true;
                return StageInto(target, constant.Text == "true" ? conditional.WhenTrue : conditional.WhenFalse);
            case ConditionalExpr conditional:
                NoteCondition(conditional.Condition);
                var chosen = target();
                var then = StageBranch(chosen, conditional.WhenTrue);
                var otherwise = StageBranch(chosen, conditional.WhenFalse);
                Add(new StagedIf(conditional.Condition, then, otherwise, text: null));
                return chosen;
            default:
                return Emit(GateKind.Inactive, target(), [], value);
        }
    }

    /// <summary>Stages an assignment the user wrote; a gate may read its own target only as an accumulation (s = s + e).</summary>
    private void StageAssignment(Expr target, Expr value)
    {
        if (activity.IsActive(value) && value is BinaryExpr { Op: BinaryOp.Add } sum && sum.Right == target && !Mentions(sum.Left, target))
        {
            Emit(GateKind.Add, target, [target, StageOperand(sum.Left)]);
            return;
        }

        if (activity.IsActive(value) && value is BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } accumulation && accumulation.Left == target && !Mentions(accumulation.Right, target))
        {
            Emit(accumulation.Op == BinaryOp.Add ? GateKind.Add : GateKind.Subtract, target, [target, StageOperand(accumulation.Right)]);
            return;
        }

        if (activity.IsActive(value) && Mentions(value, target))
        {
            var temp = StageInto(() => NewTemp(value), value);
            Emit(GateKind.Copy, target, [temp]);
            return;
        }

        StageInto(target, value);
    }

    private Expr Emit(GateKind kind, Expr target, List<Expr> operands, Expr? value = null)
    {
        Add(new Gate(kind, target, operands) { Value = value });
        return target;
    }

    /// <summary>For <c>1 / (1 + Math.Exp(-s))</c> (or MathF), the input s; else null.</summary>
    public static Expr? SigmoidOf(BinaryExpr division) =>
        division is { Op: BinaryOp.Divide, Left: var one, Right: BinaryExpr { Op: BinaryOp.Add, Left: var onePlus, Right: MathCallExpr { Function: "Exp" } exp } }
        && one.IsOne && onePlus.IsOne && exp.Arguments.Count == 1 && exp.Arguments[0] is UnaryExpr { Op: UnaryOp.Negate } negation
            ? negation.Operand
            : null;

    private List<Staged> StageBranch(Expr target, Expr value)
    {
        var saved = _out;
        _out = [];
        _depth++;
        StageInto(target, value);
        _depth--;
        var result = _out;
        _out = saved;
        return result;
    }

    /// <summary>An operand as an atom: active variables and elements as they are, inactive values inline, the rest staged into a temp.</summary>
    private Expr StageOperand(Expr operand)
    {
        if (operand is CastExpr { IsImplicit: true } cast && cast.Operand.Type == cast.Type)
        {
            return StageOperand(cast.Operand);
        }

        if (operand is VariableExpr or ElementExpr || !activity.IsActive(operand) && !HasUserCall(operand))
        {
            return operand;
        }

        return StageInto(() => NewTemp(operand), operand);
    }

    private VariableExpr NewTemp(Expr value) => new(NewTempName(NameFor(value), value.Type), value.Type);

    private string NewTempName(string name, DataType type)
    {
        var unique = names.Unique(name);
        _temps[unique] = type;
        return unique;
    }

    private static string NameFor(Expr value) => value switch
    {
        BinaryExpr b when b.Op.ResultName() is { } name => name,
        UnaryExpr => "negation",
        CastExpr => "converted",
        MathCallExpr m => m.Function.ToLowerInvariant(),
        UserCallExpr call => char.ToLowerInvariant(call.Name[0]) + call.Name.Substring(1),
        ConditionalExpr => "choice",
        _ => "value",
    };

    private static bool HasUserCall(Expr expr) => expr switch
    {
        UserCallExpr or OpaqueCallExpr => true,
        UnaryExpr u => HasUserCall(u.Operand),
        BinaryExpr b => HasUserCall(b.Left) || HasUserCall(b.Right),
        ConditionalExpr c => HasUserCall(c.Condition) || HasUserCall(c.WhenTrue) || HasUserCall(c.WhenFalse),
        CastExpr c => HasUserCall(c.Operand),
        MathCallExpr m => m.Arguments.Any(HasUserCall),
        StopGradientExpr s => HasUserCall(s.Operand),
        _ => false,
    };

    /// <summary>True when <paramref name="expr"/> reads <paramref name="target"/> (for an element target: any element of its array).</summary>
    private static bool Mentions(Expr expr, Expr target)
    {
        var name = target switch
        {
            VariableExpr v => v.Name,
            ElementExpr e => e.Array,
            _ => null,
        };
        return Reads(expr).Contains(name!);
    }

    /// <summary>Notes what in a condition the compiler would warn about in the generated code (see <see cref="UnreachableCode"/>).</summary>
    private void NoteCondition(Expr condition)
    {
        UnreachableCode |= condition is not LiteralExpr && Reachability.IsConstant(condition);
        SelfComparison |= SelfCompares(condition);
    }


    private static bool SelfCompares(Expr expr) =>
        expr is BinaryExpr { Op: var op, Left: VariableExpr left, Right: VariableExpr right } && op.IsComparison() && left == right
        || Children(expr).Any(SelfCompares);

    /// <summary>Every variable and array name <paramref name="expr"/> reads.</summary>
    public static IEnumerable<string> Reads(Expr expr)
    {
        switch (expr)
        {
            case VariableExpr v:
                yield return v.Name;
                break;
            case ElementExpr e:
                yield return e.Array;
                foreach (var name in Reads(e.Index))
                {
                    yield return name;
                }

                break;
            case LengthExpr l:
                yield return l.Array;
                break;
            default:
                foreach (var child in Children(expr))
                {
                    foreach (var name in Reads(child))
                    {
                        yield return name;
                    }
                }

                break;
        }
    }

    /// <summary>The variables whose values <paramref name="expr"/> reads: as <see cref="Reads"/>, but an array's length reads none of its elements.</summary>
    public static IEnumerable<string> ValuesRead(Expr expr) => expr switch
    {
        LengthExpr => [],
        VariableExpr v => [v.Name],
        ElementExpr e => ValuesRead(e.Index).Prepend(e.Array),
        _ => Children(expr).SelectMany(ValuesRead),
    };

    /// <summary>The expressions <paramref name="expr"/> is made of (an element's index is not among them).</summary>
    public static IEnumerable<Expr> Children(Expr expr) => expr switch
    {
        UnaryExpr u => [u.Operand],
        BinaryExpr b => [b.Left, b.Right],
        ConditionalExpr c => [c.Condition, c.WhenTrue, c.WhenFalse],
        CastExpr c => [c.Operand],
        MathCallExpr m => m.Arguments,
        UserCallExpr call => call.Arguments.Select(a => a.Value),
        StopGradientExpr s => [s.Operand],
        NewArrayExpr n => [n.Length],
        OpaqueCallExpr call => call.Arguments,
        _ => [],
    };
}
