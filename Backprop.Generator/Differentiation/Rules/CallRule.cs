using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>
/// z = G(a, ...) for a [Differentiable] G: GBackward(a, ..., dz, ref da, ...) adds dz·∂G/∂a into each adjoint; for a G
/// with a [DerivativeRule], the rule does: Rule(a, ..., z, dz, ref da, ...).
/// </summary>
internal static class CallRule
{
    public static string? TryApply(RuleContext c, BackwardBuilder builder)
    {
        if (c.Gate.Kind != GateKind.Call)
        {
            return null;
        }

        var call = c.Gate.Call!;
        var arguments = new List<Expr>();
        var adjoints = new List<CallAdjoint>();
        var uses = new List<string>();
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            var operand = c.Gate.Operands[i];
            arguments.Add(operand);
            switch (call.Arguments[i].Shape)
            {
                case ParameterShape.Scalar:
                    adjoints.Add(new AdjointByRef(builder.AdjointReference(operand, uses)));
                    break;
                case ParameterShape.Sequence:
                    adjoints.Add(builder.SequenceAdjoint((VariableExpr)operand, call.Arguments[i].Value.Type));
                    break;
            }
        }

        if (call.Rule is { } rule)
        {
            // A derivative rule declared as data: (arguments, result, dResult, adjoints).
            c.Step(new SweepRuleCall(rule, arguments.ToEquatableArray(), c.Gate.Target, c.G, adjoints.ToEquatableArray()), uses.ToArray());
            return $"call: its derivative rule {rule.Substring(rule.LastIndexOf('.') + 1)} adds the gradient through {call.Name}";
        }

        if (builder.IsMergedPullback(c.Gate))
        {
            // Its gradient is known before it runs: the pullback runs in its place and returns its value.
            c.Step(new SweepPullbackCall(call, arguments.ToEquatableArray(), c.G, adjoints.ToEquatableArray(), c.Gate.Target), uses.ToArray());
            return $"call: {call.Name}Backward returns {call.Name}'s value and adds the pullback through it, its gradient being known already — {call.Name} runs once";
        }

        c.Step(new SweepPullbackCall(call, arguments.ToEquatableArray(), c.G, adjoints.ToEquatableArray()), uses.ToArray());
        return $"call: {call.Name}Backward adds the pullback through {call.Name}";
    }
}
