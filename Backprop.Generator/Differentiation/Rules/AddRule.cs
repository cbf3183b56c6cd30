namespace Backprop.Generator.Differentiation.Rules;

/// <summary>z = a + b, a - b, a, -a — distributor: da += dz, db += ±dz.</summary>
internal static class AddRule
{
    public static string? TryApply(RuleContext c)
    {
        switch (c.Gate.Kind)
        {
            case GateKind.Add when c.Gate.IsAccumulation:
                c.Into(1, c.G);
                return "accumulate (add gate: distributor)";
            case GateKind.Subtract when c.Gate.IsAccumulation:
                c.Into(1, c.G, subtract: true);
                return "accumulate (subtract gate: distributor, negated)";
            case GateKind.Add:
                c.Into(0, c.G);
                c.Into(1, c.G);
                return "add gate (distributor)";
            case GateKind.Subtract:
                c.Into(0, c.G);
                c.Into(1, c.G, subtract: true);
                return "subtract gate (distributor, negated for the right input)";
            case GateKind.Copy:
                c.Into(0, c.G);
                return "copy (the gradient passes through)";
            case GateKind.Negate:
                c.Into(0, c.G, subtract: true);
                return "negate gate (the gradient flips sign)";
            default:
                return null;
        }
    }
}
