using System;
using System.Linq;
using Backprop.Generator.Tests.GradientChecks.Tensors.Readme;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>README's composed model — a Linear sub-module, a residual block helper, a loop over Tensor[] blocks, a branch — differentiates.</summary>
public sealed class ReadmeModelTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Theory]
    [InlineData(0f)]
    [InlineData(0.05f)]
    public void TheComposedModel_GivesFiniteDifferenceGradients(float decay)
    {
        var random = new Random(51);
        var net = new Net();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.8);

        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels, decay);

        Assert.Equal(["Input.W", "Input.b", "Output.W", "Output.b", "Ws[0]", "Ws[1]", "bs[0]", "bs[1]"], net.Parameters.Select(p => p.Name));
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, decay));
    }
}
