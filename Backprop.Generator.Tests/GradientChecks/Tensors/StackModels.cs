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

/// <summary>A residual block as a model of its own, with a sub-module inside it.</summary>
public sealed partial class Block
{
    public Linear Inner = new(5, 5);
    public Tensor Gate = Tensor.Vector(5);

    [Differentiable]
    public Tensor Forward(Tensor h) => h + Tanh(Inner.Forward(h) + Gate);
}

/// <summary>A stack of Block sub-modules held in an array, looped over.</summary>
public sealed partial class BlockStackNet
{
    public Linear Input = new(6, 5);
    public Block[] Blocks = [new(), new()];
    public Tensor Head = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Relu(Input.Forward(X));
        for (int i = 0; i < Blocks.Length; i++)
        {
            h = Blocks[i].Forward(h);
        }

        return SoftmaxCrossEntropy(h * Head, labels);
    }
}

/// <summary>The block stack with foreach: the same network as <see cref="BlockStackNet"/>, plus a Tensor[] of scales read by foreach.</summary>
public sealed partial class ForEachBlockNet
{
    public Linear Input = new(6, 5);
    public Block[] Blocks = [new(), new()];
    public Tensor Head = Tensor.Matrix(5, 3);
    public Tensor[] Mixers = [Tensor.Matrix(5, 5)];

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var h = Relu(Input.Forward(X));
        foreach (var block in Blocks)
        {
            h = block.Forward(h);
        }

        foreach (var mixer in Mixers)
        {
            h = h + 0.1f * Tanh(h * mixer);
        }

        return SoftmaxCrossEntropy(h * Head, labels);
    }
}

/// <summary>A Tensor[] parameter, read by foreach and by index: its gradient is a Tensor[] shaped like it.</summary>
public static partial class ArrayLayers
{
    [Differentiable]
    public static float StackLoss(Tensor x, Tensor[] ws)
    {
        var h = x;
        foreach (var w in ws)
        {
            h = h + Tanh(h * w);
        }

        for (int i = 0; i < ws.Length; i++)
        {
            h = Sigmoid(h * ws[i]);
        }

        return SumOfSquares(h);
    }
}

/// <summary>The block stack with each block, and the head, named by a local: the same network as <see cref="BlockStackNet"/>.</summary>
public sealed partial class NamedBlockNet
{
    public Linear Input = new(6, 5);
    public Block[] Blocks = [new(), new()];
    public Tensor Head = Tensor.Matrix(5, 3);

    [Differentiable]
    public float Loss([NoDiff] Tensor X, int[] labels)
    {
        var input = Input;
        var h = Relu(input.Forward(X));
        for (int i = 0; i < Blocks.Length; i++)
        {
            var block = Blocks[i];
            h = block.Forward(h);
        }

        return SoftmaxCrossEntropy(h * Head, labels);
    }
}
