using System;

namespace Backprop;

public static partial class Nn
{
    /// <summary>
    /// Batch normalisation per channel of images x [N × C × H × W] (or per feature of rows [N × C]):
    /// γ ⊙ (x − mean) / √(variance + ε) + β, with the batch's statistics while <paramref name="layer"/> is training (which
    /// also moves its running averages) and the running ones otherwise. γ and β are vectors of length C.
    /// </summary>
    [DerivativeRule(nameof(BatchNormBackward))]
    public static Tensor BatchNorm(Tensor x, Tensor gamma, Tensor beta, BatchNormLayer layer)
    {
        var (channels, area) = BatchNormShape("BatchNorm", x, gamma, beta, layer);
        var result = Like(x);
        var input = x.Span;
        var output = result.Span;
        var samples = x.Shape[0];
        var count = samples * area;
        for (var c = 0; c < channels; c++)
        {
            var (mean, variance) = layer.Training ? ChannelMoments(input, samples, c, channels, area) : (layer.RunningMean[c], layer.RunningVariance[c]);
            if (layer.Training)
            {
                var unbiased = count > 1 ? variance * count / (count - 1) : variance;
                layer.RunningMean[c] = (float)(((1 - layer.Momentum) * layer.RunningMean[c]) + (layer.Momentum * mean));
                layer.RunningVariance[c] = (float)(((1 - layer.Momentum) * layer.RunningVariance[c]) + (layer.Momentum * unbiased));
            }

            var inverse = 1 / Math.Sqrt(variance + layer.Epsilon);
            var (scale, shift) = (gamma[c] * inverse, beta[c] - (gamma[c] * mean * inverse));
            for (var n = 0; n < samples; n++)
            {
                var plane = ((n * channels) + c) * area;
                for (var i = plane; i < plane + area; i++)
                {
                    output[i] = (float)((input[i] * scale) + shift);
                }
            }
        }

        TraceIfActive("BatchNorm", result, x);
        return result;
    }

    /// <summary>
    /// Rule of <see cref="BatchNorm"/>. Training (the batch's statistics, recomputed from x): dx += γ/σ · (dY − mean(dY) −
    /// x̂ · mean(dY ⊙ x̂)) per channel; evaluation (constant statistics): dx += γ/σ · dY. Both: dγ += Σ dY ⊙ x̂, dβ += Σ dY.
    /// </summary>
    public static void BatchNormBackward(Tensor x, Tensor gamma, Tensor beta, BatchNormLayer layer, Tensor result, Tensor dResult, Tensor? dx, Tensor? dgamma, Tensor? dbeta)
    {
        var (channels, area) = BatchNormShape("BatchNormBackward", x, gamma, beta, layer);
        CheckAdjoint("BatchNormBackward", result, dResult, nameof(dResult));
        CheckAdjoint("BatchNormBackward", x, dx, nameof(dx));
        CheckAdjoint("BatchNormBackward", gamma, dgamma, nameof(dgamma));
        CheckAdjoint("BatchNormBackward", beta, dbeta, nameof(dbeta));
        var input = x.Span;
        var gradient = dResult.Span;
        var samples = x.Shape[0];
        var count = samples * area;
        for (var c = 0; c < channels; c++)
        {
            var (mean, variance) = layer.Training ? ChannelMoments(input, samples, c, channels, area) : (layer.RunningMean[c], layer.RunningVariance[c]);
            var inverse = 1 / Math.Sqrt(variance + layer.Epsilon);
            double sumG = 0, sumGx = 0;
            for (var n = 0; n < samples; n++)
            {
                var plane = ((n * channels) + c) * area;
                for (var i = plane; i < plane + area; i++)
                {
                    (sumG, sumGx) = (sumG + gradient[i], sumGx + (gradient[i] * (input[i] - mean) * inverse));
                }
            }

            if (dgamma is not null)
            {
                dgamma[c] += (float)sumGx;
            }

            if (dbeta is not null)
            {
                dbeta[c] += (float)sumG;
            }

            if (dx is null)
            {
                continue;
            }

            var scale = gamma[c] * inverse;
            var (meanG, meanGx) = layer.Training ? (sumG / count, sumGx / count) : (0.0, 0.0);
            var adjoint = dx.Span;
            for (var n = 0; n < samples; n++)
            {
                var plane = ((n * channels) + c) * area;
                for (var i = plane; i < plane + area; i++)
                {
                    adjoint[i] += (float)(scale * (gradient[i] - meanG - ((input[i] - mean) * inverse * meanGx)));
                }
            }
        }
    }

    /// <summary>The mean and biased variance of channel <paramref name="channel"/> over the batch (and the image plane), in double.</summary>
    private static (double Mean, double Variance) ChannelMoments(ReadOnlySpan<float> x, int samples, int channel, int channels, int area)
    {
        double sum = 0, squares = 0;
        for (var n = 0; n < samples; n++)
        {
            foreach (var value in x.Slice(((n * channels) + channel) * area, area))
            {
                sum += value;
            }
        }

        var mean = sum / (samples * area);
        for (var n = 0; n < samples; n++)
        {
            foreach (var value in x.Slice(((n * channels) + channel) * area, area))
            {
                squares += (value - mean) * (value - mean);
            }
        }

        return (mean, squares / (samples * area));
    }

    private static (int Channels, int Area) BatchNormShape(string operation, Tensor x, Tensor gamma, Tensor beta, BatchNormLayer layer)
    {
        NotNull(operation, x, nameof(x));
        NotNull(operation, gamma, nameof(gamma));
        NotNull(operation, beta, nameof(beta));
        ArgumentNullException.ThrowIfNull(layer);
        if (x.Rank is not (2 or 4))
        {
            throw new ArgumentException($"{operation}: x {x.Shape} must be images [N×C×H×W] or rows [N×C].");
        }

        var channels = x.Shape[1];
        if (gamma.Rank != 1 || beta.Rank != 1 || gamma.Length != channels || beta.Length != channels || layer.RunningMean.Length != channels)
        {
            throw new ArgumentException($"{operation}: γ {gamma.Shape}, β {beta.Shape} and the layer's {layer.RunningMean.Length} channels must all match the {channels} channels of x {x.Shape}.");
        }

        return (channels, x.Rank == 4 ? x.Shape[2] * x.Shape[3] : 1);
    }
}
