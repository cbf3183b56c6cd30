using System;
using Backprop.Generator.Tests.Infrastructure;
using Backprop.Testing;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// A warm training step of a transformer's attention and of its feed-forward block (LayerNorm, GELU) allocates nothing:
/// their intermediate tensors come from the workspace. A convolutional network's step is not allocation-free yet (Conv2d
/// and its rule still allocate a little per call).
/// </summary>
[Collection(AllocationMeasurements.Name)]
public sealed class LayerModelAllocationTests
{
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
