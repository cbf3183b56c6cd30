namespace Backprop.Generator.Differentiation.Rules;

/// <summary>z = 1 / (1 + exp(-s)) — the sigmoid gate of the lecture notes: ds += z(1 - z)·dz, from the kept result.</summary>
internal static class SigmoidRule
{
    public static string? TryApply(RuleContext c)
    {
        if (c.Gate.Kind != GateKind.Sigmoid)
        {
            return null;
        }

        c.Into(0, $"{c.Z} * (1 - {c.Z}) * {c.G}");
        return "sigmoid gate: dσ/ds = σ(1 - σ)";
    }
}
