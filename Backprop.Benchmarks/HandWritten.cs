using System;

namespace Backprop.Benchmarks;

/// <summary>What an expert writes by hand for the same gradients: the baseline the generated code is measured against.</summary>
public static class HandWritten
{
    public static double AddMultiply(double x, double y, double z, out double dx, out double dy, out double dz)
    {
        var q = x + y;
        dx = z;
        dy = z;
        dz = q;
        return q * z;
    }

    public static double SigmoidNeuron(double w0, double w1, double w2, double x0, double x1,
        out double dw0, out double dw1, out double dw2, out double dx0, out double dx1)
    {
        var dot = (w0 * x0) + (w1 * x1) + w2;
        var f = 1.0 / (1.0 + Math.Exp(-dot));
        var ddot = (1 - f) * f;
        dw0 = x0 * ddot;
        dw1 = x1 * ddot;
        dw2 = ddot;
        dx0 = w0 * ddot;
        dx1 = w1 * ddot;
        return f;
    }

    public static double MultiplePaths(double x3, double x5, double w3, double w4, double x4,
        out double dx3, out double dx5, out double dw3, out double dw4, out double dx4)
    {
        var s = 1.0 / (1.0 + Math.Exp(-((w3 * x3) + (w4 * x4))));
        var ds = -(1 - s) * s;
        dx3 = 1 + (ds * w3);
        dx5 = 1;
        dw3 = ds * x3;
        dw4 = ds * x4;
        dx4 = ds * w4;
        return x3 + x5 - s;
    }

    public static double Rosenbrock(double[] x, Span<double> dx)
    {
        dx.Clear();
        double s = 0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = 1 - x[i];
            s += (100 * a * a) + (b * b);
            dx[i] += (-400 * a * x[i]) - (2 * b);
            dx[i + 1] += 200 * a;
        }

        return s;
    }

    /// <summary>The row sums kept in a scratch of d values (what ADBench's Manual GMM derivative keeps), then one pass back.</summary>
    public static double TriangularQuadratic(double[] q, double[] x, int d, Span<double> dq, Span<double> dx)
    {
        dq.Clear();
        dx.Clear();
        Span<double> sums = d <= 256 ? stackalloc double[d] : new double[d];
        double total = 0;
        for (var i = 0; i < d; i++)
        {
            double acc = 0;
            for (var k = 0; k < d; k++)
            {
                acc += q[(i * d) + k] * x[k];
            }

            sums[i] = acc;
            total += acc * acc;
        }

        for (var i = 0; i < d; i++)
        {
            var dacc = 2 * sums[i];
            for (var k = 0; k < d; k++)
            {
                dq[(i * d) + k] += x[k] * dacc;
                dx[k] += q[(i * d) + k] * dacc;
            }
        }

        return total;
    }

    public static double SinLoop(double x, double w, out double dx, out double dw)
    {
        Span<double> sines = stackalloc double[100];
        Span<double> cosines = stackalloc double[100];
        var s = x;
        for (var i = 0; i < 100; i++)
        {
            (sines[i], cosines[i]) = Math.SinCos(s);
            s = sines[i] * w;
        }

        double ds = 1;
        dw = 0;
        for (var i = 99; i >= 0; i--)
        {
            dw += sines[i] * ds;
            ds = cosines[i] * w * ds;
        }

        dx = ds;
        return s;
    }
}
