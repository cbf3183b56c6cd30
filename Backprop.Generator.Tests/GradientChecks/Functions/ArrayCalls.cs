using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Library calls that write into a local array (issue 12 item 5): Array.Fill, Array.Clear, Array.Copy and CopyTo,
/// read as the loops they are.
/// </summary>
public static partial class ArrayCalls
{
    [Differentiable]
    public static double CopyThenScale(double[] x, double w)
    {
        double[] copy = new double[x.Length];
        Array.Copy(x, copy, x.Length);
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = copy[i] * w + Math.Sin(copy[i]);
        }

        return copy[0] * copy[x.Length - 1] + copy[1];
    }

    [Differentiable]
    public static double CopyToAndOffsets(double[] x, double w)
    {
        double[] buffer = new double[x.Length + 2];
        x.CopyTo(buffer, 1);
        Array.Copy(x, 2, buffer, 0, 2);
        double s = 0;
        for (int i = 0; i < buffer.Length; i++)
        {
            s += buffer[i] * buffer[i] * (i + w);
        }

        return s;
    }

    [Differentiable]
    public static double FillAndClear(double[] x, double w)
    {
        double[] v = new double[x.Length];
        Array.Fill(v, w * w);
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += v[i] * x[i];
        }

        Array.Clear(v, 1, 2);
        for (int i = 0; i < x.Length; i++)
        {
            s += v[i] * Math.Cos(x[i]);
        }

        Array.Clear(v);
        return s + v[0];
    }

    [Differentiable]
    public static float SpanCopyToFloat(ReadOnlySpan<float> x, float w)
    {
        float[] local = new float[x.Length];
        x.CopyTo(local);
        float s = 0;
        for (int i = 0; i < local.Length; i++)
        {
            s += local[i] * w;
        }

        return s;
    }

    /// <summary><c>double[] b = a;</c> (issue 12 item 2): another name for the same array, read through a parameter's alias and written through a local array's.</summary>
    [Differentiable]
    public static double AliasedArrays(double[] x, double w)
    {
        double[] view = x;
        double[] squares = new double[x.Length];
        double[] same = squares;
        for (int i = 0; i < view.Length; i++)
        {
            same[i] = view[i] * view[i] * w;
        }

        return squares[0] + squares[x.Length - 1] * view[1];
    }

    /// <summary>Local arrays declared inside loops (issue 12 item 2): created once before the outermost loop, zeroed (or filled by their initializer) on every pass.</summary>
    [Differentiable]
    public static double ArraysCreatedInLoops(double[] x, double w)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double[] window = new double[3];
            window[i % 3] = x[i] * w;
            double[] pair = { x[i], window[0] + window[1] + window[2] };
            int j = 0;
            while (j < 2)
            {
                double[] scratch = new double[x.Length];
                scratch[j] = pair[j] * pair[1 - j];
                s += scratch[j] + scratch[0] * Math.Sin(w);
                j++;
            }
        }

        return s;
    }
}
