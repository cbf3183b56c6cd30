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
    /// the slopes left and right of it agree; at least half the tensors must qualify.
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
            var (left, right) = Slopes(model, parameter, index, inputs, labels, 1e-3f);
            var central = (left + right) / 2;
            if (Math.Abs(right - left) > 1e-3 + (2e-2 * Math.Abs(central)))
            {
                continue;
            }

            var actual = parameter.Gradient.Span[index];
            Assert.True(Math.Abs(actual - central) <= 1e-3 + (2e-2 * Math.Abs(central)), $"{parameter.Name}[{index}]: generated {actual}, slopes {left} left and {right} right of it");
            compared.Add(parameter.Name);
        }

        Assert.True(compared.Count >= model.Parameters.Count / 2, $"only {string.Join(", ", compared)} had the same slope on both sides");
    }

    /// <summary>The one-sided differences (loss(θ) − loss(θ − h))/h and (loss(θ + h) − loss(θ))/h for one entry of <paramref name="parameter"/>.</summary>
    private static (double Left, double Right) Slopes(IClassifier model, Parameter parameter, int index, Tensor inputs, int[] labels, float h)
    {
        var value = parameter.Value.Span;
        var saved = value[index];
        var at = Loss(model, inputs, labels);
        value[index] = saved + h;
        var up = Loss(model, inputs, labels);
        value[index] = saved - h;
        var down = Loss(model, inputs, labels);
        value[index] = saved;
        return (((double)at - down) / h, ((double)up - at) / h);
    }

    private static float Loss(IClassifier model, Tensor inputs, int[] labels)
    {
        using var scope = Workspace.Enter();
        return Nn.SoftmaxCrossEntropy(model.Scores(inputs), labels);
    }
}
