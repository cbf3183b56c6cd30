using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// A loop in tensor code: a residual block applied depth times with the same weights, and a float penalty accumulated
/// across the iterations — both carried from one iteration to the next.
/// </summary>
public sealed partial class LoopNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), b1 = Tensor.Vector(5), W2 = Tensor.Matrix(5, 5), b2 = Tensor.Vector(5), W3 = Tensor.Matrix(5, 3), b3 = Tensor.Vector(3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, int depth)
    {
        var h = Relu(X * W1 + b1);
        var penalty = 0f;
        for (int i = 0; i < depth; i++)
        {
            h = h + Tanh(h * W2 + b2);
            penalty = penalty + 0.01f * SumOfSquares(h);
        }

        return SoftmaxCrossEntropy(h * W3 + b3, labels) + penalty;
    }
}

/// <summary>The loop net with depth 2 written out: the loop must give the same loss and gradients.</summary>
public sealed partial class UnrolledNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), b1 = Tensor.Vector(5), W2 = Tensor.Matrix(5, 5), b2 = Tensor.Vector(5), W3 = Tensor.Matrix(5, 3), b3 = Tensor.Vector(3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Relu(X * W1 + b1);
        h = h + Tanh(h * W2 + b2);
        var penalty = 0.01f * SumOfSquares(h);
        h = h + Tanh(h * W2 + b2);
        penalty = penalty + 0.01f * SumOfSquares(h);
        return SoftmaxCrossEntropy(h * W3 + b3, labels) + penalty;
    }
}

/// <summary>A loop whose carried tensor starts from the input, which takes no gradient: the first iteration skips its gradient.</summary>
public sealed partial class FromInputNet
{
    public Tensor[] Ws = [Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6)];
    public Tensor W3 = Tensor.Matrix(6, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = X;
        for (int i = 0; i < Ws.Length; i++)
        {
            h = h + Tanh(h * Ws[i]);
        }

        return SoftmaxCrossEntropy(h * W3, labels);
    }
}

/// <summary>A branch inside a loop: every other iteration adds a residual block, the others a squashed copy.</summary>
public sealed partial class AlternatingNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), W2 = Tensor.Matrix(5, 5), W3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, int depth)
    {
        var h = Tanh(X * W1);
        var penalty = 0f;
        for (int i = 0; i < depth; i++)
        {
            if (i % 2 == 0)
            {
                h = h + Tanh(h * W2);
            }
            else
            {
                h = Sigmoid(h);
                penalty = penalty + 0.1f * SumOfSquares(h);
            }
        }

        return SoftmaxCrossEntropy(h * W3, labels) + penalty;
    }
}

/// <summary>A loop that skips the rest of some iterations with continue.</summary>
public sealed partial class SkippingNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), W3 = Tensor.Matrix(5, 3);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, int skipped)
    {
        var h = Tanh(X * W1);
        var penalty = 0f;
        for (int i = 0; i < Ws.Length; i++)
        {
            penalty = penalty + 0.01f * SumOfSquares(Ws[i]);
            if (i == skipped)
            {
                continue;
            }

            h = h + Tanh(h * Ws[i]);
        }

        return SoftmaxCrossEntropy(h * W3, labels) + penalty;
    }
}

/// <summary><see cref="SkippingNet"/> with the rest of the iteration inside an if instead.</summary>
public sealed partial class NotSkippingNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), W3 = Tensor.Matrix(5, 3);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, int skipped)
    {
        var h = Tanh(X * W1);
        var penalty = 0f;
        for (int i = 0; i < Ws.Length; i++)
        {
            penalty = penalty + 0.01f * SumOfSquares(Ws[i]);
            if (i != skipped)
            {
                h = h + Tanh(h * Ws[i]);
            }
        }

        return SoftmaxCrossEntropy(h * W3, labels) + penalty;
    }
}

/// <summary>Loops that step by more than one: every other weight going up from first, every third going down from last.</summary>
public sealed partial class SteppedNet
{
    public Tensor[] Ws = [Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6)];
    public Tensor W3 = Tensor.Matrix(6, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, int first, int last)
    {
        var h = Tanh(X * Ws[0]);
        for (int i = first; i < Ws.Length; i += 2)
        {
            h = h + Tanh(h * Ws[i]);
        }

        for (int j = last; j >= 1; j -= 3)
        {
            h = Tanh(h * Ws[j]);
        }

        return SoftmaxCrossEntropy(h * W3, labels);
    }
}

/// <summary>A loop from 0 that steps by 2, up to a bound the caller gives.</summary>
public sealed partial class EveryOtherNet
{
    public Tensor[] Ws = [Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6), Tensor.Matrix(6, 6)];
    public Tensor W3 = Tensor.Matrix(6, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, int n)
    {
        var h = X;
        for (int i = 0; i < n; i += 2)
        {
            h = h + Tanh(h * Ws[i]);
        }

        return SoftmaxCrossEntropy(h * W3, labels);
    }
}
