using System.Collections.Generic;
using Backprop;

namespace FashionMnist;

/// <summary>
/// A Fashion-MNIST classifier as the shared training loop and evaluation drive it. A model class implements it with its
/// forward pass (<see cref="Scores"/> and a <c>[Differentiable]</c> <c>Loss</c>, the mean softmax cross-entropy of the
/// scores) and gets the rest written by the generator (<see cref="LossGradient"/>, <see cref="Parameters"/>).
/// </summary>
public interface IClassifier
{
    /// <summary>The trainable tensors, with their gradients (generated).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Tensors the model keeps but does not train (a batch norm's running averages), by name: checkpoints save them
    /// beside <see cref="Parameters"/>. Empty for a model without such layers.
    /// </summary>
    IReadOnlyDictionary<string, Tensor> Buffers { get; }

    /// <summary>True while training (batch statistics, running averages updated); false to evaluate. A model without such layers ignores it.</summary>
    bool Training { get; set; }

    /// <summary>Class scores [batch × 10] of a batch of images.</summary>
    Tensor Scores(Tensor images);

    /// <summary>The loss, with every parameter's gradient written (generated).</summary>
    float LossGradient(Tensor images, int[] labels);
}
