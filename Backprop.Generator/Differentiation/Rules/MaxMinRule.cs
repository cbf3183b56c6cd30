using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>
/// z = max(a, b), min(a, b), abs(a), clamp(v, lo, hi) — router: the whole gradient goes to the input that won.
/// Ties go to the first argument (max(a, a) routes to a; abs'(0) = +1; clamp at a bound routes to v). Scalar code and
/// tensor code's float routers both go through it (<see cref="IRouterContext"/>).
/// </summary>
internal static class MaxMinRule
{
    public static string? TryApply(RuleContext c) => c.Gate.Kind == GateKind.Math ? TryApply(c, c.Gate.Math!.Function) : null;

    /// <summary>The rule of the router <paramref name="function"/>, written through <paramref name="c"/>; its description, or null when <paramref name="function"/> is no router.</summary>
    public static string? TryApply(IRouterContext c, string function)
    {
        switch (function)
        {
            case "Max":
                Route(c, BinaryOp.GreaterThanOrEqual);
                return "max gate (router; a tie goes to the first argument)";
            case "Min":
                Route(c, BinaryOp.LessThanOrEqual);
                return "min gate (router; a tie goes to the first argument)";
            case "Abs":
                c.Block(new IfHeader(new NonNegativeCondition(c.Operand(0), c.ResultType)), () => c.Into(0, Term.G));
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

    private static void Route(IRouterContext c, BinaryOp op)
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
    private static void When(IRouterContext c, Expr a, BinaryOp op, Expr b, System.Action body)
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

/// <summary>What a router's rule needs of the gate it writes: its operands, which take a gradient, and where the gradient goes.</summary>
internal interface IRouterContext
{
    /// <summary>The type of the router's result (the zero its sign test compares with).</summary>
    DataType ResultType { get; }

    Expr Operand(int index);

    bool IsActive(int index);

    /// <summary>Adds <paramref name="term"/> into the adjoint of operand <paramref name="index"/> (subtracts it).</summary>
    void Into(int index, Term term, bool subtract = false);

    /// <summary>Writes what <paramref name="body"/> adds inside <c>header { ... }</c>; nothing when it adds nothing.</summary>
    void Block(SweepHeader header, System.Action body);
}
