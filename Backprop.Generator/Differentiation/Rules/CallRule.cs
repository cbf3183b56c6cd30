using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>z = G(a, ...) for a [Differentiable] G: GBackward(a, ..., dz, ref da, ...) adds dz·∂G/∂a into each adjoint.</summary>
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

        arguments.Add(c.G);
        arguments.AddRange(adjoints);
        c.Line($"{call.Receiver}.{call.Name}Backward({string.Join(", ", arguments)});", uses.ToArray());
        return $"call: {call.Name}Backward adds the pullback through {call.Name}";
    }
}
