using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>Loop and branch shapes source-transformation AD tools most often get wrong.</summary>
public static partial class EdgeShapes
{
    [Differentiable, Sample(0.2, 0.9)]
    public static double WhileTrueWithBreak(double x)
    {
        double s = x;
        int k = 0;
        while (true)
        {
            s = s * 1.3 + x * x;
            k++;
            if (s > 8 || k > 30)
            {
                break;
            }
        }

        return s;
    }

    /// <summary>Terminates for x &gt; 1/4 (below, s = s² + x has a fixed point under 3).</summary>
    [Differentiable, Sample(0.3, 0.9)]
    public static double WhileTrueWithReturn(double x)
    {
        double s = x;
        while (true)
        {
            s = s * s + x;
            if (s > 3)
            {
                return s * x;
            }
        }
    }

    [Differentiable, Sample(-1, 1)]
    public static double DoWhileWithContinue(double x)
    {
        double s = 0;
        int k = 0;
        do
        {
            k++;
            if (k % 2 == 0)
            {
                continue;
            }

            s = s * x + k;
        }
        while (k < 7);

        return s;
    }

    [Differentiable, Sample(-2, 2)]
    public static double DeclaredThenAssignedInBranches(double x, double y)
    {
        double t;
        if (x > y)
        {
            t = x * y;
        }
        else
        {
            t = Math.Exp(y);
        }

        double u = t * t;
        return u + t;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 5 })]
    public static double TwoCarriedVariables(double x, int n)
    {
        double a = x;
        double b = 1;
        for (int i = 0; i < n; i++)
        {
            double t = a;
            a = a * 0.5 + b * x;
            b = t - b * 0.25;
        }

        return a * b;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 6 })]
    public static double LoopBodyLocalReadBeforeWrite(double x, int n)
    {
        double carry = 0;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += carry * x;
            carry = x * i;
        }

        return s;
    }

    [Differentiable, Sample(-1, 1)]
    public static double ResultIndependentOfBranch(double x)
    {
        double s = x * x;
        if (s > 100)
        {
            return 0;
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double NestedLoopsSameCounterShapes(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                for (int k = n; k > j; k--)
                {
                    s += x * (i + j + k) + s * 0.01;
                }
            }
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 5 })]
    public static double ContinueInWhile(double x, int n)
    {
        double s = 0;
        int i = 0;
        while (i < n)
        {
            i++;
            if (i == 3)
            {
                continue;
            }

            s = s + Math.Sin(x * i);
        }

        return s;
    }

    [Differentiable, Sample(-1, 1)]
    public static double OnlyConstantPaths(double x)
    {
        double c = 2;
        c = c * 3;
        return c * x + c;
    }

    [Differentiable, Sample(-1, 1)]
    public static float FloatAccumulatorInLoop(float x)
    {
        float s = 0;
        for (int i = 0; i < 10; i++)
        {
            float t = x * i;
            s += t * t - MathF.Sin(t);
        }

        return s;
    }

    /// <summary>Found by the random-method test: the cos kept for a returned sin must come off the tape too.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double ReturnSinFromLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = Math.Sin(s) * 1.3 + x;
            if (s > 0.5 && i > 0)
            {
                return Math.Sin(s * x);
            }
        }

        return s;
    }

    /// <summary>Found by the random-method test: an inner loop's recompute reads a local the outer iteration recomputes.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double RecomputeAcrossNestedLoops(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double t = x * i;
            for (int j = 0; j < n; j++)
            {
                double u = t + j;
                s = s * 0.5 + u * x;
            }
        }

        return s;
    }

    /// <summary>Found by the random-method test: an early return before a final summing loop must keep the loop unfused.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double EarlyReturnBeforeSum(double x, int n)
    {
        if (x > 0.5)
        {
            return x * x;
        }

        double s = x;
        for (int i = 0; i < n; i++)
        {
            s += x * i;
        }

        return s;
    }

    /// <summary>Found by the random-method test: a value an inner loop's recompute reads must be kept when it is not recomputed itself.</summary>
    [Differentiable, Sample(-0.8, 0.8, Ints = new[] { 2 })]
    public static double RecomputeReadsAKeptValue(double x, double y, int n)
    {
        for (int i = 0; i < n; i++)
        {
            double half = y * 0.5;
            int k = 0;
            while (k < n + 1)
            {
                k++;
                y /= 1 + (x / 4) * -half;
            }
        }

        return y;
    }
}
