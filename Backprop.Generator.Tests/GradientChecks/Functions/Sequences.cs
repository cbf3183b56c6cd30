using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>Arrays and spans read by index, local arrays written and read; their gradients are spans of the same length.</summary>
public static partial class Sequences
{
    [Differentiable]
    public static double SumOfSquares(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * x[i];
        }

        return s;
    }

    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
        }

        return s;
    }

    [Differentiable]
    public static double Dot(ReadOnlySpan<double> w, ReadOnlySpan<double> x, double b)
    {
        double s = b;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * x[i];
        }

        return s;
    }

    [Differentiable]
    public static double SpanSoftplusSum(Span<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Log(1 + Math.Exp(x[i]));
        }

        return s;
    }

    [Differentiable]
    public static float FloatDot(float[] w, [NoDiff] float[] x)
    {
        float s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * x[i];
        }

        return s;
    }

    [Differentiable]
    public static double LocalArrayPrefixProducts(double[] x)
    {
        double[] prefix = new double[x.Length];
        prefix[0] = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            prefix[i] = prefix[i - 1] * x[i];
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += prefix[i];
        }

        return s;
    }

    [Differentiable]
    public static double LocalArrayOverwritten(double[] x, double w)
    {
        double[] buffer = new double[3];
        for (int step = 0; step < 4; step++)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = buffer[i] * w + x[(i + step) % x.Length];
            }
        }

        return buffer[0] * buffer[1] + buffer[2];
    }

    [Differentiable]
    public static double MaxElement(double[] x)
    {
        double best = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            best = Math.Max(best, x[i]);
        }

        return best * 2;
    }

    [Differentiable]
    public static double CallWithArray(double[] x, double scale) => SumOfSquares(x) * scale + Rosenbrock(x);

    [Differentiable]
    public static double MeanSquaredError(double[] prediction, [NoDiff] double[] target)
    {
        double s = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            double e = prediction[i] - target[i];
            s += e * e;
        }

        return s / prediction.Length;
    }

    [Differentiable]
    public static double EarlyExitSearch(double[] x, double threshold)
    {
        double s = 0;
        int i = 0;
        while (i < x.Length)
        {
            s += x[i] * threshold;
            if (s > 2)
            {
                return s * s;
            }

            i++;
        }

        return s;
    }

    /// <summary>Found by the random-method test: the cos kept beside a sine stored into an array element is a fresh local.</summary>
    [Differentiable]
    public static double SineIntoElement(double[] x)
    {
        double[] buffer = new double[2];
        buffer[1] = Math.Sin(x[0] * x[1]);
        return buffer[1] * x[2];
    }
}
