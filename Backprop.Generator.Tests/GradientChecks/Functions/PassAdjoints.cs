using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Local arrays each pass of a loop fills, then reads last in a loop over every element (ADBench GMM's <c>xCentered</c>,
/// <c>qxCentered</c>): going back, that loop's first contribution sets each element of the adjoint, and the fill leaves
/// it uncleared (Analysis.PassReaders). And arrays that look alike but may not: read before the fill, read last only in
/// some iterations or only in some passes, at another element, or after the passes. Five elements each: an array of at
/// most four, at constant indices, is held in locals instead (SmallArraysInLocals), and these are GMM's arrays of d.
/// </summary>
public static partial class PassAdjoints
{
    /// <summary>Two arrays filled each pass; one read last by a triangular nest (summed in a local), one by a plain loop.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 3, 1 })]
    public static double RefilledEachPass(double x, double y, int n)
    {
        double[] a = new double[5];
        double[] b = new double[5];
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < 5; i++)
            {
                a[i] = (x * (p + i + 1)) - y;
                b[i] = a[i] * y;
            }

            for (int i = 0; i < 5; i++)
            {
                for (int j = i + 1; j < 5; j++)
                {
                    b[j] += a[i] * x;
                }
            }

            double s = 0;
            for (int i = 0; i < b.Length; i++)
            {
                s += Math.Sin(b[i]) * b[i];
            }

            total = (0.5 * total) + (s * s);
        }

        return total;
    }

    /// <summary>The passes only add into the result, so each goes back right after it runs (as GMM's points do).</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 3, 1 })]
    public static double RefilledEachFusedPass(double x, double y, int n)
    {
        double[] a = new double[5];
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < 5; i++)
            {
                a[i] = Math.Sin(x * (p + i)) + y;
            }

            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += a[i] * a[i] * x;
            }

            total += s;
        }

        return total;
    }

    /// <summary>A pass reads a[0] before filling a: the pass before's value, whose adjoint the fill must not leave behind.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 3 })]
    public static double ReadBeforeTheFill(double x, double y, int n)
    {
        double[] a = new double[5];
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            double carried = a[0];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = Math.Sin((x * (p + 1)) + (y * i) + carried);
            }

            for (int i = 0; i < a.Length; i++)
            {
                total += a[i] * a[i] * y;
            }
        }

        return total;
    }

    /// <summary>The last loop reads a[i] only where i ≠ 1: a[1]'s adjoint is not set by it, so it must be cleared.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 3 })]
    public static double ReadLastInSomeIterations(double x, double y, int n)
    {
        double[] a = new double[5];
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (x * (p + i)) + (y * y);
            }

            total += a[1] * x;
            for (int i = 0; i < a.Length; i++)
            {
                if (i != 1)
                {
                    total += a[i] * a[i] * y;
                }
            }
        }

        return total;
    }

    /// <summary>Some passes skip the last loop (a continue): going back, such a pass adds into what the pass after it left.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 4 })]
    public static double ReadLastUnlessThePassStops(double x, double y, int n)
    {
        double[] a = new double[5];
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (x * (p + i)) - y;
            }

            total += a[2] * a[2] * y;
            if ((p % 2) == 1)
            {
                continue;
            }

            for (int i = 0; i < a.Length; i++)
            {
                total += a[i] * a[i];
            }
        }

        return total;
    }

    /// <summary>The last loop reads another element than its own (a[4 − i]).</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 3 })]
    public static double ReadLastAtAnotherElement(double x, double y, int n)
    {
        double[] a = new double[5];
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (x * (p + i)) - (y * i);
            }

            for (int i = 0; i < a.Length; i++)
            {
                total += a[i] * a[4 - i] * y;
            }
        }

        return total;
    }

    /// <summary>a is read after the passes too: its adjoint starts there, before any pass is gone back through.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 3 })]
    public static double ReadAfterThePasses(double x, double y, int n)
    {
        double[] a = new double[5];
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = Math.Cos((x * (p + i)) - y);
            }

            for (int i = 0; i < a.Length; i++)
            {
                total += a[i] * y;
            }
        }

        return total + (a[1] * a[2] * x);
    }
}
