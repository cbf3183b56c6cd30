using System;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary><c>in</c> parameters: gradients against central differences, and the generated signatures keep <c>in</c>.</summary>
public sealed class InParameterTests
{
    [Theory]
    [InlineData(0.7, -1.3)]
    [InlineData(-2.1, 0.4)]
    public void CallsWithIn_MatchesFiniteDifferences(double x, double y)
    {
        var value = InParameters.CallsWithInGradient(x, y, out var dx, out var dy);
        Assert.Equal(InParameters.CallsWithIn(x, y), value);
        var h = FiniteDifference.DoubleStep(x);
        Assert.True(FiniteDifference.RelativeError(dx, FiniteDifference.Central(v => InParameters.CallsWithIn(v, y), x, h)) <= 1e-6);
        Assert.True(FiniteDifference.RelativeError(dy, FiniteDifference.Central(v => InParameters.CallsWithIn(x, v), y, h)) <= 1e-6);

        // Backward adds dResult · gradient into what dx, dy hold.
        double bx = 0.25, by = -0.5;
        InParameters.CallsWithInBackward(x, y, 2.0, ref bx, ref by);
        Assert.Equal(0.25 + (2 * dx), bx, 12);
        Assert.Equal(-0.5 + (2 * dy), by, 12);
    }

    [Fact]
    public void InParameter_GradientIsAnalytic_AndSignatureKeepsIn()
    {
        // d/dx (x·w + sin x) = w + cos x, d/dw = x.
        const double x = 0.9, w = -1.7;
        InParameters.ScaledGradient(x, w, out var dx, out var dw);
        Assert.Equal(w + Math.Cos(x), dx, 14);
        Assert.Equal(x, dw, 14);

        var parameters = typeof(InParameters).GetMethod(nameof(InParameters.ScaledBackward))!.GetParameters();
        Assert.True(parameters[0].IsIn);
        Assert.True(parameters[1].IsIn);

        InParameters.FloatInGradient(1.5f, 4, out var df);
        Assert.Equal(6f, df); // Σ i for i < 4
    }
}
