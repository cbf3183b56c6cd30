using System;
using Backprop;
using static Backprop.Nn;

namespace FashionMnistCnn;

/// <summary>
/// A 3×3 convolution (padding 1: the image keeps its size), batch normalisation per channel, ReLU — the block the
/// network repeats. A sub-module: the network that holds it lists its tensors in its own <c>Parameters</c>
/// (<c>Block1.K</c>, …) and its generated backward pass calls into this one's.
/// </summary>
public sealed partial class ConvBlock
{
    public Tensor K, c, Gamma, Beta;

    /// <summary>The running mean and variance (evaluation normalises with them) and the train/eval switch.</summary>
    public BatchNormLayer Norm;

    public ConvBlock(int inputs, int outputs, Random random)
    {
        K = Init.HeKernels(outputs, inputs, 3, 3, random);
        c = Tensor.Vector(outputs);
        Gamma = Tensor.Vector(outputs);
        Gamma.Fill(1f);
        Beta = Tensor.Vector(outputs);
        Norm = new BatchNormLayer(outputs);
    }

    /// <summary>[N × inputs × H × W] → [N × outputs × H × W].</summary>
    [Differentiable]
    public Tensor Forward(Tensor x) => Relu(BatchNorm(Conv2d(x, K, c, padding: 1), Gamma, Beta, Norm));
}
