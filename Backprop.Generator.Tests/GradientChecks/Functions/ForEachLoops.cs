using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>foreach over arrays and spans of double and float (issue 12): each is the counted loop over the indices.</summary>
public static partial class ForEachLoops
{
    [Differentiable]
    public static double SumOfSquares(double[] x)
    {
        double s = 0;
        foreach (var v in x)
        {
            s += v * v;
        }

        return s;
    }

    [Differentiable]
    public static double WeightedOverSpan(ReadOnlySpan<double> x, double w)
    {
        double s = 0;
        foreach (double v in x)
        {
            s += Math.Sin(v * w);
        }

        return s;
    }

    [Differentiable]
    public static float FloatsWithBreakAndContinue(float[] x, float w)
    {
        float s = 0;
        foreach (var v in x)
        {
            if (v * w > 1.5f)
            {
                break;
            }

            if (v < -0.5f)
            {
                continue;
            }

            s += v * w + MathF.Exp(v);
        }

        return s;
    }

    [Differentiable]
    public static double NestedOverLocalArray(double[] x, double w)
    {
        double[] scaled = new double[x.Length];
        int i = 0;
        foreach (var v in x)
        {
            scaled[i++] = v * w;
        }

        double s = 0;
        foreach (var a in scaled)
        {
            foreach (var b in x)
            {
                s += a * b;
            }
        }

        return s;
    }

    [Differentiable]
    public static double SameNameInSiblingLoops(double[] x, double y)
    {
        double p = y;
        foreach (var v in x)
        {
            p = p * 0.5 + v;
        }

        foreach (var v in x)
        {
            p = p * v;
        }

        return p;
    }
}
