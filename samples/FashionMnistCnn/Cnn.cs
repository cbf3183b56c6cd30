using System;
using System.Collections.Generic;
using Backprop;
using FashionMnist;
using static Backprop.Nn;

namespace FashionMnistCnn;

/// <summary>
/// A small residual CNN for 28×28 images: two convolution blocks each followed by 2×2 max pooling, a third block added
/// back to its input (a residual connection), and a linear head on the flattened features. Only the forward pass is
/// written here; the generator writes <c>LossGradient</c> through every block (see obj/Generated).
/// </summary>
public sealed partial class Cnn : IClassifier
{
    public ConvBlock Block1, Block2, Block3;
    public Tensor W, b;

    /// <param name="width">Channels of the first block; the second and third have twice as many.</param>
    public Cnn(Random random, int width = 32)
    {
        Block1 = new ConvBlock(1, width, random);
        Block2 = new ConvBlock(width, 2 * width, random);
        Block3 = new ConvBlock(2 * width, 2 * width, random);
        W = Init.Xavier(2 * width * 7 * 7, 10, random);
        b = Tensor.Vector(10);
    }

    /// <summary>Class scores [N × 10] of images [N × 1 × 28 × 28]. Call inside a <see cref="Workspace"/> scope to reuse storage.</summary>
    [Differentiable]
    public Tensor Scores(Tensor images)
    {
        var h1 = MaxPool2d(Block1.Forward(images));   // [N × w × 14 × 14]
        var h2 = MaxPool2d(Block2.Forward(h1));       // [N × 2w × 7 × 7]
        var h3 = h2 + Block3.Forward(h2);             // the residual connection
        return Flatten(h3) * W + b;                   // [N × 10]
    }

    /// <summary>Mean softmax cross-entropy of a batch; its gradient goes through <see cref="Scores"/>.</summary>
    [Differentiable]
    public float Loss([NoDiff] Tensor images, int[] labels) => SoftmaxCrossEntropy(Scores(images), labels);

    /// <summary>Batch statistics while training; the running averages to evaluate.</summary>
    public bool Training
    {
        get => Block1.Norm.Training;
        set => Block1.Norm.Training = Block2.Norm.Training = Block3.Norm.Training = value;
    }

    /// <summary>Each block's running mean and variance, which checkpoints keep beside the parameters.</summary>
    public IReadOnlyDictionary<string, Tensor> Buffers => new Dictionary<string, Tensor>
    {
        ["Block1.Norm.RunningMean"] = Block1.Norm.RunningMean,
        ["Block1.Norm.RunningVariance"] = Block1.Norm.RunningVariance,
        ["Block2.Norm.RunningMean"] = Block2.Norm.RunningMean,
        ["Block2.Norm.RunningVariance"] = Block2.Norm.RunningVariance,
        ["Block3.Norm.RunningMean"] = Block3.Norm.RunningMean,
        ["Block3.Norm.RunningVariance"] = Block3.Norm.RunningVariance,
    };
}
