using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Void helpers (issue 12 items 4 and 5): a void [Differentiable] method or a local function with a block body works
/// through its arguments — an array it fills or updates, a ref or out number it sets — and is read in place where it
/// is called.
/// </summary>
public static partial class VoidHelpers
{
    /// <summary>One explicit Euler step of a damped spring: x and v are the caller's, updated in place.</summary>
    [Differentiable]
    public static void Step(ref double x, ref double v, double k, double dt)
    {
        double a = -k * x - 0.1 * v;
        x += v * dt;
        v += a * dt;
    }

    [Differentiable]
    public static void Swap(ref double a, ref double b)
    {
        double t = a;
        a = b;
        b = t;
    }

    [Differentiable]
    public static void Polar(double x, double y, out double r, out double theta)
    {
        r = Math.Sqrt(x * x + y * y);
        theta = Math.Atan2(y, x);
    }

    /// <summary>Scales <paramref name="v"/> to unit length, in place; returns early only at its end.</summary>
    [Differentiable]
    public static void Normalize(double[] v)
    {
        double norm = 0;
        for (int i = 0; i < v.Length; i++)
        {
            norm += v[i] * v[i];
        }

        norm = Math.Sqrt(norm);
        for (int i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }

        return;
    }

    /// <summary>Writes the softmax of <paramref name="x"/> into <paramref name="p"/>.</summary>
    [Differentiable]
    public static void Softmax(ReadOnlySpan<double> x, Span<double> p)
    {
        double max = x[0];
        foreach (var value in x)
        {
            max = Math.Max(max, value);
        }

        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            p[i] = Math.Exp(x[i] - max);
            sum += p[i];
        }

        for (int i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }
    }

    /// <summary>Returns a value and updates both arguments (Clad's FunctionCalls.C modify1).</summary>
    [Differentiable]
    public static double Modify(ref double i, ref double j)
    {
        i += j;
        j += Math.Sin(j);
        double res = i * j;
        return res;
    }

    [Differentiable, Sample(-1.5, 1.5)]
    public static double ValueHelperInExpressions(double x, double y)
    {
        double i = x;
        double j = y;
        double temp = Modify(ref i, ref j) + 1;
        temp *= 1 + Modify(ref i, ref j) * 0.1;
        Modify(ref j, ref i);
        return temp + i * j;
    }

    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 20 })]
    public static double SpringAfterSteps(double x, double v, double k, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            Step(ref x, ref v, k * k + 1, 0.05);
        }

        return x * x + 0.5 * v;
    }

    [Differentiable, Sample(-2, 2)]
    public static double SwappedTwice(double x, double y)
    {
        double a = x * y;
        double b = Math.Sin(x);
        Swap(ref a, ref b);
        double first = a * 3 + b;
        Swap(ref a, ref b);
        return first * a - b;
    }

    [Differentiable, Sample(0.2, 2)]
    public static double PolarOut(double x, double y)
    {
        Polar(x, y, out double r, out double theta);
        return r * Math.Cos(2 * theta) + theta * theta;
    }

    /// <summary>The argument is an expression, evaluated once where C# evaluates it, and the helper's value parameter is its own.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double StepWithComputedArguments(double x, double v)
    {
        double k = 2;
        Step(ref x, ref v, k * Math.Exp(x), v * 0.1 + 0.2);
        Step(ref x, ref v, k, 0.1);
        return x * v + k;
    }

    [Differentiable, Sample(-2, 2)]
    public static double LocalVoidFunction(double x, double y)
    {
        double s = 0;
        void Add(double t)
        {
            if (t > 0)
            {
                s += t * t;
            }
            else
            {
                s -= Math.Sin(t);
            }
        }

        Add(x * y);
        Add(y - x);
        return s;
    }

    /// <summary>Normalizes a copy of <paramref name="x"/> and weighs it.</summary>
    [Differentiable]
    public static double NormalizedWeighted(double[] x)
    {
        double[] v = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            v[i] = x[i] + 0.5;
        }

        Normalize(v);
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * (i + 1);
        }

        return s;
    }

    [Differentiable]
    public static double SoftmaxLoss(double[] x)
    {
        double[] p = new double[x.Length];
        Softmax(x, p);
        return -Math.Log(p[0]) + p[1] * p[1];
    }
}
