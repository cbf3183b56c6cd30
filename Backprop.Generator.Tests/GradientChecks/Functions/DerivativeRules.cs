using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>Scalar functions the generator cannot see into, differentiated through the rules their attributes name.</summary>
public static partial class DerivativeRules
{
    /// <summary>log(1 + eˣ), written in a form the generator would reject (a lookup through a delegate).</summary>
    [DerivativeRule(nameof(StableSoftplusBackward))]
    public static double StableSoftplus(double x) => s_softplus(x);

    public static void StableSoftplusBackward(double x, double result, double dResult, ref double dx) => dx += dResult / (1 + Math.Exp(-x));

    /// <summary>x·eʸ with a rule that uses the result it is given, and an integer parameter with no adjoint.</summary>
    [DerivativeRule(typeof(Rules), nameof(Rules.ScaledExpBackward))]
    public static double ScaledExp(double x, double y, int n) => n * x * Math.Exp(y);

    [Differentiable, Sample(-2, 2)]
    public static double UsesSoftplusRule(double x, double y) => StableSoftplus(x * y) + (x * StableSoftplus(y));

    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 3 })]
    public static double UsesRuleInALoop(double x, double y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += ScaledExp(x, y * i, 2) * x;
        }

        return s;
    }

    private static readonly Func<double, double> s_softplus = x => Math.Log(1 + Math.Exp(x));

    public static class Rules
    {
        public static void ScaledExpBackward(double x, double y, int n, double result, double dResult, ref double dx, ref double dy)
        {
            dx += dResult * n * Math.Exp(y);
            dy += dResult * result;
        }
    }
}
