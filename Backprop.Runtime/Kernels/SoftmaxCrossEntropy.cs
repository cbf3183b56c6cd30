using System;
using System.Numerics.Tensors;
using Backprop.Kernels.Common;

namespace Backprop;

/// <summary>Losses with their gradients (one file per loss).</summary>
public static partial class Losses
{
    /// <summary>
    /// Mean softmax cross-entropy of integer labels, fused and stable for large logits (each row is shifted by its
    /// maximum before the exponential). Keeps the row-wise softmax in <paramref name="probabilities"/> for the backward pass.
    /// </summary>
    /// <param name="logits">[batch, classes], row-major.</param>
    /// <param name="labels">[batch], each in [0, classes).</param>
    /// <param name="classes">Classes per row.</param>
    /// <param name="probabilities">[batch, classes]: receives softmax(logits) row by row.</param>
    /// <returns>−(1/batch) Σ log p[label].</returns>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> probabilities)
    {
        var batch = CheckShapes("SoftmaxCrossEntropy", logits.Length, labels, classes, probabilities.Length, "probabilities");
        // log p[label] = (x[label] − max) − log(Σ e^(x − max)), without the log of a rounded-to-zero probability:
        // the shifted logit is taken before the exponential, the log of the sum after it.
        double loss = 0;
        var used = probabilities.Slice(0, logits.Length);
        var narrow = classes < ShortRow;
        for (var row = 0; row < batch; row++)
        {
            var x = logits.Slice(row * classes, classes);
            var p = used.Slice(row * classes, classes);
            if (narrow)
            {
                var max = x[0];
                for (var j = 1; j < x.Length; j++)
                {
                    max = MathF.Max(max, x[j]);
                }

                for (var j = 0; j < x.Length; j++)
                {
                    p[j] = x[j] - max;
                }
            }
            else
            {
                TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), p);
            }

            loss -= p[labels[row]];
        }

        // One exponential over the whole batch: rows of 10 classes would waste most of a vector each.
        SpanMath.Exp(used, used);
        for (var row = 0; row < batch; row++)
        {
            var p = used.Slice(row * classes, classes);
            var sum = narrow ? SumOf(p) : TensorPrimitives.Sum<float>(p);
            if (narrow)
            {
                var inverse = 1f / sum;
                for (var j = 0; j < p.Length; j++)
                {
                    p[j] *= inverse;
                }
            }
            else
            {
                TensorPrimitives.Multiply(p, 1f / sum, p);
            }

            loss += Math.Log(sum);
        }

        return batch == 0 ? 0f : (float)(loss / batch);
    }

    /// <summary>
    /// Rows shorter than this (the 10-class layer) are shifted, summed and scaled in plain loops: four library calls per
    /// row of 10 floats cost more than the arithmetic (128 rows: 19 µs forward, AMD EPYC Zen 3).
    /// </summary>
    private const int ShortRow = 16;

    private static float SumOf(ReadOnlySpan<float> row)
    {
        var sum = 0f;
        for (var j = 0; j < row.Length; j++)
        {
            sum += row[j];
        }

        return sum;
    }

    /// <summary>dLogits += dLoss · (p − onehot(label)) / batch, from the probabilities the forward pass kept.</summary>
    /// <param name="probabilities">[batch, classes] from <see cref="SoftmaxCrossEntropy"/>.</param>
    /// <param name="labels">[batch].</param>
    /// <param name="classes">Classes per row.</param>
    /// <param name="dLoss">Gradient of the mean loss (1 for a plain loss).</param>
    /// <param name="dLogits">[batch, classes]: the gradient is added into it.</param>
    public static void SoftmaxCrossEntropyBackward(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classes, float dLoss, Span<float> dLogits)
    {
        var batch = CheckShapes("SoftmaxCrossEntropyBackward", probabilities.Length, labels, classes, dLogits.Length, "dLogits");
        var scale = dLoss / batch;
        SpanMath.AddScaled(probabilities, scale, dLogits);
        for (var row = 0; row < batch; row++)
        {
            dLogits[(row * classes) + labels[row]] -= scale;
        }
    }

    private static int CheckShapes(string operation, int length, ReadOnlySpan<int> labels, int classes, int otherLength, string otherName)
    {
        if (classes <= 0 || length % classes != 0 || length / classes != labels.Length)
        {
            throw new ArgumentException($"{operation}: {labels.Length} labels for {(classes > 0 && length % classes == 0 ? $"{length / classes} rows" : $"{length} values")} of {classes} classes; give one label per row of the logits.");
        }

        if (otherLength != length)
        {
            throw new ArgumentException($"{operation}: {otherName} has {otherLength} values but the logits have {length}; they must be the same shape.");
        }

        for (var row = 0; row < labels.Length; row++)
        {
            if ((uint)labels[row] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[row], $"{operation}: label {labels[row]} of row {row} is outside [0, {classes}).");
            }
        }

        return labels.Length;
    }
}
