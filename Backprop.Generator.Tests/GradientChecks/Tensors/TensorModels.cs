using System;
using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>The lecture notes' two-layer network as a model: its trainable tensors are fields the generator discovers.</summary>
public sealed partial class TwoLayerNet
{
    public Tensor W1 = Tensor.Matrix(6, 5);
    public Tensor b1 = Tensor.Vector(5);
    public Tensor W2 = Tensor.Matrix(5, 3);
    public Tensor b2 = Tensor.Vector(3);

    /// <summary>L2 strength of the notes' ½λ‖W‖² (not a trainable tensor: a float).</summary>
    public float Lambda = 0.1f;

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h1 = Relu(X * W1 + b1);
        var scores = h1 * W2 + b2;
        var dataLoss = SoftmaxCrossEntropy(scores, labels);
        var regLoss = 0.5f * Lambda * (SumOfSquares(W1) + SumOfSquares(W2));
        return dataLoss + regLoss;
    }
}

/// <summary>A model with a frozen tensor: [NoDiff] on a field keeps it out of Parameters and out of training.</summary>
public sealed partial class FrozenEmbeddingNet
{
    [NoDiff]
    public Tensor Embedding = Tensor.Matrix(6, 4);

    public Tensor W = Tensor.Matrix(4, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels) => SoftmaxCrossEntropy(Tanh(X * Embedding) * W, labels);
}

/// <summary>Tensor functions with explicit parameters, as in the example, and one for every operation with a rule.</summary>
public static partial class TensorFunctions
{
    [Differentiable]
    public static float Mlp([NoDiff] Tensor X, int[] labels, Tensor W1, Tensor b1, Tensor W2, Tensor b2)
    {
        var h1 = Relu(X * W1 + b1);
        var scores = h1 * W2 + b2;
        return SoftmaxCrossEntropy(scores, labels);
    }

    /// <summary>Sigmoid, tanh, leaky ReLU, ELU, softmax, maxout, elementwise ops, reductions and all three losses in one graph.</summary>
    [Differentiable]
    public static float EveryOperation(Tensor X, Tensor W, Tensor V, [NoDiff] Tensor target, int[] labels, float s)
    {
        var a = Sigmoid(X * W);
        var b = Tanh(X * V);
        var c = Maxout(LeakyRelu(a - b), Elu(Multiply(a, b), 0.7f));
        var d = Softmax(s * c + ColumnSums(b));
        var e = Axpy(s, d, c * 2f);
        var loss = MeanSquaredError(e, target) + MulticlassHinge(e, labels);
        loss += 0.1f * Sum(RowSums(Multiply(d, d))) - (SoftmaxCrossEntropy(c, labels) / s);
        return loss * s;
    }

    /// <summary>An intermediate added to itself: the add gate's input receives the gradient twice.</summary>
    [Differentiable]
    public static float AddedToItself(Tensor x)
    {
        var t = Tanh(x);
        var u = t + t;
        return Sum(u - t);
    }

    /// <summary>Math functions of a tensor loss, differentiated by the same rules as scalar code (sin's cos, a step function).</summary>
    [Differentiable]
    public static float MathOfTheLoss(Tensor x, Tensor w)
    {
        var loss = Sum(Tanh(x * w));
        var smooth = MathF.Sqrt(1 + loss * loss) + (MathF.Sin(loss) * MathF.Exp(-loss)) - MathF.Pow(MathF.Cos(loss), 2f);
        return (smooth / MathF.Log(2 + (loss * loss))) + MathF.Floor(loss);
    }

    /// <summary>A value used twice: the gradients that meet add up in one adjoint.</summary>
    [Differentiable]
    public static float SharedInput(Tensor x) => Sum(Multiply(x, x)) + Sum(Tanh(x)) + SumOfSquares(x);
}

/// <summary>A user's own tensor function with a rule declared as data.</summary>
public static partial class UserTensorRules
{
    /// <summary>Softplus, log(1 + eˣ), element by element.</summary>
    [DerivativeRule(nameof(SoftplusBackward))]
    public static Tensor Softplus(Tensor x)
    {
        var y = Workspace.Zeros(x.Rank, x.Rows, x.Columns);
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = MathF.Log(1 + MathF.Exp(x[i]));
        }

        return y;
    }

    public static void SoftplusBackward(Tensor x, Tensor result, Tensor dResult, Tensor? dx)
    {
        for (var i = 0; dx is not null && i < x.Length; i++)
        {
            dx[i] += dResult[i] / (1 + MathF.Exp(-x[i]));
        }
    }

    [Differentiable]
    public static float SoftplusLoss(Tensor x, Tensor w) => Sum(Softplus(x * w));
}
