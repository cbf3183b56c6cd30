using Backprop.Generator.Model;

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

        switch (c.Gate.Math!.Function)
        {
            case "Max":
                Route(c, BinaryOp.GreaterThanOrEqual);
                return "max gate (router; a tie goes to the first argument)";
            case "Min":
                Route(c, BinaryOp.LessThanOrEqual);
                return "min gate (router; a tie goes to the first argument)";
            case "Abs":
                c.Block(new IfHeader(new NonNegativeCondition(c.Operand(0), c.Gate.Target.Type)), () => c.Into(0, Term.G));
                c.Block(new ElseHeader(), () => c.Into(0, Term.G, subtract: true));
                return "abs: routes ±gradient by the sign (+ at 0)";
            case "Clamp":
                var (v, lo, hi) = (c.Operand(0), c.Operand(1), c.Operand(2));
                When(c, v, BinaryOp.LessThan, lo, () => c.Into(1, Term.G));
                When(c, v, BinaryOp.GreaterThan, hi, () => c.Into(2, Term.G));
                if (v == lo || v == hi)
                {
                    When(c, v, v == lo ? BinaryOp.LessThanOrEqual : BinaryOp.GreaterThanOrEqual, v == lo ? hi : lo, () => c.Into(0, Term.G));
                }
                else
                {
                    var within = new BothCondition(new CompareCondition(v, BinaryOp.GreaterThanOrEqual, lo), new CompareCondition(v, BinaryOp.LessThanOrEqual, hi));
                    c.Block(new IfHeader(within), () => c.Into(0, Term.G));
                }

                return "clamp: router (a value on a bound routes to the value)";
            default:
                return null;
        }
    }

    private static void Route(RuleContext c, BinaryOp op)
    {
        var (a, b) = (c.Operand(0), c.Operand(1));
        if (a == b)
        {
            c.Into(0, Term.G); // max(a, a): always a tie
            return;
        }

        var wins = new CompareCondition(a, op, b);
        if (c.IsActive(0))
        {
            c.Block(new IfHeader(wins), () => c.Into(0, Term.G));
        }

        if (c.IsActive(1))
        {
            c.Block(c.IsActive(0) ? new ElseHeader() : new IfHeader(new NotCondition(wins)), () => c.Into(1, Term.G));
        }
    }

    /// <summary>Runs <paramref name="body"/> under <c>if (a op b)</c>; a comparison of a value with itself is decided here, not in the emitted code.</summary>
    private static void When(RuleContext c, Expr a, BinaryOp op, Expr b, System.Action body)
    {
        if (a != b)
        {
            c.Block(new IfHeader(new CompareCondition(a, op, b)), body);
        }
        else if (op is BinaryOp.LessThanOrEqual or BinaryOp.GreaterThanOrEqual)
        {
            body();
        }
    }
}
