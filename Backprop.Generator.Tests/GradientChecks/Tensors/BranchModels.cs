using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Branches in tensor code on values that take no gradient: an if without else (a residual block taken or not), ?:
/// choosing between two heads, and an if on a comparison of the float loss (no gradient flows through a condition).
/// </summary>
public sealed partial class BranchNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), b1 = Tensor.Vector(5), W2 = Tensor.Matrix(5, 5), b2 = Tensor.Vector(5), W3 = Tensor.Matrix(5, 3), b3 = Tensor.Vector(3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, bool deep, int head, [NoDiff] float limit)
    {
        var h = Relu(X * W1 + b1);
        if (deep)
        {
            h = h + Tanh(h * W2 + b2);
        }

        var scores = head == 0 ? h * W3 + b3 : Tanh(h) * W3;
        var loss = SoftmaxCrossEntropy(scores, labels);
        if (loss > limit)
        {
            loss = 0.5f * loss;
        }
        else if (!deep)
        {
            loss = loss + 0.1f * SumOfSquares(W2);
        }

        return loss;
    }
}

/// <summary>The branch net with deep = true and head = 0 written out: the branches must give the same gradients.</summary>
public sealed partial class DeepHeadNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), b1 = Tensor.Vector(5), W2 = Tensor.Matrix(5, 5), b2 = Tensor.Vector(5), W3 = Tensor.Matrix(5, 3), b3 = Tensor.Vector(3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Relu(X * W1 + b1);
        h = h + Tanh(h * W2 + b2);
        return SoftmaxCrossEntropy(h * W3 + b3, labels);
    }
}
