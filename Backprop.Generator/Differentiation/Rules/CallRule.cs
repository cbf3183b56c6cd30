using System.Collections.Generic;
using Backprop.Generator.Emit;
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
        var arguments = new List<string>();
        var adjoints = new List<string>();
        var uses = new List<string>();
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            var operand = c.Gate.Operands[i];
            arguments.Add(ExprPrinter.Print(operand));
            switch (call.Arguments[i].Shape)
            {
                case ParameterShape.Scalar:
                    adjoints.Add("ref " + builder.AdjointReference(operand, uses));
                    break;
                case ParameterShape.Sequence:
                    adjoints.Add(builder.SequenceAdjoint((VariableExpr)operand, call.Arguments[i].Value.Type));
                    break;
            }
        }

        if (call.Rule is { } rule)
        {
            // A derivative rule declared as data: (arguments, result, dResult, adjoints).
            arguments.Add(ExprPrinter.Print(c.Gate.Target));
            arguments.Add(c.G);
            arguments.AddRange(adjoints);
            c.Line($"{rule}({string.Join(", ", arguments)});", uses.ToArray());
            return $"call: its derivative rule {rule.Substring(rule.LastIndexOf('.') + 1)} adds the gradient through {call.Name}";
        }

        arguments.Add(c.G);
        arguments.AddRange(adjoints);
        if (builder.IsMergedPullback(c.Gate))
        {
            // Its gradient is known before it runs: the pullback runs in its place and returns its value.
            c.Line($"{ExprPrinter.Print(c.Gate.Target)} = {call.Receiver}.{call.Name}Backward{call.TypeArguments}({string.Join(", ", arguments)});", uses.ToArray());
            return $"call: {call.Name}Backward returns {call.Name}'s value and adds the pullback through it, its gradient being known already — {call.Name} runs once";
        }

        c.Line($"{call.Receiver}.{call.Name}Backward{call.TypeArguments}({string.Join(", ", arguments)});", uses.ToArray());
        return $"call: {call.Name}Backward adds the pullback through {call.Name}";
    }
}
