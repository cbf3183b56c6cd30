using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Differentiate for tensor code: builds the sweeps of a <see cref="TensorPlan"/> from the same steps (<see cref="SweepStep"/>)
/// and the same rules as scalar code's builders — derivative rules called as <see cref="SweepRuleCall"/>s, float gates
/// through <see cref="GateRules"/>, float routers through <see cref="MaxMinRule"/>. What is its own is where values and
/// adjoints live: the forward sweep runs the steps as written (their tensors come from a workspace scope, so a warm call
/// allocates nothing, and a loop keeps its values on the workspace's stacks); the backward sweep walks them in reverse
/// and calls each function's derivative rule, which adds into the adjoints of its inputs — tensors zeroed, written
/// first or shared with the gradient an add gate passes on — so that gradients that meet add up in the same tensor.
/// </summary>
internal sealed partial class TensorSweepBuilder
{
    private readonly MethodModel _method;
    private readonly TensorProgram _program;
    private readonly NameBuilder _names;
    /// <summary>The adjoint of each named value that has one: parameters, steps, merges, carried variables.</summary>
    private readonly Dictionary<string, string> _adjoints = [];

    /// <summary>The gradient of each trainable field the body reads, by how the body reads it.</summary>
    private readonly Dictionary<Expr, Expr> _fieldAdjoints = [];

    /// <summary>Scalar adjoints named but not yet declared: the first contribution declares them (<c>float dq = g;</c>).</summary>
    private readonly HashSet<string> _undeclared = [];
    /// <summary>Per scalar type, the local that receives the adjoints of inputs that take no gradient.</summary>
    private readonly Dictionary<DataType, string> _discards = [];
    private readonly AdjointSharing _sharing;

    private TensorSweepBuilder(MethodModel method)
    {
        _method = method;
        _program = method.Tensors!;
        _names = new NameBuilder(method.ReservedNames
            .Concat(method.Parameters.Select(p => p.Name))
            .Concat(method.Parameters.Where(p => p.HasGradient).Select(p => p.GradientName!))
            .Concat(_program.Assigned.Select(a => a.Name))
            .Concat(_program.Fields.Select(f => f.GradientName).OfType<string>())
            .Concat(["dResult", "workspace"]));
        _sharing = new AdjointSharing(_program.Steps.ToList());
    }

    /// <summary>The plan of <c>…Backward</c> for a tensor method: its forward sweep, then its backward sweep.</summary>
    public static TensorPlan Plan(MethodModel method) => new TensorSweepBuilder(method).Plan();

    private TensorPlan Plan()
    {
        foreach (var parameter in _method.Parameters.Where(p => p.HasGradient))
        {
            _adjoints[parameter.Name] = parameter.GradientName!;
        }

        foreach (var field in _program.Fields)
        {
            _fieldAdjoints[field.Value] = field.Gradient;
        }

        var forward = new List<SweepStep>();
        Forward(forward, _program.Nodes, declare: true);

        var backward = new List<SweepStep>();
        var result = _program.Result;
        // The result is a float (only float methods have a backward of their own): a named value.
        if (result.Name is { } name && _adjoints.TryGetValue(name, out var resultOwner))
        {
            backward.Add(AddInto(resultOwner, result.Type, "dResult"));
        }
        else if (result.Active)
        {
            _adjoints[result.Name!] = "dResult";
        }

        BackwardOf(backward, _program.Nodes, inBranch: false);
        var discards = _discards.Select(d => (SweepStep)new SweepDeclareZero(d.Value, d.Key, ZeroRole.Discard));
        return new TensorPlan(_method, forward.ToEquatableArray(), discards.Concat(backward).ToEquatableArray());
    }

    /// <summary>
    /// The forward sweep as written. A branch's names are declared before it (its arms assign them), so that the backward
    /// sweep, after it, can read what the arm taken made.
    /// </summary>
    private void Forward(List<SweepStep> plan, IEnumerable<TensorNode> nodes, bool declare)
    {
        foreach (var node in nodes)
        {
            if (node is TensorStep step)
            {
                plan.Add(new TensorCompute(step.Target, step.Type, ForwardOf(step, declare), declare, step.Kind == TensorStepKind.Rule && step.Forward is BinaryExpr ? step.Function : null));
                continue;
            }

            if (node is TensorLoop loop)
            {
                LoopForward(plan, loop, declare);
                continue;
            }

            var branch = (TensorBranch)node;
            if (declare)
            {
                plan.AddRange(branch.Merges.Select(m => new TensorMergeDeclaration(m.Target, m.Type)));
                plan.AddRange(TensorProgram.DeclaredIn(branch.Then.Concat(branch.Else)).Select(a => new TensorMadeInBranch(a.Name, a.Type)));
            }

            _depth++;
            var then = new List<SweepStep>();
            Forward(then, branch.Then, declare: false);
            then.AddRange(branch.Merges.Select(m => new SweepAssign(TensorOperand.Variable(m.Target, m.Type), m.Then.Value)));
            var otherwise = new List<SweepStep>();
            Forward(otherwise, branch.Else, declare: false);
            otherwise.AddRange(branch.Merges.Select(m => new SweepAssign(TensorOperand.Variable(m.Target, m.Type), m.Else.Value)));
            _depth--;
            TakeHoisted(plan);
            If(plan, branch.Condition, then, otherwise);
        }
    }

    /// <summary>
    /// At the top level of the forward sweep, the stacks of the loops inside the branch or loop about to be written: the
    /// backward sweep, written after the forward one, reads them.
    /// </summary>
    private void TakeHoisted(List<SweepStep> plan)
    {
        if (_depth == 0 && _hoisted.Count > 0)
        {
            plan.Add(_hoisted[0] with { First = true });
            plan.AddRange(_hoisted.Skip(1));
            _hoisted.Clear();
        }
    }

    /// <summary>How many branches and loops the forward sweep being written is inside.</summary>
    private int _depth;

    /// <summary>The stacks of loops inside a branch or another loop, declared before the outermost one (<see cref="TakeHoisted"/>).</summary>
    private readonly List<TensorKeepStack> _hoisted = [];

    /// <summary>
    /// What a step's forward computes: its expression, or, for a rule that takes a residual, a call of the forward
    /// companion that hands the residual out (<c>Nn.SoftmaxCrossEntropyForward(scores, labels, out var probabilities)</c>).
    /// </summary>
    private static Expr ForwardOf(TensorStep step, bool declare) => step.Residual is not { } residual
        ? step.Forward
        : new OpaqueCallExpr(residual.Forward, step.Arguments.Select(a => a.Value.Value).Append(new OutExpr(residual.Name, DataType.Tensor, declare)).ToEquatableArray(), step.Forward.Type);

    /// <summary>The backward sweep of <paramref name="nodes"/>: in reverse, the steps whose values received a gradient.</summary>
    private void BackwardOf(List<SweepStep> plan, IEnumerable<TensorNode> nodes, bool inBranch)
    {
        foreach (var node in nodes.Reverse())
        {
            switch (node)
            {
                case TensorStep step when step.Active && _adjoints.ContainsKey(step.Target):
                    Step(plan, step, inBranch);
                    break;
                case TensorBranch branch:
                    Branch(plan, branch);
                    break;
                case TensorLoop loop:
                    Loop(plan, loop, inBranch);
                    break;
            }
        }
    }

    private void Step(List<SweepStep> plan, TensorStep step, bool inBranch)
    {
        var g = _adjoints[step.Target];
        _sharing.Consumed(step.Target, g);
        // Inside a branch no input shares: which other adjoints are still to be read depends on the arm taken.
        var shared = inBranch ? [] : _sharing.Choose(step, g, Enumerable.Range(0, step.Arguments.Count).Where(i => PassesThrough(step, i, step.Arguments[i].Value)));
        var declarations = new List<SweepStep>();
        var adjoints = step.Arguments.Select((a, i) => a.Slot == AdjointSlot.None ? null
            : shared.Contains(i) ? PassedThrough(a.Value, g, declarations)
            : AdjointOf(a.Value, declarations, fresh: WritesFirst(step, a))).ToList();
        if (step.Kind == TensorStepKind.Router)
        {
            var comment = plan.Count;
            plan.AddRange(declarations);
            plan.Insert(comment, new TensorGateComment(step.Target, step.Forward, Route(plan, step, g, adjoints)));
            return;
        }

        plan.Add(new TensorGateComment(step.Target, step.Forward, Describe(step)));
        plan.AddRange(declarations);
        if (step.Kind == TensorStepKind.Rule)
        {
            foreach (var (argument, i) in step.Arguments.Select((a, i) => (a, i)))
            {
                if (argument.Slot == AdjointSlot.Scalar && adjoints[i] is { } scalar && _undeclared.Remove(NameOf(scalar)))
                {
                    plan.Add(new SweepDeclareZero(NameOf(scalar), argument.Value.Type));
                }
            }

            var passed = step.Arguments.Select((a, i) => (a, i)).Where(x => x.a.Slot != AdjointSlot.None).Select(x => x.a.Slot == AdjointSlot.Tensor
                ? adjoints[x.i] is { } tensor
                    ? new TensorAdjoint(tensor, x.a.Value.Name is { } name && _firstIterationInactive.TryGetValue(name, out var first) ? first : null)
                    : (CallAdjoint)new NoAdjoint()
                : new AdjointByRef(adjoints[x.i] ?? TensorOperand.Variable(Discard(x.a.Value.Type), x.a.Value.Type)));
            var result = step.Pullback ? null : TensorOperand.Variable(step.Target, step.Type);
            var residual = step.Residual is { } kept ? TensorOperand.Variable(kept.Name, DataType.Tensor) : null;
            plan.Add(new SweepRuleCall(step.Rule!, step.Arguments.Select(a => a.Value.Value).ToEquatableArray(), result, TensorOperand.Variable(g, step.Type), passed.ToEquatableArray()) { Residual = residual, Instance = step.RuleInstance });
            return;
        }

        // Float arithmetic and Math functions of float results: the scalar gates, with the same rules as scalar code.
        // Contributions to the same adjoint (both operands of loss * loss) are added in one statement, as in scalar code.
        var rule = RuleOf(step);
        var gate = GateOf(step, g, rule.Companion);
        var terms = new List<(Expr Adjoint, List<RuleTerm> Terms)>();
        foreach (var contribution in rule.Contributions)
        {
            if (adjoints[contribution.Operand] is not { } adjoint)
            {
                continue;
            }

            var same = terms.FindIndex(t => t.Adjoint.Equals(adjoint));
            if (same < 0)
            {
                terms.Add((adjoint, []));
                same = terms.Count - 1;
            }

            terms[same].Terms.Add(new RuleTerm(contribution.Subtract, contribution.Value));
        }

        foreach (var (adjoint, parts) in terms)
        {
            plan.Add(new SweepContribute(adjoint, _undeclared.Remove(NameOf(adjoint)), parts.ToEquatableArray(), gate));
        }
    }

    /// <summary>
    /// A router (Max, Min, Abs, Clamp of float results) going back, by the rule scalar code's routers use (MaxMinRule):
    /// <c>if (a &gt;= b) da += g; else db += g;</c> — the adjoints are declared before the if, and an input that takes no
    /// gradient has no arm. Its description, for the gate's comment.
    /// </summary>
    private string Route(List<SweepStep> plan, TensorStep step, string g, List<Expr?> adjoints)
    {
        var router = new RouterSteps(step, adjoints, GateOf(step, g, companion: null));
        var description = MaxMinRule.TryApply(router, step.Function) ?? throw new System.InvalidOperationException($"{step.Function} is no router");
        foreach (var (adjoint, i) in adjoints.Select((a, i) => (a, i)).Where(x => x.a is not null && _undeclared.Remove(NameOf(x.a))).ToList())
        {
            plan.Add(new SweepDeclareZero(NameOf(adjoint!), step.Arguments[i].Value.Type));
        }

        plan.AddRange(router.Steps);
        return description;
    }

    /// <summary>How the router rule writes a float router of tensor code: into the float adjoints of its operands, in blocks.</summary>
    private sealed class RouterSteps(TensorStep step, List<Expr?> adjoints, GateNames gate) : IRouterContext
    {
        public List<SweepStep> Steps { get; private set; } = [];

        public DataType ResultType => step.Type;

        public Expr Operand(int index) => step.Arguments[index].Value.Value;

        public bool IsActive(int index) => adjoints[index] is not null;

        public void Into(int index, Term term, bool subtract = false)
        {
            if (adjoints[index] is { } adjoint)
            {
                Steps.Add(new SweepContribute(adjoint, Declare: false, EquatableArray.Of(new RuleTerm(subtract, term)), gate));
            }
        }

        public void Block(SweepHeader header, System.Action body)
        {
            var outer = Steps;
            Steps = [];
            body();
            var inner = Steps;
            Steps = outer;
            if (inner.Count > 0)
            {
                Steps.Add(new SweepBlock(header, inner.ToEquatableArray(), EquatableArray<SweepStep>.Empty));
            }
        }
    }

    /// <summary><c>if (condition) { then } else { otherwise }</c>, with no else when <paramref name="otherwise"/> is empty: the condition takes no gradient.</summary>
    private static void If(List<SweepStep> plan, Expr condition, List<SweepStep> then, List<SweepStep> otherwise)
    {
        plan.Add(new SweepBlock(new IfHeader(new ExprCondition(condition)), then.ToEquatableArray(), EquatableArray<SweepStep>.Empty));
        if (otherwise.Count > 0)
        {
            plan.Add(new SweepBlock(new ElseHeader(), otherwise.ToEquatableArray(), EquatableArray<SweepStep>.Empty));
        }
    }

    /// <summary>The scalar gate rule of a float arithmetic or Math step.</summary>
    private static GateRule RuleOf(TensorStep step) => step.Kind == TensorStepKind.Math
        ? GateRules.ForMath(step.Function, step.Arguments.Count)!
        : GateRules.ForKind(step.Operator == BinaryOp.Subtract && step.Arguments.Count == 1 ? GateKind.Negate : GateKinds.Of(step.Operator!.Value))!;

    /// <summary>
    /// What a float gate's rule terms stand for: its gradient, result and operands, and its companion computed where the
    /// rule needs it (tensor code keeps every value, so sin's cos is computed again: <c>MathF.Cos(x)</c>).
    /// </summary>
    private static GateNames GateOf(TensorStep step, string g, CompanionValue? companion)
    {
        var operands = step.Arguments.Select(a => a.Value.Value).ToEquatableArray();
        var type = step.Type;
        var computed = companion is null ? null
            : new MathCallExpr(step.Type.Kind == DataKind.Float ? "MathF" : "Math", char.ToUpperInvariant(companion.Name[0]) + companion.Name.Substring(1), EquatableArray.Of(operands[0]), type);
        return new GateNames(TensorOperand.Variable(g, step.Type), TensorOperand.Variable(step.Target, step.Type), operands, computed);
    }

    /// <summary><paramref name="g"/> added into a float adjoint as it is (a copy passes its gradient on); the first contribution declares it.</summary>
    private SweepContribute AddInto(string adjoint, DataType type, string g)
    {
        var into = TensorOperand.Variable(adjoint, type);
        return new(into, _undeclared.Remove(adjoint), EquatableArray.Of(new RuleTerm(Subtract: false, Term.G)), new GateNames(TensorOperand.Variable(g, type), into, EquatableArray<Expr>.Empty));
    }

    /// <summary>
    /// The adjoint of an operand, declared (as zero) the first time the backward sweep reaches it; for a field, its
    /// gradient; for an element of an array, the same element of the array's gradient; null when it takes no gradient.
    /// </summary>
    /// <param name="operand">The operand.</param>
    /// <param name="declarations">Where its declaration goes, when this is the first time.</param>
    /// <param name="fresh">A new tensor adjoint is one the rule called next writes first (no zeroing pass).</param>
    private Expr? AdjointOf(TensorOperand operand, List<SweepStep> declarations, bool fresh = false)
    {
        if (!operand.Active)
        {
            return null;
        }

        if (operand.Element is { } element)
        {
            var array = element.Array is VariableExpr parameter
                ? _adjoints.TryGetValue(parameter.Name, out var gradients) ? new VariableExpr(gradients, parameter.Type) : null
                : _fieldAdjoints.TryGetValue(element.Array, out var field) ? field : null;
            return array is null ? null : new IndexerExpr(array, element.Index, DataType.Tensor);
        }

        if (operand.Name is not { } value)
        {
            return _fieldAdjoints.TryGetValue(operand.Value, out var gradient) ? gradient : null;
        }

        if (!_adjoints.TryGetValue(value, out var name))
        {
            name = _names.Unique("d" + value);
            _adjoints[value] = name;
            if (operand.IsTensor)
            {
                declarations.Add(new TensorZeros(name, value, fresh));
            }
            else
            {
                _undeclared.Add(name);
            }
        }

        return TensorOperand.Variable(name, operand.Type);
    }

    /// <summary>
    /// True when the rule of <paramref name="step"/> may write <paramref name="argument"/>'s adjoint first: it marks it
    /// [WritesFirst], and the adjoint, if new here, is not passed as null in a loop's first iteration (where the rule
    /// would not write it).
    /// </summary>
    private bool WritesFirst(TensorStep step, TensorArgument argument) =>
        step.Kind == TensorStepKind.Rule && argument.WritesFirst
        && !(argument.Value.Name is { } name && _firstIterationInactive.ContainsKey(name));

    /// <summary>The name of a float's adjoint: floats are named values, and so are their adjoints.</summary>
    private static string NameOf(Expr adjoint) => ((VariableExpr)adjoint).Name;

    /// <summary>
    /// A rule that marks an input's adjoint [SharesGradient] passes its gradient on to it unchanged (the add gate: both
    /// inputs of Add, the first of Subtract): an intermediate tensor there, with no adjoint yet, can share the output's
    /// adjoint instead of getting a zeroed copy.
    /// </summary>
    private bool PassesThrough(TensorStep step, int index, TensorOperand operand) =>
        step.Arguments[index].SharesGradient && operand.IsTensor && operand.Active && operand.Name is { } name && !_adjoints.ContainsKey(name)
        && (_program.Steps.Any(s => s.Target == name) || _entries.Contains(name))
        && step.Arguments.Count(a => a.Value.Name == name) == 1;

    private Expr PassedThrough(TensorOperand operand, string g, List<SweepStep> declarations)
    {
        var value = operand.Name!;
        var name = _names.Unique("d" + value);
        _adjoints[value] = name;
        _sharing.Shares(name, g, value);
        declarations.Add(new TensorShared(name, value, g));
        return TensorOperand.Variable(name, operand.Type);
    }

    private string Discard(DataType type)
    {
        if (!_discards.TryGetValue(type, out var name))
        {
            name = _names.Unique("discarded");
            _discards[type] = name;
        }

        return name;
    }

    private static string Describe(TensorStep step) => step.Kind switch
    {
        TensorStepKind.Rule => $"{step.Rule!.Substring(step.Rule.LastIndexOf('.') + 1)} adds the gradient through {step.Function}",
        _ => RuleOf(step).Comment,
    };
}
