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
        Assert.Equal(straight.Parameters.Select(p => p.Name), composed.Parameters.Select(p => p.Name));
        foreach (var (c, s) in composed.Parameters.Zip(straight.Parameters))
        {
            var expected = s.Gradient.ToArray();
            var actual = c.Gradient.ToArray();
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"d{c.Name}[{i}] = {actual[i]}, written out {expected[i]}");
            }
        }
    }

    [Fact]
    public void ComposedNet_GradientOfEveryParameter_MatchesFiniteDifferences()
    {
        var (net, _, x) = NewNets(seed: 4);
        net.LossGradient(x, s_labels);
        foreach (var parameter in net.Parameters)
        {
            var analytic = parameter.Gradient.ToArray();
            var checkedCount = 0;
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                var numeric = Central(parameter.Value, i, () => net.Loss(x, s_labels), 1e-2f);
                var half = Central(parameter.Value, i, () => net.Loss(x, s_labels), 5e-3f);
                if (Math.Abs(numeric - half) > 2e-2 * Math.Max(1, Math.Abs(numeric)))
                {
                    continue; // a ReLU kink between the two steps
                }

                Assert.True(Math.Abs(analytic[i] - numeric) <= 5e-3 * Math.Max(1, Math.Abs(numeric)), $"d{parameter.Name}[{i}] = {analytic[i]}, finite difference {numeric}");
                checkedCount++;
            }

            Assert.True(checkedCount >= parameter.Value.Length / 2, $"d{parameter.Name}: only {checkedCount} elements away from kinks");
        }
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
        Tensor Fill(Tensor t, double scale)
        {
            for (var i = 0; i < t.Length; i++)
            {
                t[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
            }

            return t;
        }

        var composed = new ComposedNet
        {
            W1 = Fill(Tensor.Matrix(6, 5), 1), b1 = Fill(Tensor.Vector(5), 0.1), W2 = Fill(Tensor.Matrix(5, 5), 1),
            b2 = Fill(Tensor.Vector(5), 0.1), W3 = Fill(Tensor.Matrix(5, 3), 1), b3 = Fill(Tensor.Vector(3), 0.1),
        };
        var straight = new StraightNet
        {
            W1 = Copy(composed.W1), b1 = Copy(composed.b1), W2 = Copy(composed.W2),
            b2 = Copy(composed.b2), W3 = Copy(composed.W3), b3 = Copy(composed.b3),
        };
        return (composed, straight, Fill(Tensor.Matrix(7, 6), 1));
    }

    private static Tensor Copy(Tensor t)
    {
        var copy = Tensor.ZerosLike(t);
        copy.CopyFrom(t);
        return copy;
    }

    private static double Central(Tensor value, int i, Func<float> f, float h)
    {
        var original = value[i];
        value[i] = original + h;
        double plus = f();
        value[i] = original - h;
        double minus = f();
        value[i] = original;
        return (plus - minus) / (2.0 * h);
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
        foreach (var parameter in net.Parameters)
        {
            var analytic = parameter.Gradient.ToArray();
            var checkedCount = 0;
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                var numeric = Central(parameter.Value, i, () => net.Loss(x, s_labels), 1e-2f);
                var half = Central(parameter.Value, i, () => net.Loss(x, s_labels), 5e-3f);
                if (Math.Abs(numeric - half) > 2e-2 * Math.Max(1, Math.Abs(numeric)))
                {
                    continue;
                }

                Assert.True(Math.Abs(analytic[i] - numeric) <= 5e-3 * Math.Max(1, Math.Abs(numeric)), $"d{parameter.Name}[{i}] = {analytic[i]}, finite difference {numeric}");
                checkedCount++;
            }

            Assert.True(checkedCount >= parameter.Value.Length / 2, $"d{parameter.Name}: only {checkedCount} elements away from kinks");
        }

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
        Tensor Fill(Tensor t, double scale)
        {
            for (var i = 0; i < t.Length; i++)
            {
                t[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
            }

            return t;
        }

        var net = new ModularNet();
        Fill(net.Input.W, 1);
        Fill(net.Input.b, 0.1);
        Fill(net.W2, 1);
        Fill(net.b2, 0.1);
        Fill(net.Output.W, 1);
        Fill(net.Output.b, 0.1);
        Fill(net.Frozen.W, 0.5);
        x = Fill(Tensor.Matrix(7, 6), 1);
        return net;
    }

    private static double Central(Tensor value, int i, Func<float> f, float h)
    {
        var original = value[i];
        value[i] = original + h;
        double plus = f();
        value[i] = original - h;
        double minus = f();
        value[i] = original;
        return (plus - minus) / (2.0 * h);
    }
}
