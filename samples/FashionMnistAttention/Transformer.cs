using System;
using System.Collections.Generic;
using Backprop;
using FashionMnist;
using static Backprop.Nn;

namespace FashionMnistAttention;

/// <summary>
/// A tiny vision transformer: patch tokens embedded to 32 features (their positions with them, see <see cref="Patches"/>),
/// two encoder blocks of 4-head self-attention and a GELU MLP (an array of them, looped over), a final LayerNorm and a
/// linear head on all tokens' features. Only the forward pass is written here; the generator writes <c>LossGradient</c>
/// through every block.
/// </summary>
public sealed partial class Transformer : IClassifier
{
    /// <summary>Features per token inside the blocks.</summary>
    public const int Width = 32;

    public Tensor We, be;
    public EncoderBlock[] Blocks;
    public Tensor Gamma, Beta, W, b;

    public Transformer(Random random)
    {
        (We, be) = (Init.Xavier(Patches.Features, Width, random), Tensor.Vector(Width));
        Blocks = [new EncoderBlock(Width, heads: 4, random), new EncoderBlock(Width, heads: 4, random)];
        (Gamma, Beta) = (Tensor.Vector(Width), Tensor.Vector(Width));
        Gamma.Fill(1f);
        (W, b) = (Init.Xavier(Patches.Count * Width, 10, random), Tensor.Vector(10));
    }

    /// <summary>Class scores [N × 10] of tokens [N × 49 × 65].</summary>
    [Differentiable]
    public Tensor Scores(Tensor patches)
    {
        var encoded = Linear(patches, We, be);                   // [N × 49 × 32]
        foreach (var block in Blocks)
        {
            encoded = block.Forward(encoded);
        }

        return Flatten(LayerNorm(encoded, Gamma, Beta)) * W + b; // [N × 49·32] → [N × 10]
    }

    /// <summary>Mean softmax cross-entropy of a batch; its gradient goes through <see cref="Scores"/>.</summary>
    [Differentiable]
    public float Loss([NoDiff] Tensor patches, int[] labels) => SoftmaxCrossEntropy(Scores(patches), labels);

    /// <summary>No layer behaves differently in training and evaluation (no batch norm, no dropout).</summary>
    public bool Training { get; set; } = true;

    /// <summary>Nothing is kept besides the trainable tensors.</summary>
    public IReadOnlyDictionary<string, Tensor> Buffers { get; } = new Dictionary<string, Tensor>();
}
