using System;
using System.Linq;
using Backprop.Generator.Model;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Rules that take a residual from their forward companion ([DerivativeRule(…, Forward = …)]): the softmax of a
/// cross-entropy and dropout's mask are handed from the forward sweep to the rule, kept per iteration in a loop.
/// </summary>
public sealed class ResidualTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OneDropoutLayerInEveryIteration_GivesFiniteDifferenceGradients(bool training)
    {
        var random = new Random(41);
        var net = new DropoutLoopNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.6);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);

        // The same seed draws the same masks in every evaluation, so the loss is a function of the parameters alone.
        static DropoutLayer Layer() => new(0.4f, new Random(5));
        net.LossGradient(x, s_labels, Layer(), training);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, Layer(), training));
    }

    [Fact]
    public void ALossInEveryIteration_GivesFiniteDifferenceGradients()
    {
        var random = new Random(42);
        var net = new DeepSupervisionNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.6);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));
    }

    [Fact]
    public void TheResidual_IsHandedOutByTheForwardCompanion_KeptPerIteration_AndPassedToTheRule()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var h = X * W;
            var loss = 0f;
            for (int i = 0; i < depth; i++)
            {
                h = Tanh(h * U);
                loss = loss + SoftmaxCrossEntropy(h, labels);
            }

            return loss;
            """, ", int[] labels, int depth");

        var forward = TensorPlans.Flat(plan.Forward);
        var compute = Assert.Single(forward.OfType<TensorCompute>(), c => c.Expression is OpaqueCallExpr { Callee: "global::Backprop.Nn.SoftmaxCrossEntropyForward" });
        var call = (OpaqueCallExpr)compute.Expression;
        Assert.Equal(new OutExpr("probabilities", DataType.Tensor, Declare: true), call.Arguments.Last());
        Assert.Contains(new TensorKeepStack("probabilitiesKept", DataType.Tensor, First: false), forward);
        Assert.Contains(TensorPlans.Push("probabilitiesKept", "probabilities"), forward);

        var loop = Assert.Single(TensorPlans.BackwardLoops(plan.Backward));
        Assert.Contains(TensorPlans.Pop("probabilities", "probabilitiesKept", declare: true), loop.Body);
        var rule = Assert.Single(loop.Body.OfType<SweepRuleCall>(), c => c.Rule == "global::Backprop.Nn.SoftmaxCrossEntropyBackward");
        Assert.Equal(TensorPlans.Tensor("probabilities"), rule.Residual);
    }
}
