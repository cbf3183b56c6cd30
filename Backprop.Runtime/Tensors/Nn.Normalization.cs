using System;

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
        var scale = gamma.Span;
        var shift = beta.Span;
        for (var row = 0; row < x.Length / features; row++)
        {
            var (mean, inverse) = Moments(input.Slice(row * features, features), epsilon);
            for (var i = 0; i < features; i++)
            {
                var at = (row * features) + i;
                output[at] = (float)(((input[at] - mean) * inverse * scale[i]) + shift[i]);
            }
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
        var scale = gamma.Span;
        for (var row = 0; row < x.Length / features; row++)
        {
            var values = input.Slice(row * features, features);
            var arriving = gradient.Slice(row * features, features);
            var (mean, inverse) = Moments(values, epsilon);
            double meanG = 0, meanGx = 0;
            for (var i = 0; i < features; i++)
            {
                var normalized = (values[i] - mean) * inverse;
                var g = (double)arriving[i] * scale[i];
                (meanG, meanGx) = (meanG + g, meanGx + (g * normalized));
                if (dgamma is not null)
                {
                    dgamma.Span[i] += (float)(arriving[i] * normalized);
                }

                if (dbeta is not null)
                {
                    dbeta.Span[i] += arriving[i];
                }
            }

            if (dx is null)
            {
                continue;
            }

            (meanG, meanGx) = (meanG / features, meanGx / features);
            var adjoint = dx.Span.Slice(row * features, features);
            for (var i = 0; i < features; i++)
            {
                var normalized = (values[i] - mean) * inverse;
                adjoint[i] += (float)((((double)arriving[i] * scale[i]) - meanG - (normalized * meanGx)) * inverse);
            }
        }
    }

    /// <summary>The mean of a row and 1/√(variance + ε), in double (a row of large values loses digits in float).</summary>
    private static (double Mean, double Inverse) Moments(ReadOnlySpan<float> values, float epsilon)
    {
        double sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        var mean = sum / values.Length;
        double squares = 0;
        foreach (var value in values)
        {
            squares += (value - mean) * (value - mean);
        }

        return (mean, 1.0 / Math.Sqrt((squares / values.Length) + epsilon));
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
