using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>Every supported Math function, each with its own derivative rule.</summary>
public static partial class MathFunctions
{
    [Differentiable, Sample(-2, 2)]
    public static double Exp(double x) => Math.Exp(x) * 2;

    [Differentiable, Sample(0.2, 4)]
    public static double Log(double x) => Math.Log(x * x + x);

    [Differentiable, Sample(1.5, 4)]
    public static double LogWithBase(double x, double b) => Math.Log(x, b);

    [Differentiable, Sample(0.2, 4)]
    public static double Log10(double x) => Math.Log10(x) * x;

    [Differentiable, Sample(0.2, 4)]
    public static double Log2(double x) => Math.Log2(x + 1);

    [Differentiable, Sample(0.2, 4)]
    public static double Sqrt(double x) => Math.Sqrt(x * 3);

    [Differentiable, Sample(0.2, 4)]
    public static double Cbrt(double x) => Math.Cbrt(x) + x;

    [Differentiable, Sample(0.5, 2)]
    public static double Pow(double x, double y) => Math.Pow(x, y);

    [Differentiable, Sample(0.5, 2)]
    public static double PowConstantExponent(double x) => Math.Pow(x, 3) - Math.Pow(2, x);

    [Differentiable, Sample(-3, 3)]
    public static double Sin(double x) => Math.Sin(x) * x;

    [Differentiable, Sample(-3, 3)]
    public static double Cos(double x) => Math.Cos(2 * x);

    [Differentiable, Sample(-1, 1)]
    public static double Tan(double x) => Math.Tan(x);

    [Differentiable, Sample(-2, 2)]
    public static double SinhCosh(double x) => Math.Sinh(x) * Math.Cosh(x / 2);

    [Differentiable, Sample(-2, 2)]
    public static double Tanh(double x) => Math.Tanh(x * 1.5);

    [Differentiable, Sample(-0.9, 0.9)]
    public static double AsinAcos(double x) => Math.Asin(x) - 2 * Math.Acos(x * 0.5);

    [Differentiable, Sample(-3, 3)]
    public static double Atan(double x) => Math.Atan(x * x);

    [Differentiable, Sample(0.3, 3)]
    public static double Atan2(double y, double x) => Math.Atan2(y, x);

    [Differentiable, Sample(-3, 3)]
    public static double Abs(double x, double y) => Math.Abs(x - y) * x;

    [Differentiable, Sample(-3, 3)]
    public static double MaxMin(double x, double y) => Math.Max(x, y) + 2 * Math.Min(x * y, 1.0);

    [Differentiable, Sample(-3, 3)]
    public static double Relu(double x) => Math.Max(0.0, x) * 3;

    [Differentiable, Sample(-3, 2)]
    public static double Clamp(double x, double lo) => Math.Clamp(x, lo - 1, 1.5) * x;

    [Differentiable, Sample(-3, 3)]
    public static double StepFunctionsHaveZeroDerivative(double x) =>
        Math.Sign(x) * x + Math.Floor(x) + Math.Ceiling(x) + Math.Round(x) * Math.Truncate(x);

    [Differentiable, Sample(-2, 2)]
    public static double NestedFunctions(double x) => Math.Exp(Math.Sin(x) * Math.Tanh(x)) / (1 + Math.Sqrt(x * x + 1));

    /// <summary>Not sampled: a stop-gradient deliberately differs from the finite difference (see GateRoutingTests).</summary>
    [Differentiable]
    public static double StopGradient(double x, double y) => x * NoDiff.Value(y * y) + y;
}
