namespace Backprop.Generator.Differentiation.Rules;

/// <summary>Applies a rule of <see cref="GateRules"/>: each contribution's term into its operand's adjoint.</summary>
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
            c.Into(contribution.Operand, contribution.Value, contribution.Subtract);
        }

        return rule.Comment;
    }
}
