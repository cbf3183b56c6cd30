namespace Backprop.Generator.Differentiation.Rules;

/// <summary>z = a * b — switcher: da += b·dz, db += a·dz.</summary>
internal static class MultiplyRule
{
    public static string? TryApply(RuleContext c)
    {
        if (c.Gate.Kind != GateKind.Multiply)
        {
            return null;
        }

        c.Into(0, $"{c.Op(1)} * {c.G}");
        c.Into(1, $"{c.Op(0)} * {c.G}");
        return "multiply gate (switcher)";
    }
}
