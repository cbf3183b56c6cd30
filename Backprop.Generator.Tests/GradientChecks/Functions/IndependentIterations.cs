using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Loops whose iterations only add into one sum that reaches the result by additions and subtractions (ADBench's GMM
/// over its points): each iteration goes back right after it. And loops that look alike but may not: an iteration reads
/// the one before it, a value the loop writes is read after it, the sum is read inside the loop.
/// </summary>
public static partial class IndependentIterations
{
    /// <summary>Points scored by scratch arrays set each round; the sum is subtracted from the result.</summary>
    [Differentiable]
    public static double PointsSubtracted(double[] w, double b)
    {
        int n = 4;
        double total = 0;
        double[] scratch = new double[w.Length];
        double[] scores = new double[3];
        for (int p = 0; p < n; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int i = 0; i < scratch.Length; i++)
                {
                    scratch[i] = (w[i] * (p + 1)) - (b * c);
                }

                double norm = 0;
                for (int i = 0; i < scratch.Length; i++)
                {
                    norm += scratch[i] * scratch[i];
                }

                scores[c] = Math.Sin(norm) + (c * b);
            }

            total += Math.Log(1 + (scores[0] * scores[0]) + (scores[1] * scores[2] * scores[2]));
        }

        double prior = b * b * w[0];
        return prior - total;
    }

    /// <summary>A branch in each iteration, on a value the iteration sets; the sum goes through two additions.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 3 })]
    public static double BranchPerIteration(double x, double y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double t = x * i;
            double u = t > 0.5 ? Math.Exp(-t * y) : Math.Cos(t + y);
            s += u * u;
        }

        double shifted = s + x;
        return shifted + (y * y);
    }

    /// <summary>Each iteration reads the value the one before left: not independent.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double CarriedState(double x, double y, int n)
    {
        double s = 0;
        double state = y;
        for (int i = 0; i < n; i++)
        {
            state = Math.Tanh(state * x) + y;
            s += state * state;
        }

        return s + 1;
    }

    /// <summary>A value the loop writes is read after it: not fused (it would hold an earlier value).</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double ReadAfterTheLoop(double x, double y, int n)
    {
        double s = 0;
        double last = 0;
        for (int i = 0; i < n; i++)
        {
            last = Math.Sin(x * i) * y;
            s += last;
        }

        return s + (last * x);
    }

    /// <summary>
    /// Fuzz seed 20261306, batch 18, method 44: a final loop summing into a parameter that Sin reads before it (the
    /// fused final sum): Sin's gradient must still reach the parameter, on top of the dResult the sum has from the start.
    /// </summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double ParameterSumReadBefore(double x, double y, int n)
    {
        y /= 1 + (Math.Tanh(y * n) * Math.Sin(x));
        for (int i = 0; i < n; i++)
        {
            x -= Math.Tanh(y * i);
        }

        return x;
    }

    /// <summary>The sum is read before the loop too (x·y), not only on its way to the result: not fused.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double SumValueReadGoingBack(double x, double y, int n)
    {
        double p = x * y;
        for (int i = 0; i < n; i++)
        {
            x -= Math.Tanh(y * i);
        }

        return x + p;
    }
}
