using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Losses written outside the models they train: each takes the model as a parameter.</summary>
public static partial class OutsideLosses
{
    /// <summary>The block stack's loss, as <see cref="BlockStackNet.Loss"/> writes it inside the model.</summary>
    [Differentiable]
    public static float StackLoss(BlockStackNet net, [NoDiff] Tensor X, int[] labels)
    {
        var h = Relu(net.Input.Forward(X));
        foreach (var block in net.Blocks)
        {
            h = block.Forward(h);
        }

        return SoftmaxCrossEntropy(h * net.Head, labels);
    }

    /// <summary>A student trained to match a teacher that stays as it is ([NoDiff]): only the student's gradients are written.</summary>
    [Differentiable]
    public static float Distillation(Linear student, [NoDiff] Linear teacher, [NoDiff] Tensor X) =>
        MeanSquaredError(Tanh(student.Forward(X)), Tanh(teacher.Forward(X)));
}
