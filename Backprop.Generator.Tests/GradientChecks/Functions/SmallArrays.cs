using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Local arrays of a few constant elements (SmallArraysInLocals, issue 14): held in one local per element, with their
/// adjoints, where every index the sweeps name is a constant once the loops over them are unrolled — and the near misses
/// that stay arrays: an index from a parameter, a loop with a break, a loop that tests its counter, five elements.
/// </summary>
public static partial class SmallArrays
{
    /// <summary>A 2 × 2 matrix filled and read by nested loops (index 2·i + j), and its determinant.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double NestedLoops(double x, double y)
    {
        double[] m = new double[4];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                m[(2 * i) + j] = (x * (i + 1)) + (y * j * x);
            }
        }

        double trace = 0;
        for (int i = 0; i < 2; i++)
        {
            trace += m[(2 * i) + i] * y;
        }

        return (m[0] * m[3]) - (m[1] * m[2]) + trace;
    }

    /// <summary>A loop counting down, one reading elements 2·i and 2·i + 1, and one bounded by ≤ (whose cos is a SinCos).</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double OtherLoopShapes(double x, double y)
    {
        Span<double> t = stackalloc double[4];
        for (int i = 3; i >= 0; i--)
        {
            t[i] = (x * i) + (y * y);
        }

        double s = 0;
        for (int i = 0; i < 2; i++)
        {
            s += t[2 * i] * t[(2 * i) + 1];
        }

        for (int i = 1; i <= 3; i++)
        {
            s += Math.Cos(t[i] * x);
        }

        return s;
    }

    /// <summary>Floats: a pair written, read, overwritten with what it held.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static float FloatPair(float x, float y)
    {
        Span<float> p = stackalloc float[2];
        p[0] = x * y;
        p[1] = MathF.Exp(x) * p[0];
        p[0] = p[1] * p[0];
        return p[0] + p[1];
    }

    /// <summary>Read at an index from a parameter: not a constant, so t stays an array.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = [2])]
    public static double IndexFromAParameter(double x, double y, int k)
    {
        double[] t = new double[3];
        for (int i = 0; i < 3; i++)
        {
            t[i] = x * (i + y);
        }

        return t[k] * t[0];
    }

    /// <summary>A loop that may break: not unrolled, so t stays an array.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double LoopWithABreak(double x, double y)
    {
        Span<double> t = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            t[i] = x * (i + 1);
        }

        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            if (t[i] > 2)
            {
                break;
            }

            s += t[i] * y;
        }

        return s;
    }

    /// <summary>A loop that tests its counter: unrolled, its if would test a constant (CS0162), so t stays an array.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double CounterTested(double x, double y)
    {
        Span<double> t = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            t[i] = Math.Sin(x * (i + 1));
        }

        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            if (i != 1)
            {
                s += t[i] * y;
            }
        }

        return s;
    }

    /// <summary>A loop stepping by two: the sweeps count its iterations, so it is not unrolled and t stays an array.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double SteppedByTwo(double x, double y)
    {
        Span<double> t = stackalloc double[4];
        for (int i = 0; i < 4; i++)
        {
            t[i] = (x * i) + y;
        }

        double s = 0;
        for (int i = 0; i < 4; i += 2)
        {
            s += t[i] * t[i + 1];
        }

        return s;
    }

    /// <summary>Five elements: more than a loop is unrolled for, so t stays an array.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double FiveElements(double x, double y)
    {
        Span<double> t = stackalloc double[5];
        for (int i = 0; i < 5; i++)
        {
            t[i] = x * (i + y);
        }

        double s = 0;
        for (int i = 0; i < 5; i++)
        {
            s += t[i] * t[i];
        }

        return s;
    }
}
