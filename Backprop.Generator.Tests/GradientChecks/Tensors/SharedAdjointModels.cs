using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Both inputs of an add gate are intermediates, and one of them is also read by a step between its definition and the
/// add (Tanh(a)): the add gate passes its gradient on to both, so neither may share the other's adjoint storage blindly.
/// </summary>
public sealed partial class SharedAdjointNet
{
    public Tensor W = Tensor.Matrix(6, 5), V = Tensor.Matrix(6, 5);

    [Differentiable]
    public float Loss([NoDiff] Tensor X)
    {
        var a = X * W;
        var b = X * V;
        var c = Tanh(a);
        var s = a + b;
        return SumOfSquares(s) + SumOfSquares(c);
    }
}
