using System;
using Backprop.Generator.Model;
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
        var plan = TensorPlans.PlanOfLoss("""
            var a = X * W;
            var b = X * V;
            var c = Tanh(a);
            var s = a + b;
            return SumOfSquares(s) + SumOfSquares(c);
            """);

        Assert.Contains(new TensorShared("da", "a", "ds"), plan.Backward);
        Assert.Contains(new TensorZeros("db", "b"), plan.Backward);
    }

    [Fact]
    public void ResidualStack_EveryAddSharesWithBothInputs()
    {
        // h1 = h + f(h), h2 = h1 + g(h1): each branch is read before anything adds into the skip's adjoint.
        var plan = TensorPlans.PlanOfLoss("""
            var h = Tanh(X * W);
            var h1 = h + Tanh(h * U);
            var h2 = h1 + Tanh(h1 * U);
            return SumOfSquares(h2);
            """);

        Assert.Contains(new TensorShared("dh1", "h1", "dh2"), plan.Backward);
        Assert.Contains(new TensorShared("dtanh2", "tanh2", "dh2"), plan.Backward);
        Assert.Contains(new TensorShared("dh", "h", "dh1"), plan.Backward);
        Assert.Contains(new TensorShared("dtanh", "tanh", "dh1"), plan.Backward);
    }

    [Fact]
    public void AddWhoseOutputAdjointIsSharedWithAnInputStillToBeRead_DoesNotShareAgain()
    {
        // s = a + b shares ds with a and b; then a = p + q must not share da (= db) with p or q, since b is read later.
        var plan = TensorPlans.PlanOfLoss("""
            var p = X * W;
            var q = X * V;
            var b = Tanh(X * W);
            var a = p + q;
            var s = a + b;
            return SumOfSquares(s);
            """);

        Assert.Contains(new TensorShared("da", "a", "ds"), plan.Backward);
        Assert.Contains(new TensorShared("db", "b", "ds"), plan.Backward);
        Assert.Contains(new TensorZeros("dp", "p"), plan.Backward);
        Assert.Contains(new TensorZeros("dq", "q"), plan.Backward);
    }

    [Fact]
    public void WhatSharesIsWhatTheRuleDeclares_NotItsName()
    {
        // AddBackward marks both adjoints [SharesGradient], MultiplyBackward neither; a rule of one's own marks its first.
        var plan = TensorPlans.PlanOfLoss("""
            var a = X * W;
            var b = X * V;
            var s = a + b;
            var m = Multiply(Tanh(s), b);
            var p = X * W;
            var q = Tanh(X * V);
            var r = MyOps.Plus(p, q);
            return SumOfSquares(m) + SumOfSquares(r);
            """, otherTypes: """
            public static class MyOps
            {
                [DerivativeRule(nameof(PlusBackward))]
                public static Tensor Plus(Tensor a, Tensor b) => Nn.Add(a, b);

                public static void PlusBackward(Tensor a, Tensor b, Tensor result, Tensor dResult, [SharesGradient] Tensor? da, Tensor? db) =>
                    Nn.AddBackward(a, b, result, dResult, da, db);
            }
            """);

        Assert.Contains(new TensorShared("da", "a", "ds"), plan.Backward);
        Assert.Contains(new TensorZeros("dtanh", "tanh"), plan.Backward);
        Assert.Contains(new TensorShared("dp", "p", "dr"), plan.Backward);
        Assert.Contains(new TensorZeros("dq", "q"), plan.Backward);
    }
}
