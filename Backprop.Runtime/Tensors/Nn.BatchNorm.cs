using System;
using System.Buffers;
using System.Numerics.Tensors;

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
        var samples = x.Shape[0];
        var count = samples * area;
        ForEachShare(channels, Shares(channels, 3L * x.Length), (x, gamma, beta, layer, result, samples, channels, area, count), static (s, _, first, end) =>
        {
            var (x, gamma, beta, layer, result, samples, channels, area, count) = s;
            var input = x.Span;
            var output = result.Span;
            var scratch = ArrayPool<float>.Shared.Rent(area);
            try
            {
                for (var c = first; c < end; c++)
                {
                    var (mean, variance) = layer.Training ? ChannelMoments(input, samples, c, channels, area, scratch) : (layer.RunningMean[c], layer.RunningVariance[c]);
                    if (layer.Training)
                    {
                        var unbiased = count > 1 ? variance * count / (count - 1) : variance;
                        layer.RunningMean[c] = (float)(((1 - layer.Momentum) * layer.RunningMean[c]) + (layer.Momentum * mean));
                        layer.RunningVariance[c] = (float)(((1 - layer.Momentum) * layer.RunningVariance[c]) + (layer.Momentum * unbiased));
                    }

                    var inverse = 1 / Math.Sqrt(variance + layer.Epsilon);
                    var (scale, shift) = ((float)(gamma[c] * inverse), (float)(beta[c] - (gamma[c] * mean * inverse)));
                    for (var n = 0; n < samples; n++)
                    {
                        var plane = ((n * channels) + c) * area;
                        Affine(input.Slice(plane, area), scale, shift, output.Slice(plane, area));
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });

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
        var samples = x.Shape[0];
        var count = samples * area;
        ForEachShare(channels, Shares(channels, 6L * x.Length), (x, gamma, layer, dResult, dx, dgamma, dbeta, samples, channels, area, count), static (s, _, first, end) =>
        {
            var (x, gamma, layer, dResult, dx, dgamma, dbeta, samples, channels, area, count) = s;
            var input = x.Span;
            var gradient = dResult.Span;
            var normalized = ArrayPool<float>.Shared.Rent(area);
            try
            {
                var xHat = normalized.AsSpan(0, area);
                for (var c = first; c < end; c++)
                {
                    var (mean, variance) = layer.Training ? ChannelMoments(input, samples, c, channels, area, normalized) : (layer.RunningMean[c], layer.RunningVariance[c]);
                    var inverse = 1 / Math.Sqrt(variance + layer.Epsilon);
                    var (shift, unit) = ((float)(-mean * inverse), (float)inverse);
                    double sumG = 0, sumGx = 0;
                    for (var n = 0; n < samples; n++)
                    {
                        var plane = ((n * channels) + c) * area;
                        Affine(input.Slice(plane, area), unit, shift, xHat); // x̂ = (x − mean)/σ
                        sumG += TensorPrimitives.Sum<float>(gradient.Slice(plane, area));
                        sumGx += TensorPrimitives.Dot<float>(gradient.Slice(plane, area), xHat);
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

                    // dx += scale·dY + (−scale·mean(dY ⊙ x̂))·x̂ − scale·mean(dY), a plane at a time.
                    var scale = gamma[c] * inverse;
                    var (meanG, meanGx) = layer.Training ? (sumG / count, sumGx / count) : (0.0, 0.0);
                    var (slope, offset) = ((float)(-scale * meanGx), (float)(-scale * meanG));
                    var adjoint = dx.Span;
                    for (var n = 0; n < samples; n++)
                    {
                        var plane = ((n * channels) + c) * area;
                        Affine(input.Slice(plane, area), unit, shift, xHat);
                        Affine(xHat, slope, offset, xHat);
                        TensorPrimitives.MultiplyAdd(gradient.Slice(plane, area), (float)scale, xHat, xHat);
                        TensorPrimitives.Add(adjoint.Slice(plane, area), xHat, adjoint.Slice(plane, area));
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(normalized);
            }
        });
    }

    /// <summary>destination = x · scale + shift, element by element (in place when they are the same span).</summary>
    private static void Affine(ReadOnlySpan<float> x, float scale, float shift, Span<float> destination)
    {
        TensorPrimitives.Multiply(x, scale, destination);
        TensorPrimitives.Add(destination, shift, destination);
    }

    /// <summary>
    /// The mean and biased variance of channel <paramref name="channel"/> over the batch (and the image plane), summed in
    /// double over planes: the mean first, then the squares of the differences from it (<paramref name="scratch"/> holds a
    /// plane's differences), so a large mean does not cancel the variance away.
    /// </summary>
    private static (double Mean, double Variance) ChannelMoments(ReadOnlySpan<float> x, int samples, int channel, int channels, int area, float[] scratch)
    {
        double sum = 0, squares = 0;
        for (var n = 0; n < samples; n++)
        {
            sum += TensorPrimitives.Sum<float>(x.Slice(((n * channels) + channel) * area, area));
        }

        var mean = sum / (samples * area);
        var differences = scratch.AsSpan(0, area);
        for (var n = 0; n < samples; n++)
        {
            TensorPrimitives.Subtract(x.Slice(((n * channels) + channel) * area, area), (float)mean, differences);
            squares += TensorPrimitives.SumOfSquares<float>(differences);
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
