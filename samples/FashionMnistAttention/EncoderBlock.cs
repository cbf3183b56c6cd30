using System;
using Backprop;
using static Backprop.Nn;

namespace FashionMnistAttention;

/// <summary>
/// A pre-norm transformer encoder block over tokens [N × T × d]: multi-head self-attention with a residual connection,
/// then a GELU MLP (d → 2d → d) with another. A sub-module: the model holds two and its generated backward pass calls
/// into theirs.
/// </summary>
public sealed partial class EncoderBlock
{
    public Tensor Gamma1, Beta1, Wq, bq, Wk, bk, Wv, bv, Wo, bo, Gamma2, Beta2, W1, b1, W2, b2;

    /// <summary>Attention heads; each attends over d / heads features.</summary>
    public int Heads;

    public EncoderBlock(int width, int heads, Random random)
    {
        Heads = heads;
        (Gamma1, Beta1, Gamma2, Beta2) = (Ones(width), Tensor.Vector(width), Ones(width), Tensor.Vector(width));
        (Wq, bq) = (Init.Xavier(width, width, random), Tensor.Vector(width));
        (Wk, bk) = (Init.Xavier(width, width, random), Tensor.Vector(width));
        (Wv, bv) = (Init.Xavier(width, width, random), Tensor.Vector(width));
        (Wo, bo) = (Init.Xavier(width, width, random), Tensor.Vector(width));
        (W1, b1) = (Init.He(width, 2 * width, random), Tensor.Vector(2 * width));
        (W2, b2) = (Init.Xavier(2 * width, width, random), Tensor.Vector(width));
    }

    /// <summary>[N × T × d] → [N × T × d]. The scores are scaled by 1/√(d / heads) = 1/√8 (the sample's 32 features, 4 heads).</summary>
    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h = LayerNorm(x, Gamma1, Beta1);
        var q = SplitHeads(Linear(h, Wq, bq), Heads);
        var k = SplitHeads(Linear(h, Wk, bk), Heads);
        var v = SplitHeads(Linear(h, Wv, bv), Heads);
        var weights = Softmax(BatchMatMul(q, k, transposeB: true) * 0.35355339f);
        var attended = x + Linear(MergeHeads(BatchMatMul(weights, v), Heads), Wo, bo);
        return attended + Linear(Gelu(Linear(LayerNorm(attended, Gamma2, Beta2), W1, b1)), W2, b2);
    }

    private static Tensor Ones(int length)
    {
        var ones = Tensor.Vector(length);
        ones.Fill(1f);
        return ones;
    }
}
