using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// One dropout layer used in every iteration of a loop, behind a branch: each iteration's backward must use the mask its
/// own forward drew (the residual DropoutForward hands out), not the last one the layer drew.
/// </summary>
public sealed partial class DropoutLoopNet
{
    public Tensor[] Ws = [Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6)];
    public Tensor W3 = Tensor.Matrix(6, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, DropoutLayer dropout, bool training)
    {
        var h = X;
        for (int i = 0; i < Ws.Length; i++)
        {
            var a = Tanh(h * Ws[i]);
            if (training)
            {
                a = Dropout(a, dropout);
            }

            h = h + a;
        }

        return SoftmaxCrossEntropy(h * W3, labels);
    }
}

/// <summary>A loss at every depth (deep supervision): each iteration's cross-entropy keeps its own softmax for its rule.</summary>
public sealed partial class DeepSupervisionNet
{
    public Tensor[] Ws = [Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6)];
    public Tensor Head = Tensor.Matrix(6, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = X;
        var loss = 0f;
        for (int i = 0; i < Ws.Length; i++)
        {
            h = Tanh(h * Ws[i]);
            loss = loss + SoftmaxCrossEntropy(h * Head, labels);
        }

        return loss;
    }
}
