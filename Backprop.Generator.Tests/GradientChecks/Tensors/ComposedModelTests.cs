using System;
using System.Linq;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Tensor models compose: [Differentiable] methods that return a Tensor (helper layers, a residual block, the model's
/// forward pass) and a float penalty method, called from the loss, give the gradients of the same network written out.
/// </summary>
public sealed class ComposedModelTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Fact]
    public void ComposedNet_GivesTheLossAndGradientsOfTheSameNetworkWrittenOut()
    {
        var (composed, straight, x) = NewNets(seed: 3);

        var composedLoss = composed.LossGradient(x, s_labels);
        var straightLoss = straight.LossGradient(x, s_labels);

        Assert.Equal(straightLoss, composedLoss, 6);
        TensorChecks.AssertSameGradients(composed.Parameters, straight.Parameters, 1e-6);
    }

    [Fact]
    public void ComposedNet_GradientOfEveryParameter_MatchesFiniteDifferences()
    {
        var (net, _, x) = NewNets(seed: 4);
        net.LossGradient(x, s_labels);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));
    }

    [Fact]
    public void TheForwardPass_IsStillAnOrdinaryMethod()
    {
        var (net, _, x) = NewNets(seed: 5);
        var scores = net.Scores(x);
        Assert.Equal((7, 3), (scores.Rows, scores.Columns));
    }

    private static (ComposedNet Composed, StraightNet Straight, Tensor X) NewNets(int seed)
    {
        var random = new Random(seed);
        var composed = new ComposedNet
        {
            W1 = TensorChecks.Fill(Tensor.Matrix(6, 5), random, 1), b1 = TensorChecks.Fill(Tensor.Vector(5), random, 0.1), W2 = TensorChecks.Fill(Tensor.Matrix(5, 5), random, 1),
            b2 = TensorChecks.Fill(Tensor.Vector(5), random, 0.1), W3 = TensorChecks.Fill(Tensor.Matrix(5, 3), random, 1), b3 = TensorChecks.Fill(Tensor.Vector(3), random, 0.1),
        };
        var straight = new StraightNet
        {
            W1 = TensorChecks.Copy(composed.W1), b1 = TensorChecks.Copy(composed.b1), W2 = TensorChecks.Copy(composed.W2),
            b2 = TensorChecks.Copy(composed.b2), W3 = TensorChecks.Copy(composed.W3), b3 = TensorChecks.Copy(composed.b3),
        };
        return (composed, straight, TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1));
    }
}

/// <summary>
/// Sub-modules: a model's fields whose type is a model (Linear, used for two layers; a third frozen with [NoDiff]) —
/// their tensors are in the outer model's Parameters, named Field.Name, and their gradients land in the sub-module's
/// d+field properties.
/// </summary>
public sealed class SubModuleTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Fact]
    public void Parameters_AreTheModelsTensorsAndItsSubModules_InDeclarationOrder_WithoutTheFrozenOne()
    {
        var net = NewNet(seed: 6, out _);
        Assert.Equal(["Input.W", "Input.b", "W2", "b2", "Output.W", "Output.b"], net.Parameters.Select(p => p.Name));
        Assert.Same(net.Input.Parameters[0], net.Parameters[0]);
        Assert.Equal(["Input.W", "Input.b"], net.Input.Parameters.Select(p => p.Name));
        Assert.Same(net.Parameters, net.Parameters);
    }

    [Fact]
    public void Gradients_LandInTheSubModules_AndMatchFiniteDifferences()
    {
        var net = NewNet(seed: 7, out var x);
        var frozen = net.Frozen.W.ToArray();
        net.LossGradient(x, s_labels);

        Assert.Same(net.Input.dW, net.Parameters[0].Gradient);
        Assert.Contains(net.Input.dW.ToArray(), v => v != 0);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));

        Assert.Equal(frozen, net.Frozen.W.ToArray());
    }

    [Fact]
    public void SubModuleReplaced_TheListFollows_AndKeepsTheOtherParameters()
    {
        var net = NewNet(seed: 8, out _);
        var before = net.Parameters;
        net.Output = new Linear(5, 3);
        var after = net.Parameters;

        Assert.NotSame(before, after);
        Assert.Same(before[0], after[0]);
        Assert.Same(net.Output.Parameters[0], after[4]);
        Assert.Equal("Output.W", after[4].Name);
    }

    [Fact]
    public void TrainingThroughTheOuterParameters_LowersTheLoss()
    {
        var net = NewNet(seed: 9, out var x);
        var optimizer = new Adam(1e-2f);
        var first = net.LossGradient(x, s_labels);
        for (var step = 0; step < 50; step++)
        {
            net.LossGradient(x, s_labels);
            optimizer.Step(net.Parameters);
        }

        Assert.True(net.Loss(x, s_labels) < first * 0.5f, $"loss {net.Loss(x, s_labels)} after 50 steps from {first}");
    }

    private static ModularNet NewNet(int seed, out Tensor x)
    {
        var random = new Random(seed);
        var net = new ModularNet();
        TensorChecks.Fill(net.Input.W, random, 1);
        TensorChecks.Fill(net.Input.b, random, 0.1);
        TensorChecks.Fill(net.W2, random, 1);
        TensorChecks.Fill(net.b2, random, 0.1);
        TensorChecks.Fill(net.Output.W, random, 1);
        TensorChecks.Fill(net.Output.b, random, 0.1);
        TensorChecks.Fill(net.Frozen.W, random, 0.5);
        x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        return net;
    }
}
