namespace Backprop.Generator.Differentiation.Rules;

/// <summary>
/// z = Math.F(a) for the smooth functions, reusing the forward result where the derivative is made of it
/// (exp, sqrt, tanh) and the cos kept by Math.SinCos for sin.
/// </summary>
internal static class MathCallRule
{
    public static string? TryApply(RuleContext c)
    {
        if (c.Gate.Kind != GateKind.Math)
        {
            return null;
        }

        var m = c.MathClass;
        var g = c.G;
        var z = c.Z;
        var a = c.Op(0);
        switch (c.Gate.Math!.Function)
        {
            case "Exp":
                c.Into(0, $"{z} * {g}");
                return "d/dx exp(x) = exp(x)";
            case "Log" when c.Gate.Operands.Count == 2:
                var b = c.Op(1);
                c.Into(0, $"{g} / ({a} * {m}.Log({b}))");
                c.Into(1, $"{z} * {g} / ({b} * {m}.Log({b}))", subtract: true);
                return "d/dx log_b(x) = 1/(x ln b), d/db log_b(x) = -log_b(x)/(b ln b)";
            case "Log":
                c.Into(0, $"{g} / {a}");
                return "d/dx log(x) = 1/x";
            case "Log10":
                c.Into(0, $"{g} / ({a} * {m}.Log(10))");
                return "d/dx log10(x) = 1/(x ln 10)";
            case "Log2":
                c.Into(0, $"{g} / ({a} * {m}.Log(2))");
                return "d/dx log2(x) = 1/(x ln 2)";
            case "Sqrt":
                c.Into(0, $"{g} / (2 * {z})");
                return "d/dx sqrt(x) = 1/(2 sqrt(x))";
            case "Cbrt":
                c.Into(0, $"{g} / (3 * {z} * {z})");
                return "d/dx cbrt(x) = 1/(3 cbrt(x)²)";
            case "Pow":
                var y = c.Op(1);
                // y·x^(y−1) is 0·∞ at x = 0, y = 0; x^0 is constant, so its derivative is 0 (as in PyTorch).
                c.Into(0, $"({y} == 0 ? 0 : {y} * {m}.Pow({a}, {y} - 1) * {g})");
                // x^y·ln x is 0·(−∞) at x = 0; its limit for y ≥ 0 is 0, which PyTorch and JAX return too.
                c.Into(1, $"({a} == 0 && {y} >= 0 ? 0 : {z} * {m}.Log({a}) * {g})");
                return "d/dx x^y = y·x^(y-1), d/dy x^y = x^y·ln x (0 at x = 0, y ≥ 0)";
            case "Sin":
                c.Into(0, $"{c.Gate.Companion} * {g}");
                return "d/dx sin(x) = cos(x)";
            case "Cos":
                c.Into(0, $"{c.Gate.Companion} * {g}", subtract: true);
                return "d/dx cos(x) = -sin(x)";
            case "Tan":
                c.Into(0, $"(1 + {z} * {z}) * {g}");
                return "d/dx tan(x) = 1 + tan²(x)";
            case "Sinh":
                c.Into(0, $"{m}.Cosh({a}) * {g}");
                return "d/dx sinh(x) = cosh(x)";
            case "Cosh":
                c.Into(0, $"{m}.Sinh({a}) * {g}");
                return "d/dx cosh(x) = sinh(x)";
            case "Tanh":
                c.Into(0, $"(1 - {z} * {z}) * {g}");
                return "d/dx tanh(x) = 1 - tanh²(x)";
            case "Asin":
                c.Into(0, $"{g} / {m}.Sqrt(1 - {a} * {a})");
                return "d/dx asin(x) = 1/sqrt(1 - x²)";
            case "Acos":
                c.Into(0, $"{g} / {m}.Sqrt(1 - {a} * {a})", subtract: true);
                return "d/dx acos(x) = -1/sqrt(1 - x²)";
            case "Atan":
                c.Into(0, $"{g} / (1 + {a} * {a})");
                return "d/dx atan(x) = 1/(1 + x²)";
            case "Atan2":
                var x = c.Op(1);
                c.Into(0, $"{x} * {g} / ({x} * {x} + {a} * {a})");
                c.Into(1, $"{a} * {g} / ({x} * {x} + {a} * {a})", subtract: true);
                return "d atan2(y, x) = (x·dy - y·dx)/(x² + y²)";
            default:
                return null;
        }
    }
}
