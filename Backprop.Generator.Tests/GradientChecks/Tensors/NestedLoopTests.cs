using System;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Loops of tensor code inside loops and branches: each loop keeps its iterations' values on stacks of the workspace, so
/// an inner loop may run a different number of times in each outer iteration, or not at all when its arm is not taken.
/// </summary>
[Collection(AllocationMeasurements.Name)]
public sealed class NestedLoopTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Fact]
    public void StagesOfDifferentLengths_GiveFiniteDifferenceGradients()
    {
        var random = new Random(61);
        var net = new StagedNet();
        Assert.Equal(["W1", "Stages[0].Ws[0]", "Stages[0].Ws[1]", "Stages[0].b", "Stages[1].Ws[0]", "Stages[1].b", "Stages[2].Ws[0]", "Stages[2].Ws[1]", "Stages[2].Ws[2]", "Stages[2].b", "W3"], net.Parameters.Select(p => p.Name));
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);

        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels);
        Assert.Contains(net.Stages[2].dWs[2].ToArray(), g => g != 0);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void AnInnerLoopCountedByTheOuterCounter_GivesFiniteDifferenceGradients(int depth)
    {
        var (net, _, x) = NewTriangles(seed: 62);
        net.LossGradient(x, s_labels, depth);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, depth));
        if (depth < 3)
        {
            Assert.All(net.dWs[2].ToArray(), g => Assert.Equal(0f, g)); // the third layer runs only at depth 3
        }
    }

    [Fact]
    public void NestedLoops_GiveTheLossAndGradientsOfTheLoopsWrittenOut()
    {
        var (looped, unrolled, x) = NewTriangles(seed: 63);
        var loopedLoss = looped.LossGradient(x, s_labels, depth: 2);
        var unrolledLoss = unrolled.LossGradient(x, s_labels);

        Assert.Equal(unrolledLoss, loopedLoss, 5);
        TensorChecks.AssertSameGradients(looped.Parameters, unrolled.Parameters, 1e-5);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    [InlineData(false, 4)]
    public void LoopsInsideBranches_GiveFiniteDifferenceGradients(bool deep, int depth)
    {
        var random = new Random(64);
        var net = new BranchLoopNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels, deep, depth);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, deep, depth));
    }

    [Fact]
    public void ALoopCountingDown_GivesTheGradientsOfTheStepsWrittenOut_AndOfFiniteDifferences()
    {
        var random = new Random(66);
        var looped = new BidirectionalNet();
        TensorChecks.FillParameters(looped.Parameters, random, weights: 0.5);
        var unrolled = new BidirectionalUnrolledNet();
        TensorChecks.CopyParameters(looped.Parameters, unrolled.Parameters);
        var (steps, h0) = Sequence(random);

        Assert.Equal(unrolled.LossGradient(steps[0], steps[1], steps[2], h0, s_labels), looped.LossGradient(steps, h0, s_labels), 5);
        TensorChecks.AssertSameGradients(looped.Parameters, unrolled.Parameters, 1e-5);
        TensorChecks.CheckEveryParameter(looped.Parameters, () => looped.Loss(steps, h0, s_labels));
    }

    [Fact]
    public void AnLstmWithSlicedGates_GivesFiniteDifferenceGradients()
    {
        var random = new Random(67);
        var net = new LstmNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.4);
        var (steps, h0) = Sequence(random);
        net.LossGradient(steps, h0, s_labels);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(steps, h0, s_labels));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void AnInnerLoopAfterAContinue_GivesFiniteDifferenceGradients(int depth)
    {
        var random = new Random(68);
        var net = new SkipThenLoopNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels, depth);
        Assert.Contains(net.dWs[1].ToArray(), g => g != 0);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, depth));
    }

    [Fact]
    public void AWarmStepThroughNestedLoops_AllocatesNothing()
    {
        var random = new Random(65);
        var net = new StagedNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        Backprop.Testing.SteadyState.AllocatesNothing(() => net.LossGradient(x, s_labels), callsPerWindow: 20);
    }

    [Fact]
    public void TheNestedPlan_DeclaresTheInnerLoopsStacksBeforeTheOuterLoop_AndPopsThemInTheOuterBackwardBody()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var h = X;
            for (int i = 0; i < depth; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    h = Tanh(h * W);
                }

                h = Sigmoid(h);
            }

            return SumOfSquares(h);
            """, ", int depth");

        // The forward sweep: every stack before the outer loop, at the top level, where the backward sweep can read them.
        var outer = Assert.Single(TensorPlans.ForwardLoops(plan.Forward));
        var keeps = plan.Forward.TakeWhile(s => s != outer).OfType<TensorKeepStack>().Select(k => k.Stack).ToList();
        Assert.Equal(["hKept", "h2Kept", "h4Kept", "h2Kept2", "productKept", "h3Kept"], keeps);
        var inner = Assert.Single(TensorPlans.ForwardLoops(outer.Body));
        Assert.Contains(new TensorCarriedBefore("h2", DataType.Tensor, TensorPlans.Tensor("h"), "j"), outer.Body);
        Assert.Equal([TensorPlans.Push("h2Kept2", "h2")], inner.Body.OfType<SweepKeep>().Take(1));

        // Going back: the outer body restores the inner loop's carried variable, which the inner loop pops again per iteration.
        var back = Assert.Single(TensorPlans.BackwardLoops(plan.Backward));
        Assert.Contains(TensorPlans.Pop("h2", "h2Kept", declare: true), back.Body);
        var innerBack = Assert.Single(TensorPlans.BackwardLoops(back.Body));
        Assert.Contains(TensorPlans.Pop("h2", "h2Kept2", declare: false), innerBack.Body);
        Assert.Contains(TensorPlans.Pop("product", "productKept", declare: true), innerBack.Body);
    }

    /// <summary>Three time steps of 7 × 6 inputs and a 7 × 5 starting state.</summary>
    private static (Tensor[] Steps, Tensor H0) Sequence(Random random) =>
        ([.. Enumerable.Range(0, 3).Select(_ => TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1))], TensorChecks.Fill(Tensor.Matrix(7, 5), random, 0.5));

    private static (TriangleNet Looped, TriangleUnrolledNet Unrolled, Tensor X) NewTriangles(int seed)
    {
        var random = new Random(seed);
        var looped = new TriangleNet();
        TensorChecks.FillParameters(looped.Parameters, random, weights: 0.5);
        var unrolled = new TriangleUnrolledNet();
        TensorChecks.CopyParameters(looped.Parameters, unrolled.Parameters);
        return (looped, unrolled, TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1));
    }
}
