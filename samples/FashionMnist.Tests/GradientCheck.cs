using System;
using System.Collections.Generic;
using System.Linq;
using Backprop;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>A sample model's generated gradient against differences of its loss.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// One entry of every trainable tensor, from the first layer to the head, against differences of the loss (mean
    /// cross-entropy of the scores) in training mode. ReLU and max pooling put kinks at or near many points of a float32
    /// model this small (the gradient there is one side's, as the convention says), so an entry is compared only where
    /// the slopes left and right of it agree; at least half the tensors must qualify. Both tests allow for the float32
    /// rounding of the three losses each slope is taken from (a few units in the last place of the loss, divided by h):
    /// without it, whether an entry with a small gradient qualified turned on rounding — a change of summation order
    /// that moved the transformer's gradients by 1e-7 relative left 14 of its 38 tensors qualifying instead of 19.
    /// </summary>
    public static void AgainstSlopes(IClassifier model, Tensor inputs, int[] labels)
    {
        using (Workspace.Enter())
        {
            model.LossGradient(inputs, labels);
        }

        var compared = new List<string>();
        foreach (var parameter in model.Parameters)
        {
            var index = parameter.Value.Length / 3;
            const float h = 1e-3f;
            var (left, right, loss) = Slopes(model, parameter, index, inputs, labels, h);
            var central = (left + right) / 2;
            var tolerance = 1e-3 + (2e-2 * Math.Abs(central)) + (RoundingUlps * (MathF.BitIncrement(Math.Abs(loss)) - Math.Abs(loss)) / h);
            if (Math.Abs(right - left) > tolerance)
            {
                continue;
            }

            var actual = parameter.Gradient.Span[index];
            Assert.True(Math.Abs(actual - central) <= tolerance, $"{parameter.Name}[{index}]: generated {actual}, slopes {left} left and {right} right of it");
            compared.Add(parameter.Name);
        }

        Assert.True(compared.Count >= model.Parameters.Count / 2, $"only {string.Join(", ", compared)} had the same slope on both sides");
    }

    /// <summary>Units in the last place of the loss that its float32 evaluation may be off by, for the slopes' tolerance.</summary>
    private const int RoundingUlps = 4;

    /// <summary>
    /// The one-sided differences (loss(θ) − loss(θ − h))/h and (loss(θ + h) − loss(θ))/h for one entry of
    /// <paramref name="parameter"/>, and loss(θ).
    /// </summary>
    private static (double Left, double Right, float Loss) Slopes(IClassifier model, Parameter parameter, int index, Tensor inputs, int[] labels, float h)
    {
        var value = parameter.Value.Span;
        var saved = value[index];
        var at = Loss(model, inputs, labels);
        value[index] = saved + h;
        var up = Loss(model, inputs, labels);
        value[index] = saved - h;
        var down = Loss(model, inputs, labels);
        value[index] = saved;
        return (((double)at - down) / h, ((double)up - at) / h, at);
    }

    private static float Loss(IClassifier model, Tensor inputs, int[] labels)
    {
        using var scope = Workspace.Enter();
        return Nn.SoftmaxCrossEntropy(model.Scores(inputs), labels);
    }
}
