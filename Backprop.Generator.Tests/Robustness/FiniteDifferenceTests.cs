using System;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>The gradient checker skips points where no derivative exists, and only those.</summary>
public sealed class FiniteDifferenceTests
{
    /// <summary>Regression (fuzz seed 1003, batch 24, method 4): a value at x unlike its neighbours, as near a pole, is no place to check a gradient.</summary>
    [Fact]
    public void IsolatedValue_IsNotSmooth()
    {
        static double Spike(double v) => v == 0.6176803361706811 ? -69504.60204688917 : -0.86;

        Assert.False(FiniteDifference.IsSmoothAt(Spike, 0.6176803361706811, 1e-6, 1e-5));
        Assert.True(FiniteDifference.IsSmoothAt(Spike, 0.3, 1e-6, 1e-5));
    }

    /// <summary>Regression (fuzz seed 1009, batch 52, method 0): difference quotients that change with the step (-8e-8 at h = 1e-6, 829 at 1e-7) do not agree, so the point is skipped.</summary>
    [Fact]
    public void ChaoticDifferences_DoNotAgree()
    {
        Assert.False(FiniteDifference.Agree(-8.304571958044259E-08, 829.3714313374106, 1e-3));
        Assert.True(FiniteDifference.Agree(2.0000001, 2.0000002, 1e-3));
    }

    /// <summary>Regression (fuzz seed 1011, batch 32, method 24): a small jump at x (2.7182808770 there, e at x ± h) is no place to check a slope either.</summary>
    [Fact]
    public void SmallJumpAtThePoint_IsNotSmooth()
    {
        static double Step(double v) => v == 0.09411957538412863 ? 2.7182808769860314 : Math.E;

        Assert.False(FiniteDifference.IsSmoothAt(Step, 0.09411957538412863, 1e-6, 1e-5));
        Assert.True(FiniteDifference.IsSmoothAt(x => Math.Exp(Math.Cos(x)), 0.09411957538412863, 1e-6, 1e-5));
    }

    [Fact]
    public void Kink_IsNotSmooth_SmoothCurve_Is()
    {
        Assert.False(FiniteDifference.IsSmoothAt(System.Math.Abs, 1e-7, 1e-6, 1e-5));
        Assert.True(FiniteDifference.IsSmoothAt(System.Math.Exp, 0.7, 1e-6, 1e-5));
    }

    /// <summary>
    /// Regression (fuzz seed 1023, batch 35, method 40): F smooth at the scale of the step while its derivative is not
    /// (here x + 1e-9·sin(1e8·x), whose derivative 1 + 0.1·cos(1e8·x) swings by 10% within 1e-7): the difference quotient
    /// averages the swing away, so such a point is skipped, not failed; a derivative that holds still is checked.
    /// </summary>
    [Fact]
    public void DerivativeThatSwingsWithinTheStep_IsNotSteady()
    {
        static double Rough(double v) => 1 + (0.1 * Math.Cos(1e8 * v));

        Assert.False(FiniteDifference.IsSteady(Rough, 0.3, 1e-6, 1e-5));
        Assert.True(FiniteDifference.IsSteady(Math.Exp, 0.3, 1e-6, 1e-5));
    }

    /// <summary>
    /// Regression (fuzz seed 83, batch 28, method 20): F a staircase at the scale of the step (here 0.3·x rounded to
    /// multiples of 1e-5) but with slope 0.3 at larger scales: the coarse steps check the gradient; a wrong one still fails.
    /// </summary>
    [Fact]
    public void FlatAtTheStep_IsCheckedWithLargerSteps()
    {
        static double Staircase(double v) => Math.Round(0.3 * v, 5);

        Assert.Equal(0, FiniteDifference.Central(Staircase, 0.4, 1e-6));
        Assert.True(FiniteDifference.IsBelowResolution(Staircase, 0.4, 1e-6, 0.3));
        Assert.False(FiniteDifference.IsBelowResolution(Staircase, 0.4, 1e-6, 0.5));
    }

    /// <summary>
    /// Regression (fuzz seed 1050, batch 14, method 33): F ≈ -2.9e5 with slope 1.93 has a central difference off by 5.6e-5
    /// at h = 1e-6 — rounding, as the bound says — while a well-scaled F with a wrong slope is not excused.
    /// </summary>
    [Fact]
    public void LargeFunction_IsRoundingLimitedAtSmallSteps_ButAWrongSlopeIsNot()
    {
        static double Large(double v) => -293554.4140939615 + (1.934766809830136 * v);

        Assert.True(FiniteDifference.IsRoundingLimited(Large, 0.3, 1e-6, 1.934766809830136, 2.89e-5));
        Assert.False(FiniteDifference.IsRoundingLimited(v => 3 * v, 0.3, 1e-6, 3.0001, 3.3e-5));
    }
}
