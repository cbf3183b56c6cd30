using System;
using Xunit;

namespace Backprop.Runtime.Tests.Tensors;

/// <summary>
/// BatchNorm in training and evaluation against PyTorch's BatchNorm2d, numbers printed by <c>pytorch/batch_norm.py</c>
/// beside this file (its rule is checked against finite differences in <see cref="DerivativeRuleTests"/>).
/// </summary>
public sealed class BatchNormTests
{
    [Fact]
    public void TrainingStep_ThenEvaluation_MatchPyTorch()
    {
        var x = Tensor.Zeros(2, 2, 2, 2);
        for (var i = 0; i < 16; i++)
        {
            x[i] = (MathF.Pow(i, 1.5f) / 10) - 1;
        }

        var (gamma, beta) = (Tensor.FromArray([1.5f, -0.5f]), Tensor.FromArray([0.25f, 1f]));
        var layer = new BatchNormLayer(2);

        AssertClose([-1.43081045f, -1.32473016f, -1.13077021f, -0.8796013f, 1.61521745f, 1.53165424f, 1.43925583f, 1.33879828f, 0.969511628f, 1.43335652f, 1.92374182f, 2.43930221f, 0.733188152f, 0.593853474f, 0.44905135f, 0.298980802f],
            Nn.BatchNorm(x, gamma, beta, layer).ToArray());
        AssertClose([0.0584470592f, 0.214146093f], layer.RunningMean.ToArray());
        AssertClose([1.12850893f, 1.3138541f], layer.RunningVariance.ToArray());

        layer.Training = false;
        AssertClose([-1.24453449f, -1.10333383f, -0.845158696f, -0.510834217f, 1.18065429f, 1.04192495f, 0.888527751f, 0.721750975f, 1.95047212f, 2.56788397f, 3.22062325f, 3.90687227f, -0.283665657f, -0.514985144f, -0.755381584f, -1.00452447f],
            Nn.BatchNorm(x, gamma, beta, layer).ToArray());
        AssertClose([0.0584470592f, 0.214146093f], layer.RunningMean.ToArray()); // evaluation leaves them alone
    }

    [Fact]
    public void ChannelsThatDoNotMatch_AreRefusedNamingThem()
    {
        var error = Assert.Throws<ArgumentException>(() => Nn.BatchNorm(Tensor.Zeros(2, 3, 2, 2), Tensor.Vector(3), Tensor.Vector(3), new BatchNormLayer(4)));
        Assert.Contains("the layer's 4 channels must all match the 3 channels of x [2×3×2×2]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Nn.BatchNorm(Tensor.Zeros(2, 3, 4), Tensor.Vector(3), Tensor.Vector(3), new BatchNormLayer(3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormLayer(3, momentum: 1.5f));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: {actual[i]:R}, PyTorch {expected[i]:R}");
        }
    }
}
