using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Tuples (issue 13): a tuple local is a local for each element; a tuple written out where it is assigned, and a
/// deconstruction, assign element by element with every value evaluated first, as C# does (a swap needs no temporary).
/// </summary>
public static partial class Tuples
{
    /// <summary><c>(a, b) = (b, a)</c> swaps: both values are read before either is assigned.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double Swap(double x, double y)
    {
        double a = x * y, b = Math.Sin(x);
        (a, b) = (b, a);
        return (a * 3) + b;
    }

    /// <summary>A named tuple local — mean and variance of three values — written by element and deconstructed.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double MeanAndSpread(double x, double y, double z)
    {
        (double Mean, double Var) s = ((x + y + z) / 3, 0.0);
        s.Var = (((x - s.Mean) * (x - s.Mean)) + ((y - s.Mean) * (y - s.Mean)) + ((z - s.Mean) * (z - s.Mean))) / 3;
        var (m, v) = s;
        return m + Math.Sqrt(v + 1);
    }

    /// <summary>A tuple updated in a loop, each pass reading the old pair: <c>t = (t.Item2, t.Item1 + w·t.Item2)</c>.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double Rotation(double w, double x)
    {
        var t = (x, 1.0);
        for (int i = 0; i < 5; i++)
        {
            t = (t.Item2, t.Item1 + (w * t.Item2));
        }

        return t.Item1 * t.Item2;
    }

    /// <summary>Deconstruction into an element of a local array and a discard, into typed new locals, and a swap, in float.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static float FloatDeconstruction(float x, float y)
    {
        float[] v = new float[2];
        (v[0], _) = (x * y, x);
        (float p, float q) = (v[0] + y, MathF.Exp(x));
        (p, q) = (q, p * q);
        return p - q;
    }

    /// <summary>A [Differentiable] method that returns a tuple: read in place where a deconstruction takes its results.</summary>
    [Differentiable]
    private static (double Mean, double Var) Stats(double x, double y)
    {
        double mean = (x + y) / 2;
        return (mean, (((x - mean) * (x - mean)) + ((y - mean) * (y - mean))) / 2);
    }

    /// <summary>A tuple helper's results taken by a deconstruction and by a tuple local.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double ThroughATupleHelper(double x, double y)
    {
        var (m, v) = Stats(x * y, Math.Sin(x));
        (double Mean, double Var) s = Stats(m, v);
        return (s.Mean * Math.Exp(-s.Var)) + v;
    }

    /// <summary>A tuple helper whose body holds a tuple local of its own, swapped in a branch and returned.</summary>
    [Differentiable]
    private static (double Low, double High) Sorted(double x, double y)
    {
        var t = (x, y);
        if (t.Item1 > t.Item2)
        {
            t = (t.Item2, t.Item1);
        }

        return t;
    }

    /// <summary>The sorted pair's spread: the helper's tuple local is a local per element where it is read in place.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double SortedSpread(double x, double y)
    {
        var (low, high) = Sorted(x * y, Math.Sin(x));
        return high - (2 * low);
    }

    /// <summary>A method returning a tuple of numbers is a vector function: its elements are its outputs (PolarTangent, PolarBackward, PolarJacobian).</summary>
    [Differentiable]
    public static (double R, double Theta) Polar(double x, double y)
    {
        double r = Math.Sqrt((x * x) + (y * y));
        return (r, Math.Atan2(y, x));
    }
}
