using System;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Assigning a parameter in tensor code (<c>x = Relu(x * w)</c>, <c>h = h + …</c> in a helper's loop) gives it a new
/// version as for a local: the gradients are those of the same code written with locals, and of finite differences.
/// </summary>
public sealed class ParameterAssignmentTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(2, true)]
    public void AssignedParameters_GiveTheGradientsOfTheCodeWithLocals_AndFiniteDifferences(int depth, bool gated)
    {
        var random = new Random(53 + depth);
        var x = TensorChecks.Fill(Tensor.Matrix(4, 5), random, 1);
        var w = TensorChecks.Fill(Tensor.Matrix(5, 5), random, 0.6);
        var (dx, dw) = (Tensor.ZerosLike(x), Tensor.ZerosLike(w));
        var loss = Reassigning.LossGradient(x, w, 0.75f, depth, gated, dx, dw, out var dscale);

        var (ex, ew) = (Tensor.ZerosLike(x), Tensor.ZerosLike(w));
        Assert.Equal(Reassigning.WithLocalsGradient(x, w, 0.75f, depth, gated, ex, ew, out var escale), loss, 5);
        Assert.Equal(ex.ToArray(), dx.ToArray());
        Assert.Equal(ew.ToArray(), dw.ToArray());
        Assert.Equal(escale, dscale, 5);

        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => Reassigning.Loss(x, w, 0.75f, depth, gated));
        TensorChecks.CheckAgainstFiniteDifferences("w", w, dw.ToArray(), () => Reassigning.Loss(x, w, 0.75f, depth, gated));
    }
}
