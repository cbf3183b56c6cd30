using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>The rest of the math library, and the numeric types' static math (double.Exp, float.Hypot), in loops and branches too.</summary>
public static partial class MathLibrary
{
    [Differentiable, Sample(-2, 2)]
    public static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c) * a;

    [Differentiable, Sample(-2, 2, Ints = [3, -2, 0])]
    public static double ScaleB(double x, int n) => Math.ScaleB(x * x, n) + x;

    [Differentiable, Sample(0.2, 2)]
    public static double CopySign(double x, double y) => Math.CopySign(x * y, y - 3);

    [Differentiable, Sample(-2, 2)]
    public static double BitIncrementAndDecrement(double x) => Math.BitIncrement(x) * Math.BitDecrement(x);

    [Differentiable, Sample(0.5, 3)]
    public static double Hypot(double x, double y) => double.Hypot(x, y) * x;

    [Differentiable, Sample(-1, 1)]
    public static double ExpM1AndLogP1(double x) => double.ExpM1(x) + double.LogP1(x * x);

    [Differentiable, Sample(-1, 1)]
    public static double Exp2AndExp10(double x) => double.Exp2(x) - double.Exp10(x / 2);

    [Differentiable, Sample(-1, 1)]
    public static double NumericTypeStatics(double x) => double.Exp(x) * double.Sin(x) + double.Sqrt(x * x + 1);

    [Differentiable, Sample(-1, 1)]
    public static float FloatStatics(float x) => float.Hypot(x, 2f) * float.ExpM1(x) + float.Tanh(x);

    [Differentiable, Sample(-1, 1, Ints = [4, 1])]
    public static double InALoop(double x, int n)
    {
        var s = x;
        for (var i = 0; i < n; i++)
        {
            s = double.Hypot(s, x) * double.Sin(s) + Math.FusedMultiplyAdd(s, x, 0.5);
        }

        return s;
    }
}
