using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>Calls to other [Differentiable] methods: same type, another partial part in another file, another type.</summary>
public static partial class Calls
{
    [Differentiable, Sample(-2, 2)]
    public static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

    [Differentiable, Sample(-2, 2)]
    public static double Neuron(double w0, double w1, double b, [NoDiff] double x0, [NoDiff] double x1) =>
        Sigmoid(w0 * x0 + w1 * x1 + b);

    [Differentiable, Sample(-2, 2)]
    public static double CallInOtherFile(double x, double y) => Helpers.Softplus(x * y) + CalledFromOtherPart(x);

    [Differentiable, Sample(-2, 2)]
    public static double NestedCalls(double x) => Sigmoid(Sigmoid(x) * Helpers.Softplus(x));

    [Differentiable, Sample(-2, 2, Ints = new[] { 3 })]
    public static double CallWithIntArgument(double x, int n) => Helpers.ScaledPower(x, n) + Helpers.ScaledPower(2.0, n) * x;

    [Differentiable, Sample(-2, 2, Ints = new[] { 4 })]
    public static double CallInLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = Sigmoid(s * 2) + x * 0.1;
        }

        return s;
    }

    [Differentiable, Sample(-2, 2)]
    public static double CallWithConstantArgument(double x) => Helpers.Mix(x, 0.25) + Helpers.Mix(0.5, x);

    [Differentiable, Sample(-2, 2)]
    public static double CallSameArgumentTwice(double x) => Helpers.Mix(x, x);

    [Differentiable, Sample(-2, 2)]
    public static double RegularizedLoss(double w, double b, [NoDiff] double x, [NoDiff] double y, [NoDiff] double lambda)
    {
        double error = y - Sigmoid(w * x + b);
        return 0.5 * error * error + lambda * w * w;
    }

    /// <summary>
    /// Sum loops called from a loop are read in place (their loop joins the caller's); the call before the loop, and a
    /// loop that calls Math.Sin, stay calls.
    /// </summary>
    [Differentiable]
    public static double SumLoopsInALoop(double[] w, double[] x)
    {
        double total = SumOfProducts(w, x);
        for (int r = 0; r < 3; r++)
        {
            double t = SumOfProducts(w, x) * (r + 1);
            total += (t * t) + SumOfSines(w) - SumOfProducts(x, x);
        }

        return total;
    }

    /// <summary>Σ aᵢ·bᵢ: one loop summing into a local.</summary>
    [Differentiable]
    public static double SumOfProducts(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    /// <summary>Σ sin(aᵢ): its loop calls a function, so it is not read in place.</summary>
    [Differentiable]
    public static double SumOfSines(double[] a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += Math.Sin(a[i]);
        }

        return s;
    }
}
