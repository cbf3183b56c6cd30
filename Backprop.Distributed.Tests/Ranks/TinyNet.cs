using System;
using static Backprop.Nn;

namespace Backprop.Distributed.Ranks;

/// <summary>A 5-8-3 tanh network: small enough that a run of a few hundred steps takes a fraction of a second.</summary>
public sealed partial class TinyNet
{
    public Tensor W1, b1, W2, b2;

    public TinyNet(Random random)
    {
        W1 = Init.Xavier(5, 8, random);
        b1 = Tensor.Vector(8);
        W2 = Init.Xavier(8, 3, random);
        b2 = Tensor.Vector(3);
    }

    [Differentiable]
    public float Loss([NoDiff] Tensor x, int[] labels) => SoftmaxCrossEntropy(Tanh(x * W1 + b1) * W2 + b2, labels);
}
