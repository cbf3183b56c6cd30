using System;
using System.Buffers;
using System.Numerics.Tensors;

namespace Backprop;

public static partial class Nn
{
    /// <summary>
    /// Layer normalisation over the last axis (PyTorch's <c>layer_norm</c> with <c>normalized_shape</c> the last
    /// length): each row x of D values becomes γ ⊙ (x − mean) / √(variance + ε) + β, the variance the biased one (÷ D).
    /// x is [rows × D] or [batch × tokens × D]; γ and β are vectors of length D.
    /// </summary>
    [DerivativeRule(nameof(LayerNormBackward))]
    public static Tensor LayerNorm(Tensor x, Tensor gamma, Tensor beta, [NoDiff] float epsilon = 1e-5f)
    {
        var features = NormalizedFeatures("LayerNorm", x, gamma, beta, epsilon);
        var result = Like(x);
        var input = x.Span;
        var output = result.Span;
        for (var row = 0; row < x.Length / features; row++)
        {
            var normalized = output.Slice(row * features, features);
            Normalize(input.Slice(row * features, features), epsilon, normalized);
            TensorPrimitives.MultiplyAdd(normalized, gamma.Span, beta.Span, normalized);
        }

        TraceIfActive("LayerNorm", result, x);
        return result;
    }

    /// <summary>
    /// Rule of <see cref="LayerNorm"/>, with x̂ = (x − mean)/σ recomputed per row: dβ += Σ dY, dγ += Σ dY ⊙ x̂, and
    /// dx += (g − mean(g) − x̂ · mean(g ⊙ x̂)) / σ where g = dY ⊙ γ.
    /// </summary>
    public static void LayerNormBackward(Tensor x, Tensor gamma, Tensor beta, float epsilon, Tensor result, Tensor dResult, Tensor? dx, Tensor? dgamma, Tensor? dbeta)
    {
        var features = NormalizedFeatures("LayerNormBackward", x, gamma, beta, epsilon);
        CheckAdjoint("LayerNormBackward", result, dResult, nameof(dResult));
        CheckAdjoint("LayerNormBackward", x, dx, nameof(dx));
        CheckAdjoint("LayerNormBackward", gamma, dgamma, nameof(dgamma));
        CheckAdjoint("LayerNormBackward", beta, dbeta, nameof(dbeta));
        var input = x.Span;
        var gradient = dResult.Span;
        var scratch = ArrayPool<float>.Shared.Rent(2 * features);
        try
        {
            var normalized = scratch.AsSpan(0, features);
            var g = scratch.AsSpan(features, features);
            for (var row = 0; row < x.Length / features; row++)
            {
                var arriving = gradient.Slice(row * features, features);
                var inverse = Normalize(input.Slice(row * features, features), epsilon, normalized);
                if (dgamma is not null)
                {
                    TensorPrimitives.MultiplyAdd(arriving, normalized, dgamma.Span, dgamma.Span);
                }

                if (dbeta is not null)
                {
                    TensorPrimitives.Add(dbeta.Span, arriving, dbeta.Span);
                }

                if (dx is null)
                {
                    continue;
                }

                TensorPrimitives.Multiply(arriving, gamma.Span, g);
                var meanG = TensorPrimitives.Sum<float>(g) / features;
                var meanGx = TensorPrimitives.Dot<float>(g, normalized) / features;
                TensorPrimitives.MultiplyAdd(normalized, -meanGx, g, g);     // g − x̂·mean(g ⊙ x̂)
                TensorPrimitives.Add(g, -meanG, g);
                var adjoint = dx.Span.Slice(row * features, features);
                TensorPrimitives.MultiplyAdd(g, inverse, adjoint, adjoint);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// normalized = (values − mean) / √(variance + ε) for one row; returns 1/√(variance + ε). The mean first, then the
    /// squares of the differences from it, so a row of large values does not cancel its variance away.
    /// </summary>
    private static float Normalize(ReadOnlySpan<float> values, float epsilon, Span<float> normalized)
    {
        var mean = TensorPrimitives.Sum(values) / values.Length;
        TensorPrimitives.Subtract(values, mean, normalized);
        var inverse = (float)(1.0 / Math.Sqrt(((double)TensorPrimitives.SumOfSquares<float>(normalized) / values.Length) + epsilon));
        TensorPrimitives.Multiply(normalized, inverse, normalized);
        return inverse;
    }

    private static int NormalizedFeatures(string operation, Tensor x, Tensor gamma, Tensor beta, float epsilon)
    {
        NotNull(operation, x, nameof(x));
        NotNull(operation, gamma, nameof(gamma));
        NotNull(operation, beta, nameof(beta));
        var features = x.Shape[-1];
        if (gamma.Rank != 1 || beta.Rank != 1 || gamma.Length != features || beta.Length != features)
        {
            throw new ArgumentException($"{operation}: γ {gamma.Shape} and β {beta.Shape} must be vectors of the last length of x {x.Shape} ({features}).");
        }

        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"{operation}: ε must be a positive finite number.");
        }

        return features;
    }
}
