using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Sines and cosines of one angle (issue 14): the forward sweep calls SinCos once per angle and value of it, whatever order
/// the user writes them in — not again after the angle changes, nor across a branch or a loop that may change it.
/// </summary>
public static partial class SharedSinCos
{
    /// <summary>A rotation: cos then sin of t; t changes, then sin and cos of the new t.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double Rotation(double x, double y, double t)
    {
        double c = Math.Cos(t);
        double s = Math.Sin(t);
        double u = (x * c) - (y * s);
        double v = (x * s) + (y * c);
        t = t * 2;
        return (u * v) + Math.Sin(t) - Math.Cos(t);
    }

    /// <summary>sin before a branch, cos inside it (shared) and after it, where the branch may have changed the angle.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double AcrossABranch(double x, double t)
    {
        double s = Math.Sin(t);
        double r = s * x;
        if (x > 0)
        {
            r += Math.Cos(t);
            t = t + x;
        }

        return r * Math.Cos(t);
    }

    /// <summary>Inside a loop: sin and cos of the counter's angle share one call per iteration; an angle the loop changes is not shared from before it.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 0, 3 })]
    public static double InALoop(double x, double t, int n)
    {
        double total = Math.Sin(t);
        for (int i = 0; i < n; i++)
        {
            double a = x * i;
            total += Math.Sin(a) * Math.Cos(a) * Math.Cos(t);
            t = t + total;
        }

        return total * Math.Cos(t);
    }
}
