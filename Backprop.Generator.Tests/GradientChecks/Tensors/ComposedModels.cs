using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Layers as [Differentiable] static helpers that return a Tensor: read in place by the methods that call them.</summary>
public static partial class Layers
{
    [Differentiable]
    public static Tensor Dense(Tensor x, Tensor w, Tensor b) => x * w + b;

    /// <summary>A residual block: the input is used twice (the skip and the branch), so two gradients meet in it.</summary>
    [Differentiable]
    public static Tensor Residual(Tensor h, Tensor w, Tensor b)
    {
        var inner = Tanh(Dense(h, w, b));
        return h + inner;
    }
}

/// <summary>A network composed of helper layers, a forward pass of its own and a penalty method.</summary>
public sealed partial class ComposedNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), b1 = Tensor.Vector(5), W2 = Tensor.Matrix(5, 5), b2 = Tensor.Vector(5), W3 = Tensor.Matrix(5, 3), b3 = Tensor.Vector(3);

    public float Lambda = 0.1f;

    [Differentiable]
    public Tensor Scores(Tensor X)
    {
        var h = Relu(Layers.Dense(X, W1, b1));
        h = Layers.Residual(h, W2, b2);
        return Layers.Dense(h, W3, b3);
    }

    [Differentiable]
    public float Penalty() => 0.5f * Lambda * (SumOfSquares(W1) + SumOfSquares(W3));

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels) => SoftmaxCrossEntropy(Scores(X), labels) + Penalty();
}

/// <summary>The same network written out in one method: the composed one must give the same loss and gradients.</summary>
public sealed partial class StraightNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), b1 = Tensor.Vector(5), W2 = Tensor.Matrix(5, 5), b2 = Tensor.Vector(5), W3 = Tensor.Matrix(5, 3), b3 = Tensor.Vector(3);

    public float Lambda = 0.1f;

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Relu(X * W1 + b1);
        h = h + Tanh(h * W2 + b2);
        var scores = h * W3 + b3;
        return SoftmaxCrossEntropy(scores, labels) + 0.5f * Lambda * (SumOfSquares(W1) + SumOfSquares(W3));
    }
}

/// <summary>A layer as a model of its own: a sub-module of the models that hold it in a field.</summary>
public sealed partial class Linear
{
    public Tensor W, b;

    public Linear(int inputs, int outputs)
    {
        W = Tensor.Matrix(inputs, outputs);
        b = Tensor.Vector(outputs);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => x * W + b;
}

/// <summary>The composed network with Linear sub-modules (the same Linear class used three times) and a residual helper.</summary>
public sealed partial class ModularNet
{
    public Linear Input = new(6, 5);
    public Tensor W2 = Tensor.Matrix(5, 5), b2 = Tensor.Vector(5);
    public Linear Output = new(5, 3);

    [NoDiff]
    public Linear Frozen = new(3, 3);

    public float Lambda = 0.1f;

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Layers.Residual(Relu(Input.Forward(X)), W2, b2);
        var scores = Output.Forward(h) + Frozen.Forward(Output.Forward(h));
        return SoftmaxCrossEntropy(scores, labels) + 0.5f * Lambda * (SumOfSquares(Input.W) + SumOfSquares(Output.W));
    }
}
