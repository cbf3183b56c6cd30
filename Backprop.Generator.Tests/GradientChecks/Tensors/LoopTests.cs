using System;
using System.Linq;
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
        foreach (var parameter in net.Parameters)
        {
            TensorChecks.CheckAgainstFiniteDifferences(parameter.Name, parameter.Value, parameter.Gradient.ToArray(), () => net.Loss(x, s_labels, depth));
        }

        if (depth == 0)
        {
            Assert.All(net.dW2.ToArray(), g => Assert.Equal(0f, g));
        }
    }

    [Fact]
    public void ALoopFromTheInput_GivesFiniteDifferenceGradients()
    {
        var random = new Random(34);
        var net = new FromInputNet();
        foreach (var parameter in net.Parameters)
        {
            TensorChecks.Fill(parameter.Value, random, 0.5);
        }

        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels);
        foreach (var parameter in net.Parameters)
        {
            TensorChecks.CheckAgainstFiniteDifferences(parameter.Name, parameter.Value, parameter.Gradient.ToArray(), () => net.Loss(x, s_labels));
        }
    }

    [Fact]
    public void TheLoop_GivesTheLossAndGradientsOfTheLoopWrittenOut()
    {
        var (looped, unrolled, x) = NewNets(seed: 32);
        var loopedLoss = looped.LossGradient(x, s_labels, depth: 2);
        var unrolledLoss = unrolled.LossGradient(x, s_labels);

        Assert.Equal(unrolledLoss, loopedLoss, 5);
        foreach (var (l, u) in looped.Parameters.Zip(unrolled.Parameters))
        {
            Assert.Equal(u.Name, l.Name);
            var expected = u.Gradient.ToArray();
            var actual = l.Gradient.ToArray();
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"d{l.Name}[{i}] = {actual[i]}, written out {expected[i]}");
            }
        }
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
        var (result, output) = GeneratorHarness.Run("""
            using Backprop;
            using static Backprop.Nn;

            public sealed partial class Net
            {
                public Tensor W = Tensor.Matrix(4, 4);

                [Differentiable]
                public float Loss([NoDiff] Tensor X, int depth)
                {
                    var h = X;
                    for (int i = 0; i < depth; i++)
                    {
                        h = Tanh(h * W);
                    }

                    return SumOfSquares(h);
                }
            }
            """);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
        var code = GeneratorHarness.GeneratedFor(result, "Loss");

        Assert.Contains("var h = X; // carried through the loop over i", code);
        Assert.Contains("var hAt = workspace.Keep<global::Backprop.Tensor>(iterations);", code);
        Assert.Contains("hAt[i] = h;", code);
        Assert.Contains("for (int i = depth - 1; i >= 0; i--)", code);
        Assert.Contains("h = hAt[i];", code);
        Assert.Contains("dh = dh2; // the gradient of h as this iteration started, for the one before", code);

        // h starts from X, which takes no gradient: the first iteration does not compute one for it.
        Assert.Contains("global::Backprop.Nn.MatMulBackward(h, this.W, product, dproduct, i == 0 ? null : dh2, dW);", code);
    }

    [Fact]
    public void AResidualLoop_PassesTheGradientOnUnchanged_AsStraightLineCodeDoes()
    {
        var (result, output) = GeneratorHarness.Run("""
            using Backprop;
            using static Backprop.Nn;

            public sealed partial class Net
            {
                public Tensor W = Tensor.Matrix(4, 4);

                [Differentiable]
                public float Loss([NoDiff] Tensor X, int depth)
                {
                    var h = Tanh(X * W);
                    for (int i = 0; i < depth; i++)
                    {
                        h = h + Tanh(h * W);
                    }

                    return SumOfSquares(h);
                }
            }
            """);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
        var code = GeneratorHarness.GeneratedFor(result, "Loss");

        // h3 = h2 + tanh: both inputs take dh2 (the carried gradient), the carried value as the iteration started too.
        Assert.Contains("// h2 = h3: the gradient of h3 is dh2", code);
        Assert.Contains("var dh2_2 = global::Backprop.Workspace.PassedThrough(h2, dh2);", code);
        Assert.Contains("var dtanh = global::Backprop.Workspace.PassedThrough(tanh, dh2);", code);
        Assert.Contains("// h2 = h: the gradient of h is dh2", code);
    }

    private static (LoopNet Looped, UnrolledNet Unrolled, Tensor X) NewNets(int seed)
    {
        var random = new Random(seed);
        var looped = new LoopNet
        {
            W1 = TensorChecks.Fill(Tensor.Matrix(6, 5), random, 1), b1 = TensorChecks.Fill(Tensor.Vector(5), random, 0.1), W2 = TensorChecks.Fill(Tensor.Matrix(5, 5), random, 0.5),
            b2 = TensorChecks.Fill(Tensor.Vector(5), random, 0.1), W3 = TensorChecks.Fill(Tensor.Matrix(5, 3), random, 1), b3 = TensorChecks.Fill(Tensor.Vector(3), random, 0.1),
        };
        var unrolled = new UnrolledNet
        {
            W1 = Copy(looped.W1), b1 = Copy(looped.b1), W2 = Copy(looped.W2),
            b2 = Copy(looped.b2), W3 = Copy(looped.W3), b3 = Copy(looped.b3),
        };
        return (looped, unrolled, TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1));
    }

    private static Tensor Copy(Tensor t)
    {
        var copy = Tensor.ZerosLike(t);
        copy.CopyFrom(t);
        return copy;
    }
}
