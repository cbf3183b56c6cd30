using System;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Training;

/// <summary>
/// AdamW and clipping by global norm against PyTorch 1.13's numbers on a fixed small case: the expected values were
/// printed by <c>pytorch/adamw_and_clipping.py</c> (beside this file) with Debian's python3-torch.
/// </summary>
public sealed class AdamWAndClippingTests
{
    [Fact]
    public void AdamW_ThreeSteps_MatchPyTorch()
    {
        var w = new Parameter("w", Tensor.FromArray([0.5f, -1f, 2f, 0f, 0.25f, -3f], 2, 3));
        var b = new Parameter("b", Tensor.FromArray([1.5f, -0.5f]));
        var optimizer = new AdamW(learningRate: 0.1f, decay: 0.1f);
        (float[] W, float[] B)[] gradients =
        [
            ([0.1f, -0.2f, 0.3f, 0f, 1f, -0.5f], [0.4f, -0.3f]),
            ([-0.3f, 0.2f, 0.1f, 0.05f, -1f, 0.5f], [0f, 0.2f]),
            ([0.2f, 0.2f, -0.4f, 0.1f, 0.5f, 0f], [-0.1f, 0.1f]),
        ];
        foreach (var (gw, gb) in gradients)
        {
            gw.CopyTo(w.Gradient.Span);
            gb.CopyTo(b.Gradient.Span);
            optimizer.Step([w, b]);
        }

        AssertClose([0.434185535f, -0.917720914f, 1.76474965f, -0.156526774f, 0.132302746f, -2.8221662f], w.Value.ToArray());
        AssertClose([1.25636458f, -0.379153967f], b.Value.ToArray());
    }

    [Fact]
    public void AdamW_WithoutDecay_IsAdam_AndDecayShrinksWeightsWithNoGradient()
    {
        var (plain, decoupled) = (new Parameter("w", Tensor.FromArray([0.5f, -2f, 3f])), new Parameter("w", Tensor.FromArray([0.5f, -2f, 3f])));
        var (adam, adamW) = (new Adam(0.01f), new AdamW(0.01f, decay: 0f));
        for (var step = 0; step < 3; step++)
        {
            float[] gradient = [0.3f * step, -0.1f, 0.7f];
            gradient.CopyTo(plain.Gradient.Span);
            gradient.CopyTo(decoupled.Gradient.Span);
            adam.Step([plain]);
            adamW.Step([decoupled]);
        }

        Assert.Equal(plain.Value.ToArray(), decoupled.Value.ToArray());

        // A weight whose gradient is 0 moves only by the decay: w·(1 − αλ) per step (Adam's step is 0/(0 + ε) = 0).
        var idle = new Parameter("w", Tensor.FromArray([2f, -4f]));
        var decaying = new AdamW(0.1f, decay: 0.5f);
        decaying.Step([idle]);
        decaying.Step([idle]);
        AssertClose([2f * 0.95f * 0.95f, -4f * 0.95f * 0.95f], idle.Value.ToArray());
    }

    [Fact]
    public void AdamW_BadDecay_OrARateThatWouldZeroTheWeights_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(decay: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(decay: float.NaN));
        var parameter = new Parameter("w", Tensor.FromArray([1f]));
        var optimizer = new AdamW(learningRate: 2f, decay: 0.5f);
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Step([parameter]));
        Assert.Contains("learning rate 2 × decay 0.5", error.Message, StringComparison.Ordinal);
        Assert.Equal(1f, parameter.Value[0]);
    }

    [Theory]
    [InlineData(1f, 0.178706784f)]
    [InlineData(10f, 1f)]
    public void ClipByGlobalNorm_MatchesPyTorch(float maxNorm, float expectedFactor)
    {
        var w = new Parameter("w", Tensor.Matrix(2, 2));
        var b = new Parameter("b", Tensor.Vector(3));
        float[] gw = [3f, -4f, 1f, 0.5f];
        float[] gb = [2f, -1f, 0.25f];
        gw.CopyTo(w.Gradient.Span);
        gb.CopyTo(b.Gradient.Span);

        var norm = GradientClipping.ByGlobalNorm([w, b], maxNorm);

        Assert.Equal(5.59575748f, norm, 5);
        float[] expectedW = maxNorm == 1f ? [0.536120355f, -0.71482712f, 0.17870678f, 0.08935339f] : gw;
        float[] expectedB = maxNorm == 1f ? [0.35741356f, -0.17870678f, 0.044676695f] : gb;
        AssertClose(expectedW, w.Gradient.ToArray());
        AssertClose(expectedB, b.Gradient.ToArray());
        AssertClose(gw.Select(g => g * expectedFactor).ToArray(), w.Gradient.ToArray(), 1e-5);
    }

    [Fact]
    public void ClipByGlobalNorm_NonFiniteNorm_IsReturned_AndTheGradientsAreLeftAsTheyAre()
    {
        var w = new Parameter("w", Tensor.Vector(3));
        float[] gradient = [1f, float.PositiveInfinity, 2f];
        gradient.CopyTo(w.Gradient.Span);

        Assert.Equal(float.PositiveInfinity, GradientClipping.ByGlobalNorm([w], 1f));
        Assert.Equal(gradient, w.Gradient.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ByGlobalNorm([w], 0f));
    }

    private static void AssertClose(float[] expected, float[] actual, double relative = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
