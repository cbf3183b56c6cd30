using System;
using System.Numerics;

namespace Backprop.Generator.Tests.GradientChecks.GenericMath;

/// <summary>
/// Generic math: written once over <c>T : IFloatingPointIeee754&lt;T&gt;</c>, differentiated once, and the generated
/// …Gradient/…Backward are generic over the same T — called with double, float and Half.
/// </summary>
public static partial class GenericFunctions
{
    /// <summary>Operators, a Math function of T (<c>T.Sin</c>, whose cos comes with it from <c>T.SinCos</c>).</summary>
    [Differentiable]
    public static T Poly<T>(T x, T y) where T : IFloatingPointIeee754<T> => x * x * y + T.Sin(x * y) - y / x;

    /// <summary>A loop that overwrites its value (taped as T), T's constants, and a constant made from a number.</summary>
    [Differentiable]
    public static T Smooth<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var s = T.Zero;
        for (int i = 0; i < 3; i++)
        {
            s = s * x + T.Exp(-x * x);
        }

        return T.Sqrt(s * s + T.One) + T.CreateChecked(0.5) * x;
    }

    /// <summary>A span of T, foreach, compound assignment, Pow and Abs (a router).</summary>
    [Differentiable]
    public static T Norm<T>(ReadOnlySpan<T> v, T p) where T : IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        foreach (var e in v)
        {
            sum += T.Pow(T.Abs(e), p);
        }

        return T.Pow(sum, T.One / p);
    }

    /// <summary>An array of T indexed in a loop, a branch on a comparison of T, Max, Tanh and Log, a count converted to T.</summary>
    [Differentiable]
    public static T Mixed<T>(T[] w, T x, int n) where T : IFloatingPointIeee754<T>
    {
        var h = x;
        for (int i = 0; i < n; i++)
        {
            h = T.Tanh(w[i % w.Length] * h) + T.CreateChecked(i) * T.CreateChecked(0.1);
            if (h > T.Zero)
            {
                h = T.Max(h, x * x);
            }
        }

        return h * h / (T.One + T.Log(T.One + x * x));
    }

    /// <summary>A constraint that implies IFloatingPointIeee754 (IBinaryFloatingPointIeee754 does) serves as well.</summary>
    [Differentiable]
    public static T Logistic<T>(T x, T k) where T : IBinaryFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-k * x));

    /// <summary>Generic code calling generic code: Poly and Logistic over the caller's T, inside a loop and a product.</summary>
    [Differentiable]
    public static T Composed<T>(T x, T y) where T : IBinaryFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        for (int i = 0; i < 2; i++)
        {
            sum += Poly(x, y + T.CreateChecked(i)) * Logistic<T>(sum + x, y);
        }

        return sum;
    }
}

/// <summary>Code over double calling generic code: the generated members call the generic ones at double.</summary>
public static partial class GenericCallers
{
    [Differentiable]
    public static double AtDouble(double x, double y) => GenericFunctions.Poly(x, y) + GenericFunctions.Smooth<double>(x * y);
}
