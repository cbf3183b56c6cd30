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
}
