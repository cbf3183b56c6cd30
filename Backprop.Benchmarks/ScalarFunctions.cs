using System;

namespace Backprop.Benchmarks;

/// <summary>The functions the scalar benchmarks differentiate; the generator writes their gradients.</summary>
public static partial class ScalarFunctions
{
    [Differentiable]
    public static double AddMultiply(double x, double y, double z)
    {
        double q = x + y;
        return q * z;
    }

    [Differentiable]
    public static double SigmoidNeuron(double w0, double w1, double w2, double x0, double x1) =>
        1.0 / (1.0 + Math.Exp(-(w0 * x0 + w1 * x1 + w2)));

    [Differentiable]
    public static double MultiplePaths(double x3, double x5, double w3, double w4, double x4) =>
        (x3 + x5) - 1.0 / (1.0 + Math.Exp(-(w3 * x3 + w4 * x4)));

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

    /// <summary>ADBench GMM's triangular Q·x kernel: row sums with an index counted up, squared and added.</summary>
    [Differentiable]
    public static double TriangularQuadratic(double[] q, double[] x, int d)
    {
        double total = 0;
        for (int i = 0; i < d; i++)
        {
            double acc = 0;
            int idx = i * d;
            for (int k = 0; k < d; k++)
            {
                acc += q[idx] * x[k];
                idx++;
            }

            total += acc * acc;
        }

        return total;
    }

    [Differentiable]
    public static double SinLoop(double x, double w)
    {
        double s = x;
        for (int i = 0; i < 100; i++)
        {
            s = Math.Sin(s) * w;
        }

        return s;
    }
}
