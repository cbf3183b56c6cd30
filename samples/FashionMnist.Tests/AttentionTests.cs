using System;
using Backprop;
using FashionMnistAttention;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>The attention sample: its tokens and its transformer's generated gradient.</summary>
public sealed class AttentionTests
{
    [Fact]
    public void Tokens_ArePatchesInReadingOrder_WithTheirPositionOneHot()
    {
        var images = Tensor.Matrix(2, 784);
        for (var i = 0; i < images.Length; i++)
        {
            images.Span[i] = i;
        }

        var tokens = Patches.Make(images);
        Assert.Equal(new TensorShape(2, 49, 65), tokens.Shape);
        // Image 1, patch 9 (second row of patches, third column): pixels from row 4, column 8 on.
        Assert.Equal(784 + (4 * 28) + 8, tokens[1, 9, 0]);
        Assert.Equal(784 + (7 * 28) + 11, tokens[1, 9, 15]);
        Assert.Equal(1f, tokens[1, 9, 16 + 9]);
        Assert.Equal(0f, tokens[1, 9, 16 + 8]);
    }

    [Fact]
    public void LossGradient_MatchesFiniteDifferences_ThroughBothBlocks()
    {
        var random = new Random(12);
        var images = Tensor.Matrix(3, 784);
        for (var i = 0; i < images.Length; i++)
        {
            images.Span[i] = (float)((random.NextDouble() * 2) - 1);
        }

        GradientCheck.AgainstSlopes(new Transformer(new Random(13)), Patches.Make(images), [2, 9, 4]);
    }
}
