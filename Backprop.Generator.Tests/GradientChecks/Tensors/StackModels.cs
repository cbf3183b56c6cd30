using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>A residual stack over Tensor[] fields: one block per element of Ws and bs, as many as the arrays hold.</summary>
public sealed partial class StackNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), b1 = Tensor.Vector(5);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];
    public Tensor[] bs = [Tensor.Vector(5), Tensor.Vector(5)];
    public Tensor W3 = Tensor.Matrix(5, 3), b3 = Tensor.Vector(3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Relu(X * W1 + b1);
        for (int i = 0; i < Ws.Length; i++)
        {
            h = h + Tanh(h * Ws[i] + bs[i]);
        }

        return SoftmaxCrossEntropy(h * W3 + b3, labels);
    }
}

/// <summary>The stack of two blocks written out, each block's tensors in fields of their own.</summary>
public sealed partial class TwoBlockNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), b1 = Tensor.Vector(5);
    public Tensor Wa = Tensor.Matrix(5, 5), Wb = Tensor.Matrix(5, 5), ba = Tensor.Vector(5), bb = Tensor.Vector(5);
    public Tensor W3 = Tensor.Matrix(5, 3), b3 = Tensor.Vector(3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Relu(X * W1 + b1);
        h = h + Tanh(h * Wa + ba);
        h = h + Tanh(h * Wb + bb);
        return SoftmaxCrossEntropy(h * W3 + b3, labels);
    }
}
