using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Scalar [Differentiable] helpers that tensor code calls on its float results.</summary>
public static partial class ScalarHelpers
{
    /// <summary>Huber's loss of a float: quadratic below 1, linear above.</summary>
    [Differentiable]
    public static float Huber(float x)
    {
        if (x < 1f)
        {
            return 0.5f * x * x;
        }

        return x - 0.5f;
    }

    /// <summary>A weighted power with a loop: an int it takes no gradient for and a [NoDiff] float.</summary>
    [Differentiable]
    public static float Power(float x, int n, [NoDiff] float scale)
    {
        var p = 1f;
        for (int i = 0; i < n; i++)
        {
            p *= x;
        }

        return scale * p;
    }
}

/// <summary>A network whose loss goes through scalar helpers, once and in every iteration of a loop.</summary>
public sealed partial class ScalarHelperNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), W3 = Tensor.Matrix(5, 3);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Tanh(X * W1);
        var penalty = 0f;
        foreach (var w in Ws)
        {
            h = h + Tanh(h * w);
            penalty = penalty + ScalarHelpers.Power(0.1f * SumOfSquares(w), 2, 0.5f);
        }

        return ScalarHelpers.Huber(0.5f * SoftmaxCrossEntropy(h * W3, labels)) + penalty;
    }
}

/// <summary><see cref="ScalarHelperNet"/> with the helpers written out in tensor code.</summary>
public sealed partial class WrittenOutHelperNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), W3 = Tensor.Matrix(5, 3);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Tanh(X * W1);
        var penalty = 0f;
        foreach (var w in Ws)
        {
            h = h + Tanh(h * w);
            var s = 0.1f * SumOfSquares(w);
            penalty = penalty + 0.5f * (s * s);
        }

        var loss = 0.5f * SoftmaxCrossEntropy(h * W3, labels);
        return (loss < 1f ? 0.5f * loss * loss : loss - 0.5f) + penalty;
    }
}

/// <summary>A model whose loss calls a scalar [Differentiable] instance method of its own on a float result.</summary>
public sealed partial class InstanceHelperNet
{
    public Tensor W1 = Tensor.Matrix(6, 3);

    [NoDiff]
    public float Scale = 0.7f;

    [Differentiable]
    public float Smooth(float x) => Scale * x / (1f + x * x);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels) => Smooth(SoftmaxCrossEntropy(X * W1, labels)) + Smooth(0.1f * SumOfSquares(W1));
}

/// <summary>
/// A sub-module with a scalar [Differentiable] method of its own, which its own tensor code calls (<see cref="Penalty"/>)
/// and so does the model around it (<see cref="SubModuleHelperNet"/>).
/// </summary>
public sealed partial class SmoothedLayer
{
    public Tensor W = Tensor.Matrix(6, 3);

    [NoDiff]
    public float Scale = 0.7f;

    [Differentiable]
    public float Smooth(float x) => Scale * x / (1f + x * x);

    [Differentiable]
    public Tensor Forward(Tensor x) => x * W;

    [Differentiable]
    public float Penalty() => Smooth(0.1f * SumOfSquares(W));
}

/// <summary><see cref="InstanceHelperNet"/>'s loss, its helper and weights held by a sub-module.</summary>
public sealed partial class SubModuleHelperNet
{
    public SmoothedLayer Layer = new();

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels) => Layer.Smooth(SoftmaxCrossEntropy(Layer.Forward(X), labels)) + Layer.Penalty();
}

/// <summary>Sub-modules held in an array, each of whose penalties goes through its own scalar helper.</summary>
public sealed partial class SubModuleArrayHelperNet
{
    public SmoothedLayer[] Layers = [new(), new()];

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var loss = SoftmaxCrossEntropy(Layers[0].Forward(X), labels);
        for (int i = 0; i < Layers.Length; i++)
        {
            loss = loss + Layers[i].Smooth(Layers[i].Penalty());
        }

        return loss;
    }
}
