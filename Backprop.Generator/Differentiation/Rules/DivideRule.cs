using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>z = a / b: da += dz/b, db -= z·dz/b (z² for 1/b); z = a % b: da += dz, db -= trunc(a/b)·dz.</summary>
internal static class DivideRule
{
    public static string? TryApply(RuleContext c)
    {
        switch (c.Gate.Kind)
        {
            case GateKind.Divide when c.Operand(0) is LiteralExpr { IsOne: true }:
                // z = 1/b: dz/db = -1/b² = -z², which spares the backward sweep a division.
                c.Into(1, $"{c.Z} * {c.Z} * {c.G}", subtract: true);
                return "reciprocal: d(1/b) = -(1/b)²·db";
            case GateKind.Divide:
                c.Into(0, $"{c.G} / {c.Op(1)}");
                c.Into(1, $"{c.Z} * {c.G} / {c.Op(1)}", subtract: true);
                return "divide gate: d(a/b) = da/b - (a/b)·db/b";
            case GateKind.Remainder:
                c.Into(0, c.G);
                c.Into(1, $"{c.MathClass}.Truncate({c.Op(0)} / {c.Op(1)}) * {c.G}", subtract: true);
                return "remainder: d(a%b) = da - trunc(a/b)·db";
            default:
                return null;
        }
    }
}
