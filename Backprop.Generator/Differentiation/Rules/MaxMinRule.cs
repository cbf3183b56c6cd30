using Backprop.Generator.Emit;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>
/// z = max(a, b), min(a, b), abs(a), clamp(v, lo, hi) — router: the whole gradient goes to the input that won.
/// Ties go to the first argument (max(a, a) routes to a; abs'(0) = +1; clamp at a bound routes to v).
/// </summary>
internal static class MaxMinRule
{
    public static string? TryApply(RuleContext c)
    {
        if (c.Gate.Kind != GateKind.Math)
        {
            return null;
        }

        var g = c.G;
        switch (c.Gate.Math!.Function)
        {
            case "Max":
                Route(c, c.Op(0), ">=", c.Op(1));
                return "max gate (router; a tie goes to the first argument)";
            case "Min":
                Route(c, c.Op(0), "<=", c.Op(1));
                return "min gate (router; a tie goes to the first argument)";
            case "Abs":
                c.Block($"if ({c.Op(0)} >= {Literals.PlainZero(c.Gate.Target.Type)})", () => c.Into(0, g));
                c.Block("else", () => c.Into(0, g, subtract: true));
                return "abs: routes ±gradient by the sign (+ at 0)";
            case "Clamp":
                var (v, lo, hi) = (c.Op(0), c.Op(1), c.Op(2));
                When(c, v, "<", lo, () => c.Into(1, g));
                When(c, v, ">", hi, () => c.Into(2, g));
                if (v == lo || v == hi)
                {
                    When(c, v, v == lo ? "<=" : ">=", v == lo ? hi : lo, () => c.Into(0, g));
                }
                else
                {
                    c.Block($"if ({v} >= {lo} && {v} <= {hi})", () => c.Into(0, g));
                }

                return "clamp: router (a value on a bound routes to the value)";
            default:
                return null;
        }
    }

    private static void Route(RuleContext c, string a, string op, string b)
    {
        if (a == b)
        {
            c.Into(0, c.G); // max(a, a): always a tie
            return;
        }

        if (c.IsActive(0))
        {
            c.Block($"if ({a} {op} {b})", () => c.Into(0, c.G));
        }

        if (c.IsActive(1))
        {
            c.Block(c.IsActive(0) ? "else" : $"if (!({a} {op} {b}))", () => c.Into(1, c.G));
        }
    }

    /// <summary>Runs <paramref name="body"/> under <c>if (a op b)</c>; a comparison of a value with itself is decided here, not in the emitted code.</summary>
    private static void When(RuleContext c, string a, string op, string b, System.Action body)
    {
        if (a != b)
        {
            c.Block($"if ({a} {op} {b})", body);
        }
        else if (op is "<=" or ">=")
        {
            body();
        }
    }
}
