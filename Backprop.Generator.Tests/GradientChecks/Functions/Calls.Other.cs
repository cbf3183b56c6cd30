using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>The second part of <see cref="Calls"/>, in another file.</summary>
public static partial class Calls
{
    [Differentiable, Sample(-2, 2)]
    public static double CalledFromOtherPart(double x) => Math.Sin(x) * Sigmoid(x);
}

/// <summary>Differentiable helpers in another type.</summary>
public static partial class Helpers
{
    [Differentiable, Sample(-2, 2)]
    public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    [Differentiable, Sample(-2, 2, Ints = new[] { 3 })]
    public static double ScaledPower(double x, int n)
    {
        double p = 1;
        for (int i = 0; i < n; i++)
        {
            p *= x;
        }

        return p / n;
    }

    [Differentiable, Sample(-2, 2)]
    public static double Mix(double a, double b) => a * a * b + Math.Exp(b) * a;
}
