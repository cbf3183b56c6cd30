using System;
using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// A small CNN as a user writes it: a convolution block, max pooling, a second convolution with average pooling, a linear
/// head on the flattened features. Its trainable tensors include kernels of rank 4.
/// </summary>
public sealed partial class SmallCnn
{
    public Tensor K1, c1, K2, c2, W, b;

    public SmallCnn(Random random)
    {
        (K1, c1) = (TensorChecks.Fill(Tensor.Zeros(4, 1, 3, 3), random, 0.5), TensorChecks.Fill(Tensor.Vector(4), random, 0.1));
        (K2, c2) = (TensorChecks.Fill(Tensor.Zeros(3, 4, 3, 3), random, 0.3), TensorChecks.Fill(Tensor.Vector(3), random, 0.1));
        (W, b) = (TensorChecks.Fill(Tensor.Matrix(3 * 2 * 2, 5), random, 0.4), TensorChecks.Fill(Tensor.Vector(5), random, 0.1));
    }

    /// <summary>Class scores of images [N × 1 × 8 × 8].</summary>
    [Differentiable]
    public Tensor Scores(Tensor images)
    {
        var h = MaxPool2d(Relu(Conv2d(images, K1, c1, padding: 1)));          // [N × 4 × 4 × 4]
        var g = AvgPool2d(Tanh(Conv2d(h, K2, c2, stride: 1, padding: 1)));   // [N × 3 × 2 × 2]
        return Flatten(g) * W + b;
    }

    [Differentiable]
    public float Loss([NoDiff] Tensor images, int[] labels) => SoftmaxCrossEntropy(Scores(images), labels);

    /// <summary>The same loss with the images differentiable too, through every convolution's input gradient.</summary>
    [Differentiable]
    public static float SaliencyLoss(Tensor images, Tensor K1, Tensor c1, int[] labels) =>
        SoftmaxCrossEntropy(Flatten(GlobalAveragePool(Conv2d(images, K1, c1, 2, 1))), labels);
}

/// <summary>A transformer's feed-forward sub-block: pre-LayerNorm, a GELU MLP, and the residual connection around it.</summary>
public sealed partial class FeedForwardBlock
{
    public Tensor Gamma, Beta, W1, b1, W2, b2;

    public FeedForwardBlock(Random random)
    {
        (Gamma, Beta) = (TensorChecks.Fill(Tensor.Vector(4), random, 1.0), TensorChecks.Fill(Tensor.Vector(4), random, 0.2));
        (W1, b1) = (TensorChecks.Fill(Tensor.Matrix(4, 8), random, 0.5), TensorChecks.Fill(Tensor.Vector(8), random, 0.1));
        (W2, b2) = (TensorChecks.Fill(Tensor.Matrix(8, 4), random, 0.5), TensorChecks.Fill(Tensor.Vector(4), random, 0.1));
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => x + (Gelu(LayerNorm(x, Gamma, Beta) * W1 + b1) * W2 + b2);

    [Differentiable]
    public float Loss(Tensor x, [NoDiff] Tensor target) => MeanSquaredError(Forward(Forward(x)), target);
}

/// <summary>Multi-head causal self-attention as a user writes it, with a residual connection, over tokens [batch × tokens × features].</summary>
public sealed partial class CausalSelfAttention
{
    public Tensor Wq, bq, Wk, bk, Wv, bv, Wo, bo;

    public int Heads = 2;

    public CausalSelfAttention(Random random)
    {
        Tensor Matrix() => TensorChecks.Fill(Tensor.Matrix(4, 4), random, 0.6);
        Tensor Bias() => TensorChecks.Fill(Tensor.Vector(4), random, 0.1);
        (Wq, bq, Wk, bk, Wv, bv, Wo, bo) = (Matrix(), Bias(), Matrix(), Bias(), Matrix(), Bias(), Matrix(), Bias());
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var q = SplitHeads(Linear(x, Wq, bq), Heads);
        var k = SplitHeads(Linear(x, Wk, bk), Heads);
        var v = SplitHeads(Linear(x, Wv, bv), Heads);
        var weights = Softmax(CausalMask(BatchMatMul(q, k, transposeB: true) * 0.70710678f)); // 1/√d, d = 2
        return x + Linear(MergeHeads(BatchMatMul(weights, v), Heads), Wo, bo);
    }

    [Differentiable]
    public float Loss(Tensor x, [NoDiff] Tensor target) => MeanSquaredError(Forward(x), target);
}

/// <summary>A convolution block with batch normalisation and a residual connection, pooled to a linear head.</summary>
public sealed partial class ResidualCnn
{
    public Tensor K1, c1, Gamma, Beta, K2, c2, W, b;

    public BatchNormLayer Norm = new(3);

    public ResidualCnn(Random random)
    {
        (K1, c1) = (TensorChecks.Fill(Tensor.Zeros(3, 1, 3, 3), random, 0.5), TensorChecks.Fill(Tensor.Vector(3), random, 0.1));
        (Gamma, Beta) = (TensorChecks.Fill(Tensor.Vector(3), random, 1.0), TensorChecks.Fill(Tensor.Vector(3), random, 0.2));
        (K2, c2) = (TensorChecks.Fill(Tensor.Zeros(3, 3, 3, 3), random, 0.3), TensorChecks.Fill(Tensor.Vector(3), random, 0.1));
        (W, b) = (TensorChecks.Fill(Tensor.Matrix(3, 4), random, 0.5), TensorChecks.Fill(Tensor.Vector(4), random, 0.1));
    }

    [Differentiable]
    public float Loss([NoDiff] Tensor images, int[] labels)
    {
        var h = Relu(BatchNorm(Conv2d(images, K1, c1, padding: 1), Gamma, Beta, Norm));
        var r = h + Conv2d(h, K2, c2, padding: 1);
        return SoftmaxCrossEntropy(GlobalAveragePool(r) * W + b, labels);
    }
}
