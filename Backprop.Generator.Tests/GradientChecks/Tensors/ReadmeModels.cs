using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors.Readme;

// README, "Neural networks: models that compose": the model shown there, compiled and checked here.
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

public static partial class Blocks
{
    [Differentiable]
    public static Tensor Residual(Tensor h, Tensor w, Tensor b) => h + Tanh(h * w + b);
}

public sealed partial class Net
{
    public Linear Input = new(6, 5), Output = new(5, 3);
    public Tensor[] Ws = [Tensor.Matrix(5, 5), Tensor.Matrix(5, 5)], bs = [Tensor.Vector(5), Tensor.Vector(5)];

    [Differentiable]
    public Tensor Scores(Tensor x)
    {
        var h = Relu(Input.Forward(x));
        for (int i = 0; i < Ws.Length; i++)
        {
            h = Blocks.Residual(h, Ws[i], bs[i]);
        }

        return Output.Forward(h);
    }

    [Differentiable]
    public float Loss([NoDiff] Tensor x, int[] labels, [NoDiff] float decay)
    {
        var loss = SoftmaxCrossEntropy(Scores(x), labels);
        if (decay > 0)
        {
            loss = loss + decay * SumOfSquares(Output.W);
        }

        return loss;
    }
}
