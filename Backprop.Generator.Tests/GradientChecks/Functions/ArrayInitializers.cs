using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>Local arrays from initializers (<c>{ x, y }</c>, <c>new[] { … }</c>, <c>new double[] { … }</c>) and reads from the end (<c>v[^1]</c>).</summary>
public static partial class ArrayInitializers
{
    [Differentiable, Sample(-1.5, 1.5)]
    public static double Initializers(double x, double y)
    {
        double[] v = { x, y * y, 1 };
        var w = new[] { x * y, Math.Sin(x) };
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * w[i % w.Length];
        }

        return s + (v[^1] * w[^2]) + v[^3];
    }

    [Differentiable, Sample(-1, 1, Ints = [3, 1])]
    public static float FloatInitializerOverwritten(float x, int n)
    {
        var v = new float[] { x, x * x, MathF.Exp(x) };
        for (int i = 0; i < n; i++)
        {
            v[i % v.Length] = v[(i + 1) % v.Length] * x;
        }

        return v[0] + v[^1];
    }
}
