using System;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>Mean squared error and the multiclass hinge against plain double loops (their rules are checked by finite differences in DerivativeRuleTests).</summary>
public sealed class LossTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(1001)]
    public void MeanSquaredError_MatchesReference_AcrossChunkBoundaries(int length)
    {
        var random = new Random(length);
        var p = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var t = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var expected = length == 0 ? 0 : p.Zip(t, (a, b) => (double)(a - b) * (a - b)).Sum() / length;
        Assert.Equal(expected, Losses.MeanSquaredError(p, t), 5);

        var dp = new float[length];
        var dt = new float[length];
        Losses.MeanSquaredErrorBackward(p, t, 3f, dp, dt);
        for (var i = 0; i < length; i++)
        {
            Assert.Equal(3.0 * 2 * (p[i] - t[i]) / length, dp[i], 5);
            Assert.Equal(-dp[i], dt[i]);
        }
    }

    [Fact]
    public void MulticlassHinge_MatchesTheLectureNotesExample()
    {
        // CS231n's three-class example: scores of a cat image [3.2, 5.1, -1.7], label cat (0): loss 2.9.
        float[] scores = [3.2f, 5.1f, -1.7f];
        Assert.Equal(2.9f, Losses.MulticlassHinge(scores, [0], 3), 4);
        var d = new float[3];
        Losses.MulticlassHingeBackward(scores, [0], 3, 1f, d);
        Assert.Equal([-1f, 1f, 0f], d);
    }

    [Fact]
    public void Losses_RejectLabelsOutOfRange_NamingTheRow()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Losses.MulticlassHinge(new float[6], [1, 3], 3));
        Assert.Contains("label 3 of row 1 is outside [0, 3)", error.Message, StringComparison.Ordinal);
    }
}
