using System;
using System.Collections.Generic;
using Backprop;
using static Backprop.Nn;

namespace FashionMnist;

/// <summary>
/// The 784-256-128-10 network with ReLU. Only the forward pass is written here, once: the generator writes
/// <c>LossGradient</c>/<c>LossBackward</c> (see obj/Generated) through it and finds the trainable tensors for <c>Parameters</c>.
/// </summary>
public sealed partial class Mlp : IClassifier
{
    public Tensor W1, b1, W2, b2, W3, b3;

    public Mlp(Random random)
    {
        W1 = Init.He(784, 256, random);
        b1 = Tensor.Vector(256);
        W2 = Init.He(256, 128, random);
        b2 = Tensor.Vector(128);
        W3 = Init.He(128, 10, random);
        b3 = Tensor.Vector(10);
    }

    /// <summary>No layer behaves differently in training and evaluation (no batch norm, no dropout).</summary>
    public bool Training { get; set; }

    /// <summary>Nothing is kept besides the trainable tensors.</summary>
    public IReadOnlyDictionary<string, Tensor> Buffers { get; } = new Dictionary<string, Tensor>();

    /// <summary>Class scores of a batch: the forward pass, written once. Call inside a <see cref="Workspace"/> scope to reuse storage.</summary>
    [Differentiable]
    public Tensor Scores(Tensor images)
    {
        var h1 = Relu(images * W1 + b1);
        var h2 = Relu(h1 * W2 + b2);
        return h2 * W3 + b3;
    }

    /// <summary>Mean softmax cross-entropy of a batch of images; its gradient goes through <see cref="Scores"/>, read in place.</summary>
    [Differentiable]
    public float Loss([NoDiff] Tensor images, int[] labels) => SoftmaxCrossEntropy(Scores(images), labels);
}
