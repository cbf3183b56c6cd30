using System;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>Fused softmax cross-entropy: value against a double-precision loop, gradient against central differences, stability at large logits.</summary>
public sealed class SoftmaxCrossEntropyTests
{
    [Theory]
    [InlineData(10)] // rows shorter than 16: plain loops
    [InlineData(37)] // longer rows: vector library calls
    public void Loss_MatchesReference_AndGradientMatchesFiniteDifferences(int classes)
    {
        var random = new Random(5);
        const int batch = 7;
        var logits = Enumerable.Range(0, batch * classes).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
        var labels = Enumerable.Range(0, batch).Select(_ => random.Next(classes)).ToArray();
        var probabilities = new float[batch * classes];

        var loss = Losses.SoftmaxCrossEntropy(logits, labels, classes, probabilities);
        Assert.Equal(Reference(logits, labels, classes), loss, 5);

        var dLogits = Enumerable.Repeat(0.5f, batch * classes).ToArray(); // Backward adds into what is there
        Losses.SoftmaxCrossEntropyBackward(probabilities, labels, classes, 2f, dLogits);
        for (var i = 0; i < logits.Length; i++)
        {
            const float h = 1e-2f;
            var plus = (float[])logits.Clone();
            var minus = (float[])logits.Clone();
            plus[i] += h;
            minus[i] -= h;
            var numeric = 2 * (Reference(plus, labels, classes) - Reference(minus, labels, classes)) / (2 * h);
            Assert.True(Math.Abs((dLogits[i] - 0.5f) - numeric) <= 1e-3, $"dLogits[{i}] = {dLogits[i] - 0.5f}, finite difference {numeric}");
        }
    }

    [Fact]
    public void Loss_IsFiniteForLargeLogits()
    {
        float[] logits = [1000f, -1000f, 999f];
        var probabilities = new float[3];
        var loss = Losses.SoftmaxCrossEntropy(logits, [1], 3, probabilities);
        Assert.Equal(2000f + MathF.Log(1 + MathF.Exp(-1)), loss, 2);
        Assert.True(probabilities.All(float.IsFinite));
    }

    [Fact]
    public void Loss_RejectsALabelOutOfRange_NamingTheRow()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropy(new float[6], [0, 3], 3, new float[6]));
        Assert.Contains("label 3 of row 1 is outside [0, 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loss_WithTheWrongNumberOfLabels_SaysHowManyRowsThereAre()
    {
        var error = Assert.Throws<ArgumentException>(() => Nn.SoftmaxCrossEntropy(Tensor.Matrix(2, 3), [0, 1, 2]));
        Assert.Contains("3 labels for 2 rows of 3 classes; give one label per row", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(new float[6], [0, 1], 3, new float[5]));
        Assert.Contains("probabilities has 5 values but the logits have 6", error.Message, StringComparison.Ordinal);
    }

    private static double Reference(float[] logits, int[] labels, int classes)
    {
        double total = 0;
        for (var row = 0; row < labels.Length; row++)
        {
            var x = logits.Skip(row * classes).Take(classes).Select(v => (double)v).ToArray();
            var max = x.Max();
            var log = Math.Log(x.Sum(v => Math.Exp(v - max))) + max;
            total += log - x[labels[row]];
        }

        return total / labels.Length;
    }
}
