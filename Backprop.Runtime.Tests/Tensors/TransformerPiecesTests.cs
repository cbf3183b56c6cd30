using System;
using Xunit;

namespace Backprop.Runtime.Tests.Tensors;

/// <summary>
/// LayerNorm and GELU forward against PyTorch's numbers, printed by <c>pytorch/layer_norm_and_gelu.py</c> beside this
/// file (their rules are checked against finite differences in <see cref="DerivativeRuleTests"/>).
/// </summary>
public sealed class TransformerPiecesTests
{
    [Fact]
    public void Gelu_MatchesPyTorch()
    {
        var x = Tensor.FromArray([-3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f]);
        float[] expected = [-0.00404986739f, -0.158655286f, -0.154268786f, 0f, 0.345731199f, 0.841344714f, 2.99595022f];
        var actual = Nn.Gelu(x).ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"Gelu({x[i]}) = {actual[i]:R}, PyTorch {expected[i]:R}");
        }
    }

    [Fact]
    public void LayerNorm_MatchesPyTorch_OnEveryRow()
    {
        var rows = Tensor.FromArray([1f, 2f, 4f, 7f, -0.5f, 0.25f, 0f, 3f], 2, 4);
        var (gamma, beta) = (Tensor.FromArray([1f, 0.5f, -2f, 1.5f]), Tensor.FromArray([0f, 0.1f, 0.2f, -0.3f]));
        float[] expected = [-1.09108841f, -0.227326512f, -0.236435458f, 1.9912858f, -0.871777415f, -0.0605905727f, 1.20942652f, 2.24650788f];

        var actual = Nn.LayerNorm(rows, gamma, beta).ToArray();

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"[{i}] = {actual[i]:R}, PyTorch {expected[i]:R}");
        }

        var tokens = Nn.LayerNorm(rows.Reshape(1, 2, 4), gamma, beta);
        Assert.Equal(new TensorShape(1, 2, 4), tokens.Shape);
        Assert.Equal(actual, tokens.ToArray());
    }

    [Fact]
    public void LayerNorm_ParametersOfAnotherLength_AreRefusedNamingTheShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Nn.LayerNorm(Tensor.Matrix(2, 4), Tensor.Vector(3), Tensor.Vector(4)));
        Assert.Contains("LayerNorm: γ [3] and β [4] must be vectors of the last length of x [2×4] (4)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Nn.LayerNorm(Tensor.Matrix(2, 4), Tensor.Vector(4), Tensor.Vector(4), 0f));
    }

    [Fact]
    public void AttentionPieces_MatchTheirDefinitions()
    {
        var random = new Random(4);
        Tensor Random(params int[] lengths)
        {
            var t = Tensor.Zeros(lengths);
            for (var i = 0; i < t.Length; i++)
            {
                t[i] = (float)((random.NextDouble() * 2) - 1);
            }

            return t;
        }

        var (a, b, bt) = (Random(2, 3, 4), Random(2, 4, 5), Random(2, 5, 4));
        var (product, productT) = (Nn.BatchMatMul(a, b), Nn.BatchMatMul(a, bt, transposeB: true));
        for (var n = 0; n < 2; n++)
        {
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 5; j++)
                {
                    var (sum, sumT) = (0.0, 0.0);
                    for (var k = 0; k < 4; k++)
                    {
                        (sum, sumT) = (sum + (a[n, i, k] * b[n, k, j]), sumT + (a[n, i, k] * bt[n, j, k]));
                    }

                    Assert.Equal(sum, product[n, i, j], 5);
                    Assert.Equal(sumT, productT[n, i, j], 5);
                }
            }
        }

        var (w, bias) = (Random(4, 6), Random(6));
        var perToken = Nn.Linear(a, w, bias);
        Assert.Equal(new TensorShape(2, 3, 6), perToken.Shape);
        Assert.Equal((a.Reshape(6, 4) * w + bias).ToArray(), perToken.ToArray());

        var tokens = Random(2, 3, 6);
        var heads = Nn.SplitHeads(tokens, 3);
        Assert.Equal(new TensorShape(6, 3, 2), heads.Shape);
        Assert.Equal(tokens[1, 2, 5], heads[(1 * 3) + 2, 2, 1]); // batch 1, token 2, head 2's second feature
        Assert.Equal(tokens.ToArray(), Nn.MergeHeads(heads, 3).ToArray());

        var masked = Nn.CausalMask(Random(1, 3, 3));
        Assert.Equal(float.NegativeInfinity, masked[0, 0, 1]);
        Assert.Equal(float.NegativeInfinity, masked[0, 1, 2]);
        Assert.True(float.IsFinite(masked[0, 2, 2]));
        var weights = Nn.Softmax(masked);
        Assert.Equal((1f, 0f), (weights[0, 0, 0], weights[0, 0, 2]));
    }
}
