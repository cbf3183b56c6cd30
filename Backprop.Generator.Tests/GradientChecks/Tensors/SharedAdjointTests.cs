using System;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// The add gate's inputs may take its output adjoint as their own (the same tensor, no zeroed copy) only where no
/// gradient added into one of them can reach another that has still to be read.
/// </summary>
public sealed class SharedAdjointTests
{
    [Fact]
    public void AddOfTwoIntermediates_OneReadAgainAfterTheOtherIsMade_GivesFiniteDifferenceGradients()
    {
        var random = new Random(11);
        var net = new SharedAdjointNet();
        TensorChecks.Fill(net.W, random, 0.5);
        TensorChecks.Fill(net.V, random, 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(4, 6), random, 1);
        net.LossGradient(x);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x));
    }

    [Fact]
    public void AddOfTwoIntermediates_OneReadAgainAfterTheOtherIsMade_OnlyTheFirstShares()
    {
        var code = TensorPlans.GeneratedLoss("""
            var a = X * W;
            var b = X * V;
            var c = Tanh(a);
            var s = a + b;
            return SumOfSquares(s) + SumOfSquares(c);
            """);

        Assert.Contains("var da = global::Backprop.Workspace.PassedThrough(a, ds);", code);
        Assert.Contains("var db = global::Backprop.Workspace.ZerosLike(b);", code);
    }

    [Fact]
    public void ResidualStack_EveryAddSharesWithBothInputs()
    {
        // h1 = h + f(h), h2 = h1 + g(h1): each branch is read before anything adds into the skip's adjoint.
        var code = TensorPlans.GeneratedLoss("""
            var h = Tanh(X * W);
            var h1 = h + Tanh(h * U);
            var h2 = h1 + Tanh(h1 * U);
            return SumOfSquares(h2);
            """);

        Assert.Contains("var dh1 = global::Backprop.Workspace.PassedThrough(h1, dh2);", code);
        Assert.Contains("var dtanh2 = global::Backprop.Workspace.PassedThrough(tanh2, dh2);", code);
        Assert.Contains("var dh = global::Backprop.Workspace.PassedThrough(h, dh1);", code);
        Assert.Contains("var dtanh = global::Backprop.Workspace.PassedThrough(tanh, dh1);", code);
    }

    [Fact]
    public void AddWhoseOutputAdjointIsSharedWithAnInputStillToBeRead_DoesNotShareAgain()
    {
        // s = a + b shares ds with a and b; then a = p + q must not share da (= db) with p or q, since b is read later.
        var code = TensorPlans.GeneratedLoss("""
            var p = X * W;
            var q = X * V;
            var b = Tanh(X * W);
            var a = p + q;
            var s = a + b;
            return SumOfSquares(s);
            """);

        Assert.Contains("var da = global::Backprop.Workspace.PassedThrough(a, ds);", code);
        Assert.Contains("var db = global::Backprop.Workspace.PassedThrough(b, ds);", code);
        Assert.Contains("var dp = global::Backprop.Workspace.ZerosLike(p);", code);
        Assert.Contains("var dq = global::Backprop.Workspace.ZerosLike(q);", code);
    }
}
