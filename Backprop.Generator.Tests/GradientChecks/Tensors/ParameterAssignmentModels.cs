using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Tensor code that assigns its parameters, as C# lets it: each new value is a new version, as for a local.</summary>
public static partial class Reassigning
{
    /// <summary>A helper that updates its parameter in a loop and a branch.</summary>
    [Differentiable]
    public static Tensor Blocks(Tensor h, Tensor w, int depth, bool gated)
    {
        for (int i = 0; i < depth; i++)
        {
            h = h + Tanh(h * w);
        }

        if (gated)
        {
            h = Sigmoid(h);
        }

        return h;
    }

    /// <summary>The differentiated method assigns its own parameters (one that takes a gradient, one that does not).</summary>
    [Differentiable]
    public static float Loss(Tensor x, Tensor w, float scale, int depth, bool gated)
    {
        x = Relu(x * w);
        scale = scale * 2f;
        x = Blocks(x, w, depth, gated);
        x = Blocks(x, w, 1, false);
        return scale * SumOfSquares(x);
    }

    /// <summary>The same with locals: the loss and gradients must not change.</summary>
    [Differentiable]
    public static float WithLocals(Tensor x, Tensor w, float scale, int depth, bool gated)
    {
        var h = Relu(x * w);
        for (int i = 0; i < depth; i++)
        {
            h = h + Tanh(h * w);
        }

        if (gated)
        {
            h = Sigmoid(h);
        }

        h = h + Tanh(h * w);
        return scale * 2f * SumOfSquares(h);
    }
}
