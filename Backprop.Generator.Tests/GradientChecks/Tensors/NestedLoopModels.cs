using System.Linq;
using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>A stage of residual layers, as many as <see cref="Ws"/> holds: a sub-module whose forward pass is a loop.</summary>
public sealed partial class Stage
{
    public Tensor[] Ws;
    public Tensor b = Tensor.Vector(5);

    public Stage(int layers) => Ws = [.. Enumerable.Repeat(0, layers).Select(_ => Tensor.Matrix(5, 5))];

    [Differentiable]
    public Tensor Forward(Tensor h)
    {
        foreach (var w in Ws)
        {
            h = h + Tanh(h * w + b);
        }

        return Relu(h);
    }
}

/// <summary>Stages of different lengths, looped over: the loop over a stage's layers runs inside the loop over the stages.</summary>
public sealed partial class StagedNet
{
    public Tensor W1 = Tensor.Matrix(6, 5);
    public Stage[] Stages = [new(2), new(1), new(3)];
    public Tensor W3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Tanh(X * W1);
        var penalty = 0f;
        foreach (var stage in Stages)
        {
            h = stage.Forward(h);
            penalty = penalty + 0.01f * SumOfSquares(h);
        }

        return SoftmaxCrossEntropy(h * W3, labels) + penalty;
    }
}

/// <summary>
/// Nested counted loops, the inner one's count changing with the outer counter (1, then 2, … layers), a float carried
/// through both, and a value of the outer body made after the inner loop.
/// </summary>
public sealed partial class TriangleNet
{
    public Tensor W1 = Tensor.Matrix(6, 5);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];
    public Tensor W3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, int depth)
    {
        var h = X * W1;
        var penalty = 0f;
        for (int i = 0; i < depth; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                h = h + Tanh(h * Ws[j]);
                penalty = penalty + 0.01f * SumOfSquares(h);
            }

            h = Sigmoid(h);
        }

        return SoftmaxCrossEntropy(h * W3, labels) + penalty;
    }
}

/// <summary><see cref="TriangleNet"/> at depth 2, written out.</summary>
public sealed partial class TriangleUnrolledNet
{
    public Tensor W1 = Tensor.Matrix(6, 5);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];
    public Tensor W3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = X * W1;
        h = h + Tanh(h * Ws[0]);
        var penalty = 0.01f * SumOfSquares(h);
        h = Sigmoid(h);
        h = h + Tanh(h * Ws[0]);
        penalty = penalty + 0.01f * SumOfSquares(h);
        h = h + Tanh(h * Ws[1]);
        penalty = penalty + 0.01f * SumOfSquares(h);
        h = Sigmoid(h);
        return SoftmaxCrossEntropy(h * W3, labels) + penalty;
    }
}

/// <summary>
/// Loops inside branches: a deep arm that loops over the layers and a shallow one that does not, and inside a loop, a
/// branch whose arm loops again.
/// </summary>
public sealed partial class BranchLoopNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), W2 = Tensor.Matrix(5, 5);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];
    public Tensor W3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, bool deep, int depth)
    {
        var h = Tanh(X * W1);
        if (deep)
        {
            for (int i = 0; i < Ws.Length; i++)
            {
                h = h + Tanh(h * Ws[i]);
            }
        }
        else
        {
            h = Tanh(h * W2);
        }

        var penalty = 0f;
        for (int k = 0; k < depth; k++)
        {
            if (k % 2 == 0)
            {
                foreach (var w in Ws)
                {
                    h = h + Sigmoid(h * w);
                    penalty = penalty + 0.01f * SumOfSquares(h);
                }
            }
            else
            {
                h = Tanh(h * W2);
            }
        }

        return SoftmaxCrossEntropy(h * W3, labels) + penalty;
    }
}

/// <summary>
/// A recurrent layer run over the time steps both ways, as a bidirectional network does: forward from the first step,
/// backward (counting down) from the last, each with a state carried through its loop.
/// </summary>
public sealed partial class BidirectionalNet
{
    public Tensor Wx = Tensor.Matrix(6, 5), Wh = Tensor.Matrix(5, 5), Vx = Tensor.Matrix(6, 5), Vh = Tensor.Matrix(5, 5), W3 = Tensor.Matrix(5, 3), V3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor[] steps, [NoDiff] Tensor h0, int[] labels)
    {
        var forward = h0;
        for (int t = 0; t < steps.Length; t++)
        {
            forward = Tanh(steps[t] * Wx + forward * Wh);
        }

        var backward = h0;
        for (int t = steps.Length - 1; t >= 0; t--)
        {
            backward = Tanh(steps[t] * Vx + backward * Vh);
        }

        return SoftmaxCrossEntropy(forward * W3 + backward * V3, labels);
    }
}

/// <summary><see cref="BidirectionalNet"/> over three steps, written out.</summary>
public sealed partial class BidirectionalUnrolledNet
{
    public Tensor Wx = Tensor.Matrix(6, 5), Wh = Tensor.Matrix(5, 5), Vx = Tensor.Matrix(6, 5), Vh = Tensor.Matrix(5, 5), W3 = Tensor.Matrix(5, 3), V3 = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor s0, [NoDiff] Tensor s1, [NoDiff] Tensor s2, [NoDiff] Tensor h0, int[] labels)
    {
        var forward = Tanh(s0 * Wx + h0 * Wh);
        forward = Tanh(s1 * Wx + forward * Wh);
        forward = Tanh(s2 * Wx + forward * Wh);
        var backward = Tanh(s2 * Vx + h0 * Vh);
        backward = Tanh(s1 * Vx + backward * Vh);
        backward = Tanh(s0 * Vx + backward * Vh);
        return SoftmaxCrossEntropy(forward * W3 + backward * V3, labels);
    }
}

/// <summary>An LSTM over the time steps: one fused product per step, sliced into the four gates; the head reads h and c side by side.</summary>
public sealed partial class LstmNet
{
    public Tensor Wx = Tensor.Matrix(6, 20), Wh = Tensor.Matrix(5, 20), b = Tensor.Vector(20), Head = Tensor.Matrix(10, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor[] steps, [NoDiff] Tensor h0, int[] labels)
    {
        var h = h0;
        var c = h0;
        for (int t = 0; t < steps.Length; t++)
        {
            var gates = steps[t] * Wx + h * Wh + b;
            var input = Sigmoid(SliceColumns(gates, 0, 5));
            var forget = Sigmoid(SliceColumns(gates, 5, 5));
            var output = Sigmoid(SliceColumns(gates, 10, 5));
            var candidate = Tanh(SliceColumns(gates, 15, 5));
            c = Multiply(forget, c) + Multiply(input, candidate);
            h = Multiply(output, Tanh(c));
        }

        return SoftmaxCrossEntropy(ConcatColumns(h, c) * Head, labels);
    }
}

/// <summary>An outer loop that skips some iterations with continue before an inner loop: the inner loop sits in the arm that runs.</summary>
public sealed partial class SkipThenLoopNet
{
    public Tensor W1 = Tensor.Matrix(6, 5), W3 = Tensor.Matrix(5, 3);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)];

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels, int depth)
    {
        var h = Tanh(X * W1);
        for (int i = 0; i < depth; i++)
        {
            h = Sigmoid(h);
            if (i % 2 == 1)
            {
                continue;
            }

            foreach (var w in Ws)
            {
                h = h + Tanh(h * w);
            }
        }

        return SoftmaxCrossEntropy(h * W3, labels);
    }
}
