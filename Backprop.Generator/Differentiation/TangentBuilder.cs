using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Forward mode (a Jacobian-vector product), as steps for Emit: <c>FTangent(params…, tangents…, out dResult)</c> runs
/// the staged forward pass and, after each gate, its tangent — "if we change s by some amount, z is also changed:
/// dz = ds·h'(s)". Each gate's tangent comes from the same rule as its backward step: the rule's terms are linear in the
/// output adjoint, so with an operand's tangent in its place they give that operand's share of dz. Nothing is saved or
/// replayed.
/// </summary>
internal sealed class TangentBuilder
{
    /// <summary>The comment of a divide gate whose operands both carry a tangent (<see cref="QuotientTangent"/>).</summary>
    private const string QuotientComment = "divide gate: d(a/b) = (da - (a/b)·db)/b";

    private readonly HeldSinCos _held = new();

    private readonly MethodModel _method;
    private readonly NameBuilder _names;
    private readonly string _resultName;
    private readonly Dictionary<string, DataType> _types;
    private readonly Dictionary<string, string> _tangents = [];

    /// <summary>The differentiable parameters and every name a non-inactive gate assigns: they carry a tangent.</summary>
    private readonly HashSet<string> _active = [];

    private TangentBuilder(MethodModel method, NameBuilder names, string resultName, Dictionary<string, DataType> types)
    {
        _method = method;
        _names = names;
        _resultName = resultName;
        _types = types;
    }

    /// <summary>The forward mode of the scalar method <paramref name="method"/>.</summary>
    public static TangentPlan Plan(MethodModel method)
    {
        var staged = StagedBody.Of(method);

        // Declared at the top of …Tangent: locals and temporaries (parameters are parameters; loop counters live in their for).
        var counters = new HashSet<string>(method.Locals.Where(l => l.IsCountedLoopVariable).Select(l => l.Name));
        var types = staged.Types
            .Where(t => !counters.Contains(t.Key) && !method.Parameters.Any(p => p.Name == t.Key))
            .ToDictionary(t => t.Key, t => t.Value);
        return new TangentBuilder(method, staged.Names, staged.ResultName, types).Plan(staged.Body);
    }

    private TangentPlan Plan(List<Staged> body)
    {
        foreach (var parameter in _method.Parameters.Where(p => p.HasGradient))
        {
            _tangents[parameter.Name] = parameter.GradientName!;
        }

        _tangents[_resultName] = "dResult";
        _active.UnionWith(StagedBody.ActiveNames(_method, body));
        var steps = Steps(body);
        return new TangentPlan(
            _resultName,
            _types.Where(t => t.Key != _resultName).Select(t => new LocalDeclaration(t.Key, t.Value)).ToEquatableArray(),
            _tangents.Where(t => _types.ContainsKey(t.Key) && t.Key != _resultName).Select(t => new TangentLocal(t.Value, _types[t.Key], t.Key)).ToEquatableArray(),
            steps.ToEquatableArray(),
            ReturnsAtEnd: _method.ReturnType != DataType.Void && !Exits.EndsWithExit(body));
    }

    /// <summary>The steps of <paramref name="statements"/>: each gate, then its tangent.</summary>
    private List<SweepStep> Steps(List<Staged> statements)
    {
        var steps = new List<SweepStep>();
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Gate gate:
                    GateSteps(gate, steps);
                    break;
                case StagedIf s:
                    List<SweepStep> then = [], otherwise = [];
                    _held.InBlock([.. s.Then, .. s.Else], loop: false, () => then = Steps(s.Then), () => otherwise = Steps(s.Else));
                    steps.Add(new SweepBlock(new IfHeader(new ExprCondition(s.Condition)), then.ToEquatableArray(), EquatableArray<SweepStep>.Empty));
                    if (s.Else.Count > 0)
                    {
                        steps.Add(new SweepBlock(new ElseHeader(), otherwise.ToEquatableArray(), EquatableArray<SweepStep>.Empty));
                    }

                    break;
                case StagedLoop loop:
                    SweepHeader header = loop.Counted is { } c ? new ForHeader(c.Variable, c.Start, c.Comparison, loop.Condition, c.Ascending)
                        : loop.IsDo ? new DoHeader()
                        : new WhileHeader(loop.Condition);
                    List<SweepStep> body = [];
                    _held.InBlock(loop.Body, loop: true, () => body = Steps(loop.Body));
                    steps.Add(new SweepBlock(header, body.ToEquatableArray(), EquatableArray<SweepStep>.Empty, loop.IsDo ? loop.Condition : null));
                    break;
                case StagedExit exit:
                    steps.Add(exit.Kind switch
                    {
                        ExitKind.Break => new SweepJump(JumpKind.Break),
                        ExitKind.Continue => new SweepJump(JumpKind.Continue),
                        _ => new SweepReturn(new VariableExpr(_resultName, _method.ReturnType)),
                    });
                    break;
            }
        }

        return steps;
    }

    private void GateSteps(Gate gate, List<SweepStep> into)
    {
        var target = gate.Target;
        var active = gate.Kind != GateKind.Inactive && gate.Operands.Any(IsActiveOperand);
        if (gate.Kind == GateKind.Call)
        {
            _held.Forget(null);
            CallSteps(gate, active, into);
            return;
        }

        if (gate.Companion is null)
        {
            _held.Forget(gate.Written); // what this gate writes is written below, before any later gate reads it
        }

        if (gate.Kind == GateKind.Inactive)
        {
            into.Add(new SweepGate(GateStatements.Of(gate)));
            if (gate.Value is NewArrayExpr array && _active.Contains(gate.TargetName))
            {
                into.Add(new SweepAssign(new VariableExpr(Tangent(gate.TargetName), array.Type), array));
            }
            else if (HasTangent(gate.TargetName))
            {
                into.Add(new SweepTangent(TangentOf(target), new NoTangent(target.Type), "a constant: no tangent"));
            }

            return;
        }

        var comment = DividesTangents(gate) ? QuotientComment
            : GateRules.For(gate)?.Comment ?? (gate.Kind == GateKind.Convert ? "conversion" : "router: the tangent of the input that won");
        if (active && gate.Companion is null && gate.Operands.Any(o => Stager.Reads(o).Contains(gate.TargetName)))
        {
            // The gate overwrites one of its operands (x = x * y): the tangent reads the operands' old values, so the new
            // value and its tangent are computed first and then stored.
            var next = new VariableExpr(_names.Unique(Identifier.Bare(gate.TargetName) + "Next"), target.Type);
            into.Add(new SweepAssign(next, GateStatements.ValueOf(gate), target.Type));
            var tangentNext = new VariableExpr(_names.Unique("d" + next.Name), target.Type);
            into.Add(new SweepTangent(tangentNext, TangentValue(gate, next) ?? new NoTangent(target.Type), comment, target.Type));
            into.Add(new SweepAssign(target, next));
            into.Add(new SweepAssign(TangentOf(target), tangentNext));
            return;
        }

        if (gate.Companion is { } companion)
        {
            Expr other = new VariableExpr(companion, target.Type);
            var (sin, cos) = GateRules.For(gate)!.Companion!.ResultFirst ? (target, other) : (other, target);
            into.Add(_held.Assign(gate, (sin, null), (cos, null), sin, cos));
        }
        else
        {
            into.Add(new SweepGate(GateStatements.Of(gate)));
        }

        if ((active ? TangentValue(gate, target) : null) is { } value)
        {
            into.Add(new SweepTangent(TangentOf(target), value, comment));
        }
        else if (HasTangent(gate.TargetName))
        {
            into.Add(new SweepTangent(TangentOf(target), new NoTangent(target.Type)));
        }
    }

    /// <summary>
    /// Σ over the rule's contributions of the term with the operand's tangent in place of the output adjoint, the gate's
    /// output being <paramref name="result"/>; null when no operand carries a tangent.
    /// </summary>
    private TangentValue? TangentValue(Gate gate, Expr result)
    {
        if (gate.Kind == GateKind.Convert)
        {
            return new ConvertedTangent(gate.Target.Type, TangentOf(gate.Operands[0]));
        }

        if (gate.Kind == GateKind.Multiply && gate.Operands[0] == gate.Operands[1])
        {
            // q = a * a: dq = 2·a·da, one term where the multiply gate's rule gives two equal ones.
            return new SquareTangent(gate.Operands[0], TangentOf(gate.Operands[0]), gate.Target.Type);
        }

        if (DividesTangents(gate))
        {
            // q = a / b: dq = (da - q·db)/b, one division where the rule's two terms each divide by b.
            return new QuotientTangent(TangentOf(gate.Operands[0]), result, TangentOf(gate.Operands[1]), gate.Operands[1], gate.Target.Type);
        }

        // s = s + e keeps the adjoint of s as it is in the backward pass (its rule has no term for s), but its tangent
        // changes: ds + de. Forward mode uses the add and subtract gates' full rules.
        var rule = gate.IsAccumulation ? GateRules.ForKind(gate.Kind) : GateRules.For(gate);
        if (rule is null)
        {
            // max, min, abs, clamp: the tangent of the input the router sends the gradient to (same ties as backward).
            var inputs = gate.Operands.Select(o => new RouterInput(o, IsActiveOperand(o) ? TangentOf(o) : null));
            return new RoutedTangent(gate.Math!.Function, inputs.ToEquatableArray(), gate.Target.Type);
        }

        var terms = rule.Contributions.Where(c => IsActiveOperand(gate.Operands[c.Operand]))
            .Select(c => new TangentTerm(c.Subtract, c.Value, TangentOf(gate.Operands[c.Operand])))
            .ToEquatableArray();
        var names = new GateNames(TangentOf(gate.Target), result, gate.Operands.ToEquatableArray(), gate.Companion is { } companion ? new VariableExpr(companion, gate.Target.Type) : null);
        return terms.Count == 0 ? null : new TangentTerms(terms, names);
    }

    /// <summary>True for <c>q = a / b</c> with both operands carrying a tangent: its tangent is a <see cref="QuotientTangent"/>.</summary>
    private bool DividesTangents(Gate gate) => gate.Kind == GateKind.Divide && gate.Operands.All(IsActiveOperand);

    /// <summary>z = G(args): G's own tangent; z = F(args) with a [DerivativeRule]: the rule with dResult = 1 gives the partials.</summary>
    private void CallSteps(Gate gate, bool active, List<SweepStep> into)
    {
        var call = gate.Call!;
        var target = gate.Target;
        var arguments = gate.Operands.ToEquatableArray();
        if (!active)
        {
            into.Add(new SweepGate(GateStatements.Of(gate)));
            if (HasTangent(gate.TargetName))
            {
                into.Add(new SweepTangent(TangentOf(gate.Target), new NoTangent(gate.Target.Type)));
            }

            return;
        }

        if (call.Rule is { } rule)
        {
            // The rule reads the arguments as they were: when the call overwrites one (x = F(x)), the value waits in a local.
            if (gate.Operands.Any(o => Stager.Reads(o).Contains(gate.TargetName)))
            {
                target = new VariableExpr(_names.Unique(Identifier.Bare(gate.TargetName) + "Next"), gate.Target.Type);
                into.Add(new SweepAssign(target, GateStatements.ValueOf(gate), gate.Target.Type));
            }
            else
            {
                into.Add(new SweepGate(GateStatements.Of(gate)));
            }

            var partials = call.Arguments.Select((a, i) => a.Shape == ParameterShape.Scalar ? _names.Unique("partial") : null).ToList();
            foreach (var partial in partials.OfType<string>())
            {
                into.Add(new SweepZero(new VariableExpr(partial, gate.Target.Type), gate.Target.Type));
            }

            into.Add(new SweepRulePartials(rule, arguments, target, gate.Target.Type, partials.OfType<string>().ToEquatableArray(), call.Name));
            var terms = partials.Select((p, i) => p is not null && IsActiveOperand(gate.Operands[i]) ? new PartialTimesTangent(p, TangentOf(gate.Operands[i])) : null).OfType<PartialTimesTangent>();
            into.Add(new SweepTangent(TangentOf(gate.Target), new PartialsTangent(terms.ToEquatableArray(), gate.Target.Type), "call: the rule's partials times the tangents"));
            if (target != gate.Target)
            {
                into.Add(new SweepAssign(gate.Target, target));
            }

            return;
        }

        var tangents = call.Arguments.Select((a, i) => a.Shape switch
        {
            ParameterShape.Scalar => IsActiveOperand(gate.Operands[i]) ? new TangentOf(TangentOf(gate.Operands[i])) : new ZeroTangent(a.Value.Type),
            ParameterShape.Sequence => gate.Operands[i] is VariableExpr v && _active.Contains(v.Name) ? new SpanTangent(Tangent(v.Name)) : (CallTangent)new ZeroSpanTangent(ElementOf(a.Value.Type), gate.Operands[i]),
            _ => null,
        }).OfType<CallTangent>();
        into.Add(new SweepTangentCall(call, target, arguments, tangents.ToEquatableArray(), TangentOf(gate.Target)));
    }

    private bool IsActiveOperand(Expr operand) => operand switch
    {
        VariableExpr v => _active.Contains(v.Name),
        ElementExpr e => _active.Contains(e.Array),
        _ => false,
    };

    private bool HasTangent(string name) => _tangents.ContainsKey(name) || _active.Contains(name);

    /// <summary>The tangent of a variable or array (<c>dq</c>), named on first use.</summary>
    private string Tangent(string name)
    {
        if (!_tangents.TryGetValue(name, out var tangent))
        {
            tangent = _names.Unique("d" + Identifier.Bare(name));
            _tangents[name] = tangent;
        }

        return tangent;
    }

    /// <summary>The tangent of an operand: <c>dq</c>, or <c>da[i]</c> for an element (0 for a constant).</summary>
    private Expr TangentOf(Expr operand) => operand switch
    {
        VariableExpr v => new VariableExpr(Tangent(v.Name), v.Type),
        ElementExpr e => new ElementExpr(Tangent(e.Array), e.Index, e.Type),
        _ => new LiteralExpr("0", operand.Type),
    };

    /// <summary>The element type of an array or span type: <c>double[]</c>, <c>global::System.ReadOnlySpan&lt;float&gt;</c>.</summary>
    public static DataType ElementOf(DataType arrayType) => arrayType.Element ?? arrayType;
}
