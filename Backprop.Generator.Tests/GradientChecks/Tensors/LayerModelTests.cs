using System;
using System.Linq;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Generated gradients of convolutional and transformer code (rank-4 tensors, convolution, pooling, LayerNorm, GELU) against finite differences.</summary>
public sealed class LayerModelTests
{
    private static readonly int[] s_labels = [0, 4, 2];

    [Fact]
    public void SmallCnn_GradientOfEveryParameter_MatchesFiniteDifferences()
    {
        var random = new Random(5);
        var net = new SmallCnn(random);
        var images = TensorChecks.Fill(Tensor.Zeros(3, 1, 8, 8), random, 1.0);

        net.LossGradient(images, s_labels);

        Assert.Equal(["K1", "c1", "K2", "c2", "W", "b"], net.Parameters.Select(p => p.Name));
        Assert.Equal(new TensorShape(4, 1, 3, 3), net.dK1.Shape);
        foreach (var parameter in net.Parameters)
        {
            TensorChecks.CheckAgainstFiniteDifferences(parameter.Name, parameter.Value, parameter.Gradient.ToArray(), () => net.Loss(images, s_labels));
        }
    }

    [Fact]
    public void GradientWithRespectToTheImages_MatchesFiniteDifferences()
    {
        var random = new Random(6);
        var images = TensorChecks.Fill(Tensor.Zeros(3, 2, 6, 5), random, 1.0);
        var (kernels, bias) = (TensorChecks.Fill(Tensor.Zeros(5, 2, 3, 3), random, 0.5), TensorChecks.Fill(Tensor.Vector(5), random, 0.1));
        var (dImages, dKernels, dBias) = (Tensor.ZerosLike(images), Tensor.ZerosLike(kernels), Tensor.ZerosLike(bias));

        SmallCnn.SaliencyLossGradient(images, kernels, bias, s_labels, dImages, dKernels, dBias);

        TensorChecks.CheckAgainstFiniteDifferences("images", images, dImages.ToArray(), () => SmallCnn.SaliencyLoss(images, kernels, bias, s_labels));
        TensorChecks.CheckAgainstFiniteDifferences("K1", kernels, dKernels.ToArray(), () => SmallCnn.SaliencyLoss(images, kernels, bias, s_labels));
        TensorChecks.CheckAgainstFiniteDifferences("c1", bias, dBias.ToArray(), () => SmallCnn.SaliencyLoss(images, kernels, bias, s_labels));
    }

    [Fact]
    public void FeedForwardBlock_AppliedTwice_GradientOfEveryParameterAndTheInput_MatchesFiniteDifferences()
    {
        var random = new Random(7);
        var block = new FeedForwardBlock(random);
        var (x, target) = (TensorChecks.Fill(Tensor.Matrix(5, 4), random, 1.0), TensorChecks.Fill(Tensor.Matrix(5, 4), random, 1.0));
        var dx = Tensor.ZerosLike(x);

        block.LossGradient(x, target, dx);

        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => block.Loss(x, target));
        foreach (var parameter in block.Parameters)
        {
            TensorChecks.CheckAgainstFiniteDifferences(parameter.Name, parameter.Value, parameter.Gradient.ToArray(), () => block.Loss(x, target));
        }
    }

    [Fact]
    public void CausalSelfAttention_GradientOfEveryParameterAndTheTokens_MatchesFiniteDifferences()
    {
        var random = new Random(8);
        var attention = new CausalSelfAttention(random);
        var (x, target) = (TensorChecks.Fill(Tensor.Zeros(2, 3, 4), random, 1.0), TensorChecks.Fill(Tensor.Zeros(2, 3, 4), random, 1.0));
        var dx = Tensor.ZerosLike(x);

        attention.LossGradient(x, target, dx);

        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => attention.Loss(x, target));
        foreach (var parameter in attention.Parameters)
        {
            TensorChecks.CheckAgainstFiniteDifferences(parameter.Name, parameter.Value, parameter.Gradient.ToArray(), () => attention.Loss(x, target));
        }

        // A later token never changes an earlier token's output: the mask holds in the gradient too.
        var onlyFirst = Tensor.ZerosLike(target);
        using (Workspace.Enter())
        {
            var output = attention.Forward(x);
            output.Span.CopyTo(onlyFirst.Span);
        }

        x[0, 2, 1] += 0.5f;
        using (Workspace.Enter())
        {
            var moved = attention.Forward(x);
            Assert.Equal(onlyFirst[0, 0, 3], moved[0, 0, 3]);
            Assert.Equal(onlyFirst[0, 1, 0], moved[0, 1, 0]);
            Assert.NotEqual(onlyFirst[0, 2, 0], moved[0, 2, 0]);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ResidualCnnWithBatchNorm_InTrainingAndEvaluation_GradientOfEveryParameter_MatchesFiniteDifferences(bool training)
    {
        var random = new Random(9);
        var net = new ResidualCnn(random);
        var images = TensorChecks.Fill(Tensor.Zeros(3, 1, 5, 5), random, 1.0);
        net.Norm.Training = training;

        net.LossGradient(images, s_labels[..3].Select(l => l % 4).ToArray());

        Assert.Equal(["K1", "c1", "Gamma", "Beta", "K2", "c2", "W", "b"], net.Parameters.Select(p => p.Name)); // not the running averages
        foreach (var parameter in net.Parameters)
        {
            TensorChecks.CheckAgainstFiniteDifferences(parameter.Name, parameter.Value, parameter.Gradient.ToArray(), () => net.Loss(images, s_labels[..3].Select(l => l % 4).ToArray()));
        }
    }
}
