using System;
using Backprop.Generator.Tests.Infrastructure;
using Backprop.Testing;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// A warm training step of a convolutional network (convolution, pooling, BatchNorm in training), of a transformer's
/// attention and of its feed-forward block allocates nothing: their intermediate tensors come from the workspace, the
/// convolution's unfolded images from a pool, and an operation that could split its work over threads makes no
/// closure when it does not.
/// </summary>
[Collection(AllocationMeasurements.Name)]
public sealed class LayerModelAllocationTests
{
    [Fact]
    public void AWarmCnnStep_AllocatesNothing()
    {
        var random = new Random(5);
        var (small, residual) = (new SmallCnn(random), new ResidualCnn(random));
        var (images, fewer) = (TensorChecks.Fill(Tensor.Zeros(3, 1, 8, 8), random, 1.0), TensorChecks.Fill(Tensor.Zeros(3, 1, 5, 5), random, 1.0));
        int[] labels = [0, 3, 2];
        residual.Norm.Training = true;

        SteadyState.AllocatesNothing(
            () =>
            {
                small.LossGradient(images, labels);
                residual.LossGradient(fewer, labels);
            },
            callsPerWindow: 20);
    }

    [Fact]
    public void AWarmTransformerStep_AllocatesNothing()
    {
        var random = new Random(8);
        var (attention, feedForward) = (new CausalSelfAttention(random), new FeedForwardBlock(random));
        var (x, target) = (TensorChecks.Fill(Tensor.Zeros(2, 3, 4), random, 1.0), TensorChecks.Fill(Tensor.Zeros(2, 3, 4), random, 1.0));
        var (rows, rowTarget) = (TensorChecks.Fill(Tensor.Matrix(3, 4), random, 1.0), TensorChecks.Fill(Tensor.Matrix(3, 4), random, 1.0));
        var (dx, drows) = (Tensor.ZerosLike(x), Tensor.ZerosLike(rows));

        SteadyState.AllocatesNothing(
            () =>
            {
                attention.LossGradient(x, target, dx);
                feedForward.LossGradient(rows, rowTarget, drows);
            },
            callsPerWindow: 20);
    }
}
