using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>The float versions: float adjoints, MathF rules, conversions between float and double.</summary>
public static partial class Floats
{
    [Differentiable, Sample(-3, 3)]
    public static float AddMultiply(float x, float y, float z) => (x + y) * z;

    [Differentiable, Sample(-2, 2)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [Differentiable, Sample(0.2, 3)]
    public static float LogSqrt(float x, float y) => MathF.Log(x) * MathF.Sqrt(y) + x / y;

    [Differentiable, Sample(-2, 2)]
    public static float Trigonometry(float x) => MathF.Sin(x) * MathF.Cos(x) + MathF.Tanh(x) + MathF.Atan(x);

    [Differentiable, Sample(-2, 2, Ints = new[] { 6 })]
    public static float Loop(float x, int n)
    {
        float s = 0;
        for (int i = 0; i < n; i++)
        {
            s += x * i - MathF.Max(s, 0.5f);
        }

        return s;
    }

    [Differentiable, Sample(-2, 2)]
    public static double FloatToDouble(float x, double y) => x * y + (double)(x * x);

    [Differentiable, Sample(-2, 2)]
    public static float DoubleToFloat(double x, float y) => (float)(x * x) * y + (float)Math.Exp(x);

    [Differentiable, Sample(-2, 2)]
    public static float MixedLocals(float x)
    {
        double wide = x * 2.0;
        float narrow = (float)(wide * wide);
        return narrow + x;
    }
}
