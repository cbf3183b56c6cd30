using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>Arithmetic, unary minus, parentheses, literals, constants, locals, reassignment, compound assignment.</summary>
public static partial class Arithmetic
{
    private const double Half = 0.5;
    private static readonly double s_scale = 3.0;

    [Differentiable, Sample(-3, 3)]
    public static double AddMultiply(double x, double y, double z) => (x + y) * z;

    [Differentiable, Sample(-3, 3)]
    public static double Subtract(double a, double b) => a - b - 2.5;

    [Differentiable, Sample(0.5, 3)]
    public static double Divide(double a, double b) => a / b + 1 / (a * b);

    [Differentiable, Sample(-3, 3)]
    public static double Negate(double x, double y) => -x * -(y - x);

    [Differentiable, Sample(-3, 3)]
    public static double Square(double x) => x * x;

    [Differentiable, Sample(-2, 2)]
    public static double Polynomial(double x) => 3 * x * x * x - 2 * x * x + x - 7;

    [Differentiable, Sample(-3, 3)]
    public static double ConstantsAndFields(double x) => Half * x * s_scale + Math.PI * x;

    [Differentiable, Sample(-3, 3)]
    public static double LocalsAndBranchingUse(double x, double y)
    {
        double q = x * y;
        double r = q + x;
        double s = q * r;
        return s - r / 4;
    }

    [Differentiable, Sample(-2, 2)]
    public static double Reassignment(double x, double y)
    {
        double t = x + y;
        t = t * x;
        t = t * t + y;
        return t;
    }

    [Differentiable, Sample(-2, 2)]
    public static double CompoundAssignment(double x, double y)
    {
        double t = x;
        t += y * 2;
        t -= x * y;
        t *= x;
        t /= 1.5 + y * y;
        return t;
    }

    [Differentiable, Sample(-2, 2)]
    public static double ReassignParameter(double x, double y)
    {
        x = x * y + 1;
        y = x * x;
        return x + y;
    }

    [Differentiable, Sample(0.5, 3)]
    public static double Remainder(double a, double b) => a * 3.7 % b;

    [Differentiable, Sample(-3, 3)]
    public static double UnaryPlusAndParentheses(double x, double y) => +((x + (y)) * (x - y));

    [Differentiable, Sample(-3, 3)]
    public static double SameVariableTwice(double x) => x * x + x / (x * x + 1);

    [Differentiable, Sample(-3, 3)]
    public static double UnusedParameter(double x, double unused) => x * 2;

    [Differentiable, Sample(-3, 3)]
    public static double SelfDivide(double x)
    {
        double t = x * x + 1;
        t = x / t;
        return t;
    }

    /// <summary>A divide gate whose two inputs are one value: its two contributions meet in one adjoint (dt += q - (t/t)·q).</summary>
    [Differentiable, Sample(-2, 2)]
    public static double ValueOverItself(double x)
    {
        double t = Math.Exp(x) + x * x;
        return x * (t / t) + t / (x * x + 1);
    }
}
