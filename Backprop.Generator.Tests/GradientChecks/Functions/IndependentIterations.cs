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

    /// <summary>
    /// A loss summed over samples, each sample's a call (<c>loss += SampleLoss(…)</c>): the call's gradient is the sum's,
    /// known before it runs, so its pullback runs in its place and returns its value.
    /// </summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 5 })]
    public static double PerSampleLoss(double w, double b, int n)
    {
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double x = Math.Sin(i + 0.5);
            loss += SampleLoss(w, b, x, Math.Cos(2 * i));
        }

        return loss + (0.1 * w * w);
    }

    /// <summary>The same through a subtraction, in a loop that is not the method's last (its sum reaches the result negated).</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 4 })]
    public static double PerSampleLikelihoodSubtracted(double w, double b, int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            total -= SampleLoss(w * i, b, Math.Exp(-i), 0.5);
        }

        double prior = b * b;
        return prior - total;
    }

    /// <summary>The call's value is also read after it in the iteration: its gradient is not the sum's alone, so it is not merged.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 4 })]
    public static double SampleLossReadTwice(double w, double b, int n)
    {
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double l = SampleLoss(w, b, i, 1);
            loss += l * l;
        }

        return loss;
    }

    /// <summary>Squared error of a line through one sample, with a softplus margin.</summary>
    [Differentiable]
    public static double SampleLoss(double w, double b, double x, double y)
    {
        double r = (w * x) + b - y;
        return (r * r) + Math.Log(1 + Math.Exp(-w * b));
    }

    /// <summary>
    /// GMM's shape: per point, per component, scratch arrays filled afresh (the second from the first) and read going
    /// back; each component's pass takes rows of its own. The arrays are made before the point loop.
    /// </summary>
    [Differentiable]
    public static double ScratchPerComponent(double[] means, double[] x, int d, int k)
    {
        double total = 0;
        double[] centered = new double[d];
        double[] scaled = new double[d];
        double[] terms = new double[k];
        for (int ix = 0; ix < x.Length / d; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++)
                {
                    centered[id] = x[(ix * d) + id] - means[(ik * d) + id];
                    scaled[id] = Math.Sin(centered[id]) * centered[id];
                }

                for (int i = 1; i < d; i++)
                {
                    scaled[i] += means[ik * d] * centered[i - 1];
                }

                double s = 0;
                for (int id = 0; id < d; id++)
                {
                    s += scaled[id] * scaled[id] * centered[id];
                }

                terms[ik] = s;
            }

            double m = 0;
            for (int ik = 0; ik < k; ik++)
            {
                m += Math.Exp(-terms[ik] * terms[ik]);
            }

            total += Math.Log(m);
        }

        return total;
    }

    /// <summary>As <see cref="ScratchPerComponent"/>, but the fill stops one short of the end: the last element keeps the pass before's value, so no rows.</summary>
    [Differentiable]
    public static double ScratchFilledInPart(double[] means, double[] x, int d, int k)
    {
        double total = 0;
        double[] centered = new double[d];
        for (int ix = 0; ix < x.Length / d; ix++)
        {
            double m = 0;
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d - 1; id++)
                {
                    centered[id] = x[(ix * d) + id] - means[(ik * d) + id];
                }

                double s = 0;
                for (int id = 0; id < d; id++)
                {
                    s += Math.Sin(centered[id]) * centered[id] * means[(ik * d) + id];
                }

                m += s * s;
            }

            total += m;
        }

        return total;
    }

    /// <summary>As <see cref="ScratchPerComponent"/>, but the fill reads the element it is about to write: the pass before's value matters, so no rows.</summary>
    [Differentiable]
    public static double ScratchReadBeforeItsFill(double[] means, double[] x, int d, int k)
    {
        double total = 0;
        double[] centered = new double[d];
        for (int ix = 0; ix < x.Length / d; ix++)
        {
            double m = 0;
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++)
                {
                    centered[id] = (0.5 * centered[id]) + x[(ix * d) + id] - means[(ik * d) + id];
                }

                double s = 0;
                for (int id = 0; id < d; id++)
                {
                    s += Math.Sin(centered[id]) * centered[id];
                }

                m += s * s;
            }

            total += m;
        }

        return total;
    }
}
