using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// A count set before a triangular nest and stepped in it, as ADBench GMM's lIndex (CountsFromTheirStart, issue 14): its
/// backward nest starts it again from the same expression and runs forward, so nothing is kept for it — and the near misses
/// that keep it on the tape: the count read by a step back outside the nest, stepped before its use, a nest that reads an
/// adjoint it writes (and keeps the b[j] it overwrites).
/// </summary>
public static partial class CountedNests
{
    /// <summary>GMM's shape: b filled, then the triangle adds w[at]·a[i] into b[j], at stepped after each.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = [3, 4])]
    public static double Triangle(double x, double y, int k, int d)
    {
        double[] w = new double[k * d * d];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = Math.Sin(x * (i + 1)) + y;
        }

        double[] a = new double[d];
        double[] b = new double[d];
        double total = 0;
        int at = 0;
        for (int p = 0; p < k; p++)
        {
            for (int i = 0; i < d; i++)
            {
                a[i] = (x * (p + i)) - y;
                b[i] = a[i] * y;
            }

            at = p * d * d;
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    b[j] += w[at] * a[i];
                    at++;
                }
            }

            for (int i = 0; i < d; i++)
            {
                total += b[i] * b[i];
            }
        }

        return total;
    }

    /// <summary>The count is read by a gate after the nest, whose step back reads it: kept, the tape gives it back.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = [3, 4])]
    public static double CountReadGoingBack(double x, double y, int k, int d)
    {
        double[] w = new double[k * d * d];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = Math.Sin(x * (i + 1)) + y;
        }

        double[] a = new double[d];
        double[] b = new double[d];
        double total = 0;
        int at = 0;
        for (int p = 0; p < k; p++)
        {
            for (int i = 0; i < d; i++)
            {
                a[i] = (x * (p + i)) - y;
                b[i] = a[i] * y;
            }

            at = p * d * d;
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    b[j] += w[at] * a[i];
                    at++;
                }
            }

            for (int i = 0; i < d; i++)
            {
                total += b[i] * b[i] * at;
            }
        }

        return total;
    }

    /// <summary>The count is stepped before it is read: going back, it is not stepped first thing, so it is kept.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = [3, 4])]
    public static double SteppedFirst(double x, double y, int k, int d)
    {
        double[] w = new double[(k * d * d) + 1];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = Math.Sin(x * (i + 1)) + y;
        }

        double[] a = new double[d];
        double[] b = new double[d];
        double total = 0;
        int at = 0;
        for (int p = 0; p < k; p++)
        {
            for (int i = 0; i < d; i++)
            {
                a[i] = (x * (p + i)) - y;
                b[i] = a[i] * y;
            }

            at = p * d * d;
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    at++;
                    b[j] += w[at] * a[i];
                }
            }

            for (int i = 0; i < d; i++)
            {
                total += b[i] * b[i];
            }
        }

        return total;
    }

    /// <summary>The triangle adds into b[j] from b[i]: going back it reads db[j] and adds into db[i], so it runs back and the count is kept.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = [3, 4])]
    public static double ReadsWhatItWrites(double x, double y, int k, int d)
    {
        double[] w = new double[k * d * d];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = Math.Sin(x * (i + 1)) + y;
        }

        double[] a = new double[d];
        double[] b = new double[d];
        double total = 0;
        int at = 0;
        for (int p = 0; p < k; p++)
        {
            for (int i = 0; i < d; i++)
            {
                a[i] = (x * (p + i)) - y;
                b[i] = a[i] * y;
            }

            at = p * d * d;
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    b[j] += w[at] * b[i];
                    at++;
                }
            }

            for (int i = 0; i < d; i++)
            {
                total += b[i] * b[i];
            }
        }

        return total;
    }
}
