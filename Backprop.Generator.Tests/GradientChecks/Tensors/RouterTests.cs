using System;
using System.Linq;
using Backprop.Generator.Model;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// MathF.Max, Min, Abs and Clamp of float results in tensor code route the whole gradient to the input that won, by the
/// rule scalar code's routers use (MaxMinRule): finite differences agree away from the kinks, whichever input wins.
/// </summary>
public sealed class RouterTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(3f)]
    [InlineData(40f)]
    public void Routers_GiveFiniteDifferenceGradients_WhicheverInputWins(float margin)
    {
        var random = new Random(61);
        var x = TensorChecks.Fill(Tensor.Matrix(4, 5), random, 1);
        var w = TensorChecks.Fill(Tensor.Matrix(5, 3), random, 0.6);
        var (dx, dw) = (Tensor.ZerosLike(x), Tensor.ZerosLike(w));
        Routers.LossGradient(x, w, margin, dx, dw, out var dmargin);

        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => Routers.Loss(x, w, margin));
        TensorChecks.CheckAgainstFiniteDifferences("w", w, dw.ToArray(), () => Routers.Loss(x, w, margin));
        var m = Tensor.FromArray([margin]);
        TensorChecks.CheckAgainstFiniteDifferences("margin", m, [dmargin], () => Routers.Loss(x, w, m.ToArray()[0]));
    }

    /// <summary>Clamp: below, inside and above the range, with constant bounds and with bounds that take gradient.</summary>
    [Theory]
    [InlineData(0.05, -5f)]
    [InlineData(0.3, 1f)]
    [InlineData(0.8, 40f)]
    public void Clamp_GivesFiniteDifferenceGradients_BelowInsideAndAbove(double scale, float top)
    {
        var random = new Random(67);
        var x = TensorChecks.Fill(Tensor.Matrix(4, 5), random, scale);
        var w = TensorChecks.Fill(Tensor.Matrix(5, 3), random, scale);
        var (dx, dw) = (Tensor.ZerosLike(x), Tensor.ZerosLike(w));
        Routers.ClampedGradient(x, w, top, dx, dw, out var dtop);

        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => Routers.Clamped(x, w, top));
        TensorChecks.CheckAgainstFiniteDifferences("w", w, dw.ToArray(), () => Routers.Clamped(x, w, top));
        var t = Tensor.FromArray([top]);
        TensorChecks.CheckAgainstFiniteDifferences("top", t, [dtop], () => Routers.Clamped(x, w, t.ToArray()[0]));
    }

    [Fact]
    public void ClampWithConstantBounds_IsOneIfOnTheRange()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var fit = SumOfSquares(X * W);
            return System.Math.Clamp(fit, 0f, 1f);
            """);

        var route = Assert.Single(TensorPlans.Ifs(plan.Backward));
        var fit = TensorPlans.Float("fit");
        Assert.Equal(new BothCondition(
            new CompareCondition(fit, BinaryOp.GreaterThanOrEqual, new LiteralExpr("0f", DataType.Float)),
            new CompareCondition(fit, BinaryOp.LessThanOrEqual, new LiteralExpr("1f", DataType.Float))), route.Condition);
        Assert.Empty(route.Else);
        Assert.Equal(TensorPlans.Float("dfit"), Assert.IsType<SweepContribute>(Assert.Single(route.Then)).Adjoint);
    }

    [Fact]
    public void ARouterWithAnInputThatTakesNoGradient_HasOneArm_AndDeclaresItsAdjointBeforeIt()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var fit = SumOfSquares(X * W);
            return System.MathF.Max(fit, 1f);
            """);

        var route = Assert.Single(TensorPlans.Ifs(plan.Backward));
        Assert.Equal(new CompareCondition(TensorPlans.Float("fit"), BinaryOp.GreaterThanOrEqual, new LiteralExpr("1f", DataType.Float)), route.Condition);
        Assert.Empty(route.Else);
        var into = Assert.IsType<SweepContribute>(Assert.Single(route.Then));
        Assert.Equal((TensorPlans.Float("dfit"), false), (into.Adjoint, into.Declare));
        var backward = plan.Backward.ToList();
        Assert.True(backward.IndexOf(new SweepDeclareZero("dfit", DataType.Float)) is >= 0 and var declared && declared < backward.IndexOf(route.Block));
    }
}
