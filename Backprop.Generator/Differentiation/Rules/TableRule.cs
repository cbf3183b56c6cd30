using Backprop.Generator.Emit;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>Applies a rule of <see cref="GateRules"/>: each contribution's term, spelled for the gate, into its operand's adjoint.</summary>
internal static class TableRule
{
    public static string? TryApply(RuleContext c)
    {
        if (GateRules.For(c.Gate) is not { } rule)
        {
            return null;
        }

        foreach (var contribution in rule.Contributions)
        {
            c.Into(contribution.Operand, TermPrinter.Print(contribution.Value, c), contribution.Subtract);
        }

        return rule.Comment;
    }
}
