using System;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Counted loops in tensor code: a residual block applied depth times with shared weights and a penalty accumulated
/// across iterations give finite-difference gradients for every depth, and the gradients of the loop written out.
/// </summary>
[Collection(AllocationMeasurements.Name)]
public sealed class LoopTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void EveryDepth_GivesFiniteDifferenceGradients(int depth)
    {
        var (net, _, x) = NewNets(seed: 31);
        net.LossGradient(x, s_labels, depth);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, depth));

        if (depth == 0)
        {
            Assert.All(net.dW2.ToArray(), g => Assert.Equal(0f, g));
        }
    }

    /// <summary>Up by 2 from first below 5, down by 3 from last to 1: (0, 4) visits 0, 2, 4 then 4, 1; (5, 0) neither loop.</summary>
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 3)]
    [InlineData(4, 2)]
    [InlineData(5, 0)]
    public void LoopsThatStepByMoreThanOne_GiveFiniteDifferenceGradients_AndNoneToTheWeightsTheySkip(int first, int last)
    {
        var random = new Random(36);
        var net = new SteppedNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels, first, last);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, first, last));

        var visited = Enumerable.Range(0, 5).Where(i => i == 0 || (i >= first && (i - first) % 2 == 0) || (i >= 1 && i <= last && (last - i) % 3 == 0)).ToHashSet();
        for (var i = 1; i < 5; i++)
        {
            Assert.Equal(visited.Contains(i), net.dWs[i].ToArray().Any(g => g != 0));
        }
    }

    /// <summary>From 0 up by 2 below n: n = 0 gives no iteration, 1 one (i = 0), 4 two (0, 2), 5 three (0, 2, 4).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void ALoopFromZeroThatStepsByTwo_GivesFiniteDifferenceGradients(int n)
    {
        var random = new Random(37);
        var net = new EveryOtherNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels, n);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, n));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i < n && i % 2 == 0, net.dWs[i].ToArray().Any(g => g != 0));
        }
    }

    [Fact]
    public void ALoopFromTheInput_GivesFiniteDifferenceGradients()
    {
        var random = new Random(34);
        var net = new FromInputNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);

        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void ABranchInsideALoop_GivesFiniteDifferenceGradients(int depth)
    {
        var random = new Random(35);
        var net = new AlternatingNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.6);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels, depth);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, depth));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Continue_GivesTheGradientsOfTheRestOfTheIterationInAnIf_AndOfFiniteDifferences(int skipped)
    {
        var random = new Random(36);
        var skipping = new SkippingNet();
        TensorChecks.FillParameters(skipping.Parameters, random, weights: 0.6);
        var written = new NotSkippingNet();
        TensorChecks.CopyParameters(skipping.Parameters, written.Parameters);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);

        Assert.Equal(written.LossGradient(x, s_labels, skipped), skipping.LossGradient(x, s_labels, skipped), 5);
        TensorChecks.AssertSameGradients(skipping.Parameters, written.Parameters, 1e-6);
        TensorChecks.CheckEveryParameter(skipping.Parameters, () => skipping.Loss(x, s_labels, skipped));
    }

    [Fact]
    public void TheLoop_GivesTheLossAndGradientsOfTheLoopWrittenOut()
    {
        var (looped, unrolled, x) = NewNets(seed: 32);
        var loopedLoss = looped.LossGradient(x, s_labels, depth: 2);
        var unrolledLoss = unrolled.LossGradient(x, s_labels);

        Assert.Equal(unrolledLoss, loopedLoss, 5);
        TensorChecks.AssertSameGradients(looped.Parameters, unrolled.Parameters, 1e-5);
    }

    [Fact]
    public void AWarmLoopStep_AllocatesNothing()
    {
        var (net, _, x) = NewNets(seed: 33);
        Backprop.Testing.SteadyState.AllocatesNothing(() => net.LossGradient(x, s_labels, 3), callsPerWindow: 20);
    }

    [Fact]
    public void TheLoopPlan_KeepsEachIterationsValues_AndRunsTheIterationsLastFirst()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var h = X;
            for (int i = 0; i < depth; i++)
            {
                h = Tanh(h * W);
            }

            return SumOfSquares(h);
            """, ", int depth");

        var iteration = new Iteration("i", TensorPlans.Zero);
        var forward = TensorPlans.Flat(plan.Forward);
        Assert.Contains(new TensorCarriedBefore("h", DataType.Tensor, TensorPlans.Tensor("X"), "i"), forward);
        Assert.Contains(new TensorKeepStack("hKept", DataType.Tensor, First: true), forward);
        Assert.Contains(TensorPlans.Push("hKept", "h"), forward);

        // Back through the iterations, the last first: each restores h as it started and hands on its gradient.
        var loop = Assert.Single(TensorPlans.BackwardLoops(plan.Backward));
        Assert.Equal(new BackFromBoundHeader("i", BinaryOp.LessThan, TensorPlans.Zero, TensorPlans.Int("depth")), loop.Header);
        Assert.Contains(TensorPlans.Pop("h", "hKept", declare: false), loop.Body);
        Assert.Equal(new TensorPassBack("dh", "h", DataType.Tensor, "dh2"), loop.Body.Last());

        // h starts from X, which takes no gradient: the first iteration does not compute one for it.
        var matMul = Assert.Single(loop.Body.OfType<SweepRuleCall>(), call => call.Rule == "global::Backprop.Nn.MatMulBackward");
        Assert.Equal(new TensorAdjoint(TensorPlans.Tensor("dh2"), iteration), matMul.Adjoints[0]);

        // So dh2 starts as zeros: in the first iteration no rule writes it, and a fresh tensor would hold nothing.
        Assert.Contains(new TensorZeros("dh2", "h", Fresh: false), loop.Body);
        Assert.Equal(new TensorAdjoint(TensorPlans.Tensor("dW")), matMul.Adjoints[1]);
    }

    [Fact]
    public void AnElementOfATensorArray_TakesTheSameElementOfTheArraysGradient()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var h = X;
            for (int i = 0; i < ws.Length; i++)
            {
                h = Tanh(h * ws[i]);
            }

            return SumOfSquares(h);
            """, ", Tensor[] ws");

        // The forward sweep reads ws[i]; going back, MatMul adds into dws[i], the caller's gradient of that element.
        var loop = Assert.Single(TensorPlans.BackwardLoops(plan.Backward));
        var matMul = Assert.Single(loop.Body.OfType<SweepRuleCall>(), call => call.Rule == "global::Backprop.Nn.MatMulBackward");
        var weight = Assert.IsType<IndexerExpr>(matMul.Arguments[1]);
        Assert.Equal(("ws", TensorPlans.Int("i")), (Assert.IsType<VariableExpr>(weight.Collection).Name, weight.Index));
        var adjoint = Assert.IsType<IndexerExpr>(Assert.IsType<TensorAdjoint>(matMul.Adjoints[1]).Adjoint);
        Assert.Equal(("dws", TensorPlans.Int("i")), (Assert.IsType<VariableExpr>(adjoint.Collection).Name, adjoint.Index));
        Assert.Equal(new MemberExpr(weight.Collection, "Length", DataType.Int), Assert.IsType<BackFromBoundHeader>(loop.Header).Bound);
    }

    [Fact]
    public void AResidualLoop_PassesTheGradientOnUnchanged_AsStraightLineCodeDoes()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var h = Tanh(X * W);
            for (int i = 0; i < depth; i++)
            {
                h = h + Tanh(h * W);
            }

            return SumOfSquares(h);
            """, ", int depth");

        // h3 = h2 + tanh: both inputs take dh2 (the carried gradient), the carried value as the iteration started too.
        var loop = Assert.Single(TensorPlans.BackwardLoops(plan.Backward));
        Assert.Contains(new TensorTakesGradient("h2", TensorPlans.Tensor("h3"), "dh2"), loop.Body);
        Assert.Contains(new TensorShared("dh2_2", "h2", "dh2"), loop.Body);
        Assert.Contains(new TensorShared("dtanh", "tanh", "dh2"), loop.Body);
        Assert.Contains(new TensorTakesGradient("h2", TensorPlans.Tensor("h"), "dh2"), plan.Backward);
    }

    private static (LoopNet Looped, UnrolledNet Unrolled, Tensor X) NewNets(int seed)
    {
        var random = new Random(seed);
        var first = new LoopNet();
        TensorChecks.FillParameters(first.Parameters, random, weights: 0.5);
        var second = new UnrolledNet();
        TensorChecks.CopyParameters(first.Parameters, second.Parameters);
        return (first, second, TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1));
    }
}
