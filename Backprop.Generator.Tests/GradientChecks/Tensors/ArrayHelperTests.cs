using System;
using System.Linq;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// A helper that takes a Tensor[] is read in place like any other: <c>ws[i]</c> in it is the caller's <c>this.Ws[i]</c>
/// (or the element of the caller's own Tensor[] parameter), and that element's gradient is the caller's too.
/// </summary>
public sealed class ArrayHelperTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Fact]
    public void FieldsHandedToAHelper_GiveTheLossAndGradientsOfTheLoopWrittenOut_AndFiniteDifferences()
    {
        var random = new Random(51);
        var stacked = new StackedNet();
        TensorChecks.FillParameters(stacked.Parameters, random, weights: 0.6);
        var written = new StackedWrittenOutNet();
        TensorChecks.CopyParameters(stacked.Parameters, written.Parameters);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);

        Assert.Equal(written.LossGradient(x, s_labels), stacked.LossGradient(x, s_labels), 5);
        Assert.Equal(["W1", "Ws[0]", "Ws[1]", "Ws[2]", "bs[0]", "bs[1]", "bs[2]", "W3"], stacked.Parameters.Select(p => p.Name));
        TensorChecks.AssertSameGradients(stacked.Parameters, written.Parameters, 1e-5);
        TensorChecks.CheckEveryParameter(stacked.Parameters, () => stacked.Loss(x, s_labels));
    }

    [Fact]
    public void AParameterHandedToAHelper_GetsItsGradientThroughTheHelper()
    {
        var random = new Random(52);
        var x = TensorChecks.Fill(Tensor.Matrix(4, 5), random, 1);
        Tensor[] ws = [TensorChecks.Fill(Tensor.Matrix(5, 5), random, 0.6), TensorChecks.Fill(Tensor.Matrix(5, 5), random, 0.6)];
        var dx = Tensor.ZerosLike(x);
        Tensor[] dws = [Tensor.ZerosLike(ws[0]), Tensor.ZerosLike(ws[1])];
        Stacks.ChainLossGradient(x, ws, dx, dws);

        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => Stacks.ChainLoss(x, ws));
        TensorChecks.CheckAgainstFiniteDifferences("ws[0]", ws[0], dws[0].ToArray(), () => Stacks.ChainLoss(x, ws));
        TensorChecks.CheckAgainstFiniteDifferences("ws[1]", ws[1], dws[1].ToArray(), () => Stacks.ChainLoss(x, ws));
    }
}
