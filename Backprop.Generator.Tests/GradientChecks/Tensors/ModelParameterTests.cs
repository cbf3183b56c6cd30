using System;
using System.Linq;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>A model passed as a parameter is trained as the model's own method trains it: its gradients land in its d+field properties.</summary>
public sealed class ModelParameterTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Fact]
    public void ALossOutsideTheModel_GivesTheGradientsOfTheModelsOwnLoss()
    {
        var random = new Random(71);
        var inside = new BlockStackNet();
        TensorChecks.FillParameters(inside.Parameters, random, weights: 0.6);
        var outside = new BlockStackNet();
        TensorChecks.CopyParameters(inside.Parameters, outside.Parameters);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);

        Assert.Equal(inside.LossGradient(x, s_labels), OutsideLosses.StackLossGradient(outside, x, s_labels), 5);
        TensorChecks.AssertSameGradients(outside.Parameters, inside.Parameters, 1e-6);
        TensorChecks.CheckEveryParameter(outside.Parameters, () => OutsideLosses.StackLoss(outside, x, s_labels));
    }

    [Fact]
    public void AFrozenModelParameter_TakesNoGradient()
    {
        var random = new Random(72);
        var (student, teacher) = (new Linear(6, 4), new Linear(6, 4));
        TensorChecks.FillParameters(student.Parameters, random, weights: 0.5);
        TensorChecks.FillParameters(teacher.Parameters, random, weights: 0.5);
        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        teacher.dW.Fill(3f); // a frozen model's gradients are neither cleared nor written

        OutsideLosses.DistillationGradient(student, teacher, x);
        Assert.All(teacher.dW.ToArray(), g => Assert.Equal(3f, g));
        Assert.Contains(student.dW.ToArray(), g => g != 0);
        TensorChecks.CheckEveryParameter(student.Parameters, () => OutsideLosses.Distillation(student, teacher, x));
    }
}
