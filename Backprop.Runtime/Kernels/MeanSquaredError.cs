using System;
using System.Numerics.Tensors;

namespace Backprop;

public static partial class Losses
{
    private const int Chunk = 256;

    /// <summary>Mean squared error, (1/n) Σ (prediction − target)² over all n elements.</summary>
    public static float MeanSquaredError(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        CheckPair("MeanSquaredError", prediction.Length, target.Length);
        if (prediction.Length == 0)
        {
            return 0f;
        }

        Span<float> difference = stackalloc float[Chunk];
        double sum = 0;
        for (var start = 0; start < prediction.Length; start += Chunk)
        {
            var length = Math.Min(Chunk, prediction.Length - start);
            var part = difference.Slice(0, length);
            TensorPrimitives.Subtract(prediction.Slice(start, length), target.Slice(start, length), part);
            sum += TensorPrimitives.SumOfSquares<float>(part);
        }

        return (float)(sum / prediction.Length);
    }

    /// <summary>
    /// dPrediction += (2·dLoss/n)(prediction − target) and dTarget −= the same; either adjoint may be empty when
    /// that input needs no gradient.
    /// </summary>
    public static void MeanSquaredErrorBackward(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, float dLoss, Span<float> dPrediction, Span<float> dTarget)
    {
        CheckPair("MeanSquaredErrorBackward", prediction.Length, target.Length);
        if ((dPrediction.Length != 0 && dPrediction.Length != prediction.Length) || (dTarget.Length != 0 && dTarget.Length != prediction.Length))
        {
            throw new ArgumentException($"MeanSquaredErrorBackward: prediction has {prediction.Length} elements but dPrediction has {dPrediction.Length} and dTarget {dTarget.Length} (an adjoint may be empty).");
        }

        if (prediction.Length == 0)
        {
            return;
        }

        var scale = 2f * dLoss / prediction.Length;
        Span<float> difference = stackalloc float[Chunk];
        for (var start = 0; start < prediction.Length; start += Chunk)
        {
            var length = Math.Min(Chunk, prediction.Length - start);
            var part = difference.Slice(0, length);
            TensorPrimitives.Subtract(prediction.Slice(start, length), target.Slice(start, length), part);
            if (dPrediction.Length != 0)
            {
                var destination = dPrediction.Slice(start, length);
                TensorPrimitives.MultiplyAdd(part, scale, destination, destination);
            }

            if (dTarget.Length != 0)
            {
                var destination = dTarget.Slice(start, length);
                TensorPrimitives.MultiplyAdd(part, -scale, destination, destination);
            }
        }
    }

    private static void CheckPair(string operation, int predictionLength, int targetLength)
    {
        if (predictionLength != targetLength)
        {
            throw new ArgumentException($"{operation}: prediction has {predictionLength} elements but target has {targetLength}; they must match.");
        }
    }
}
