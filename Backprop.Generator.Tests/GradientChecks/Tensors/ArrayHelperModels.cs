using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Helpers that take a Tensor[]: read in place, their elements are the caller's (a field's, a parameter's).</summary>
public static partial class Stacks
{
    /// <summary>A residual block per element of <paramref name="ws"/> and <paramref name="bs"/>.</summary>
    [Differentiable]
    public static Tensor Residuals(Tensor x, Tensor[] ws, Tensor[] bs)
    {
        var h = x;
        for (int i = 0; i < ws.Length; i++)
        {
            h = h + Tanh(h * ws[i] + bs[i]);
        }

        return h;
    }

    /// <summary>Passes its arrays on to another helper.</summary>
    [Differentiable]
    public static Tensor Deeper(Tensor h, Tensor[] ws, Tensor[] bs) => Residuals(h, ws, bs);

    /// <summary>A chain of layers, one per element, with foreach.</summary>
    [Differentiable]
    public static Tensor Chain(Tensor x, Tensor[] ws)
    {
        var h = x;
        foreach (var w in ws)
        {
            h = Tanh(h * w);
        }

        return h;
    }

    /// <summary>A Tensor[] parameter of the differentiated method, handed to a helper.</summary>
    [Differentiable]
    public static float ChainLoss(Tensor x, Tensor[] ws) => SumOfSquares(Chain(x, ws));
}

/// <summary>Residual blocks held in Tensor[] fields and applied by a helper two calls deep.</summary>
public sealed partial class StackedNet
{
    public Tensor W1 = Tensor.Matrix(6, 5);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];
    public Tensor[] bs = [Tensor.Vector(5), Tensor.Vector(5), Tensor.Vector(5)];
    public Tensor W3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels) => SoftmaxCrossEntropy(Stacks.Deeper(Tanh(X * W1), Ws, bs) * W3, labels);
}

/// <summary>The stacked net with its loop written in the loss: the same loss and gradients.</summary>
public sealed partial class StackedWrittenOutNet
{
    public Tensor W1 = Tensor.Matrix(6, 5);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];
    public Tensor[] bs = [Tensor.Vector(5), Tensor.Vector(5), Tensor.Vector(5)];
    public Tensor W3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Tanh(X * W1);
        for (int i = 0; i < Ws.Length; i++)
        {
            h = h + Tanh(h * Ws[i] + bs[i]);
        }

        return SoftmaxCrossEntropy(h * W3, labels);
    }
}
