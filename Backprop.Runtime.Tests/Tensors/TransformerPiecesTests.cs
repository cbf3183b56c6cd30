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
}
