using System;
using System.Linq;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Tensor code calls a scalar [Differentiable] helper through its generated pullback, as scalar code does.</summary>
public sealed class ScalarHelperTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Theory]
    [InlineData(0.3)]
    [InlineData(3.0)]
    public void ScalarHelpers_GiveTheGradientsOfTheHelpersWrittenOut_AndOfFiniteDifferences(double weights)
    {
        var random = new Random(73);
        var net = new ScalarHelperNet();
        TensorChecks.FillParameters(net.Parameters, random, weights);
        var written = new WrittenOutHelperNet();
        TensorChecks.CopyParameters(net.Parameters, written.Parameters);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);

        // Small weights keep the loss below Huber's kink at 1, large ones above it: both arms of the helper.
        var h = Nn.Tanh(x * net.W1);
        foreach (var w in net.Ws)
        {
            h = h + Nn.Tanh(h * w);
        }

        Assert.Equal(weights < 1, 0.5f * Nn.SoftmaxCrossEntropy(h * net.W3, s_labels) < 1f);
        Assert.Equal(written.LossGradient(x, s_labels), net.LossGradient(x, s_labels), 4);
        TensorChecks.AssertSameGradients(net.Parameters, written.Parameters, 1e-5);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));
    }

    [Fact]
    public void AnInstanceHelperOfTheModel_GivesFiniteDifferenceGradients()
    {
        var random = new Random(74);
        var net = new InstanceHelperNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels);
        Assert.Contains(net.dW1.ToArray(), g => g != 0);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));
    }

    [Fact]
    public void ASubModulesScalarHelper_CalledByTheModelAndByTheSubModule_GivesTheGradientsOfTheModelsOwnHelper()
    {
        var random = new Random(75);
        var net = new SubModuleHelperNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);
        var own = new InstanceHelperNet();
        TensorChecks.CopyParameters(net.Parameters, own.Parameters);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);

        Assert.Equal(own.LossGradient(x, s_labels), net.LossGradient(x, s_labels), 5);

        // The same weights under another name (Layer.W against W1): the same gradient.
        var (got, want) = (net.Layer.dW.ToArray(), own.dW1.ToArray());
        Assert.Contains(got, g => g != 0);
        Assert.All(Enumerable.Range(0, want.Length), i => Assert.True(Math.Abs(got[i] - want[i]) <= 1e-6 * Math.Max(1, Math.Abs(want[i])), $"dLayer.W[{i}] = {got[i]}, dW1 {want[i]}"));
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));
    }

    [Fact]
    public void AScalarHelperOfSubModulesInAnArray_GivesFiniteDifferenceGradients()
    {
        var random = new Random(76);
        var net = new SubModuleArrayHelperNet();
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels);

        Assert.All(net.Layers, layer => Assert.Contains(layer.dW.ToArray(), g => g != 0));
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));
    }
}
