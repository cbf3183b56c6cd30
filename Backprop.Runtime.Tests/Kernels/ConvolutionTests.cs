using System;
using System.Linq;
using Backprop.Runtime.Tests.Infrastructure;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>Convolution and pooling against plain loops over every output pixel, on awkward shapes, strides and padding.</summary>
/// <remarks>Some tests here set <see cref="Gemm.MaxThreads"/> for a moment: they share a collection with the other tests that depend on it.</remarks>
[Collection(GemmThreadsCollection.Name)]
public sealed class ConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Convolutions() => new()
    {
        // N, C, H, W, O, kh, kw, stride/padding packed as stride * 10 + padding
        { 2, 3, 8, 7, 4, 3, 3, 11 },
        { 1, 1, 5, 5, 2, 1, 1, 10 },
        { 3, 2, 9, 6, 3, 5, 3, 22 },
        { 2, 4, 7, 7, 5, 3, 2, 30 },
        { 1, 3, 4, 4, 8, 4, 4, 10 },
        { 2, 1, 28, 28, 6, 3, 3, 11 },
        { 2, 3, 2, 5, 2, 4, 3, 11 },    // a kernel row that reads only padding for every output row (kh 4 over 2 + 2 rows)
        { 2, 4, 1, 6, 3, 3, 3, 11 },    // one row: the rows above and below are all padding
        { 9, 8, 16, 16, 16, 3, 3, 11 }, // 2.7 M multiply-adds: the images are shared out between cores (9 into 4 + 5)
        { 2, 8, 7, 7, 62, 3, 3, 11 },   // 49 positions, 62 outputs: on the 256- and 512-bit paths the transposed product
        { 2, 64, 7, 7, 64, 3, 3, 11 },  // (columnsᵀ · kernelsᵀ) — and with O ≤ C dx is a correlation of its own
        { 2, 40, 14, 14, 32, 5, 5, 12 },
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Conv2dBackward_MatchesTheDefinition(int n, int c, int h, int w, int o, int kh, int kw, int strideAndPadding)
    {
        // Every gradient from its definition, summed in double over each output pixel's window, and added to what the
        // adjoints held before (the rule adds): the orientations of the product and both forms of dx are chosen by shape.
        var (stride, padding) = (strideAndPadding / 10, strideAndPadding % 10);
        var random = new Random(n + (c * 5) + (h * 11) + o);
        var (x, weights, bias) = (Random(random, n, c, h, w), Random(random, o, c, kh, kw), Random(random, o));
        var result = Nn.Conv2d(x, weights, bias, stride, padding);
        var dResult = Random(random, result.Shape.ToArray());
        var (dx, dw, db) = (Random(random, n, c, h, w), Random(random, o, c, kh, kw), Random(random, o));
        var (ex, ew, eb) = (Array.ConvertAll(dx.ToArray(), v => (double)v), Array.ConvertAll(dw.ToArray(), v => (double)v), Array.ConvertAll(db.ToArray(), v => (double)v));

        Nn.Conv2dBackward(x, weights, bias, stride, padding, result, dResult, dx, dw, db);

        var (outH, outW) = (result.Shape[2], result.Shape[3]);
        for (var image = 0; image < n; image++)
        {
            for (var channel = 0; channel < o; channel++)
            {
                for (var y = 0; y < outH; y++)
                {
                    for (var column = 0; column < outW; column++)
                    {
                        double g = dResult[image, channel, y, column];
                        eb[channel] += g;
                        for (var ci = 0; ci < c; ci++)
                        {
                            for (var i = 0; i < kh; i++)
                            {
                                for (var j = 0; j < kw; j++)
                                {
                                    var (sy, sx) = ((y * stride) - padding + i, (column * stride) - padding + j);
                                    if (sy >= 0 && sy < h && sx >= 0 && sx < w)
                                    {
                                        ew[(((channel * c) + ci) * kh * kw) + (i * kw) + j] += g * x[image, ci, sy, sx];
                                        ex[(((image * c) + ci) * h * w) + (sy * w) + sx] += g * weights[channel, ci, i, j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        foreach (var (name, expected, actual) in new[] { ("dx", ex, dx), ("dw", ew, dw), ("db", eb, db) })
        {
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{name}[{i}]: {actual[i]}, expected {expected[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Conv2d_MatchesTheDefinition(int n, int c, int h, int w, int o, int kh, int kw, int strideAndPadding)
    {
        var (stride, padding) = (strideAndPadding / 10, strideAndPadding % 10);
        var random = new Random(n + (c * 7) + (h * 13) + o);
        var (x, weights, bias) = (Random(random, n, c, h, w), Random(random, o, c, kh, kw), Random(random, o));

        var result = Nn.Conv2d(x, weights, bias, stride, padding);

        var (outH, outW) = (((h + (2 * padding) - kh) / stride) + 1, ((w + (2 * padding) - kw) / stride) + 1);
        Assert.Equal(new TensorShape(n, o, outH, outW), result.Shape);
        for (var image = 0; image < n; image++)
        {
            for (var channel = 0; channel < o; channel++)
            {
                for (var y = 0; y < outH; y++)
                {
                    for (var column = 0; column < outW; column++)
                    {
                        double sum = bias[channel];
                        for (var ci = 0; ci < c; ci++)
                        {
                            for (var i = 0; i < kh; i++)
                            {
                                for (var j = 0; j < kw; j++)
                                {
                                    var (sy, sx) = ((y * stride) - padding + i, (column * stride) - padding + j);
                                    if (sy >= 0 && sy < h && sx >= 0 && sx < w)
                                    {
                                        sum += (double)x[image, ci, sy, sx] * weights[channel, ci, i, j];
                                    }
                                }
                            }
                        }

                        Assert.True(Math.Abs(sum - result[image, channel, y, column]) <= 1e-4 * Math.Max(1, Math.Abs(sum)),
                            $"({image}, {channel}, {y}, {column}): {result[image, channel, y, column]}, expected {sum}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 1)]
    [InlineData(2, 3, 0)]
    public void Pooling_MatchesTheDefinition(int size, int stride, int padding)
    {
        var random = new Random((size * 100) + (stride * 10) + padding);
        var x = Random(random, 2, 3, 7, 6);
        var (largest, mean) = (Nn.MaxPool2d(x, size, stride, padding), Nn.AvgPool2d(x, size, stride, padding));

        var (outH, outW) = (((7 + (2 * padding) - size) / stride) + 1, ((6 + (2 * padding) - size) / stride) + 1);
        Assert.Equal(new TensorShape(2, 3, outH, outW), largest.Shape);
        Assert.Equal(largest.Shape, mean.Shape);
        for (var image = 0; image < 2; image++)
        {
            for (var channel = 0; channel < 3; channel++)
            {
                for (var y = 0; y < outH; y++)
                {
                    for (var column = 0; column < outW; column++)
                    {
                        var inside = (from i in Enumerable.Range((y * stride) - padding, size)
                                      from j in Enumerable.Range((column * stride) - padding, size)
                                      where i >= 0 && i < 7 && j >= 0 && j < 6
                                      select x[image, channel, i, j]).ToArray();
                        Assert.Equal(inside.Max(), largest[image, channel, y, column]);
                        Assert.Equal(inside.Sum() / (size * size), mean[image, channel, y, column], 5);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The 2×2 max-pool rule routes each window's gradient to the first of its four pixels (reading order) equal to the
    /// window's maximum, and to the last when none is (a window holding NaN) — checked against that definition where
    /// ties are common (pixels drawn from −1, −0, +0, 1), with NaN windows, odd sizes (the last row and column belong to
    /// no window) and a gradient added to what dx holds.
    /// </summary>
    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 7)]
    [InlineData(2, 2)]
    [InlineData(9, 33)]
    public void MaxPool2dBackward_RoutesToTheFirstLargest_ThroughTiesAndNaN(int height, int width)
    {
        var random = new Random((height * 100) + width);
        float[] values = [-1f, -0f, 0f, 1f];
        var x = Tensor.Zeros(2, 3, height, width);
        var pixels = x.Span;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.Next(25) == 0 ? float.NaN : values[random.Next(values.Length)];
        }

        var pooled = Nn.MaxPool2d(x);
        var image = x.ToArray();
        var dPooled = Random(random, 2, 3, height / 2, width / 2);
        var dx = Tensor.ZerosLike(x);
        dx.Fill(0.25f);
        Nn.MaxPool2dBackward(x, 2, 2, 0, pooled, dPooled, dx);

        var expected = Enumerable.Repeat(0.25f, x.Length).ToArray();
        for (var plane = 0; plane < 6; plane++)
        {
            for (var y = 0; y < height / 2; y++)
            {
                for (var column = 0; column < width / 2; column++)
                {
                    var at = (plane * height * width) + (2 * y * width) + (2 * column);
                    int[] window = [at, at + 1, at + width, at + width + 1];
                    var output = (plane * (height / 2) * (width / 2)) + (y * (width / 2)) + column;
                    var largest = pooled.Span[output];
                    Assert.Equal(window.Select(i => image[i]).Aggregate(Math.Max), largest);
                    var winner = window.Cast<int?>().FirstOrDefault(i => image[i!.Value] == largest) ?? window[3];
                    expected[winner] += dPooled.Span[output];
                }
            }
        }

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Equals(dx.Span[i]), $"dx[{i}] = {dx.Span[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void Conv2dBackward_SharedOutBetweenCores_AddsUpAsOnOneCore()
    {
        // 9 images of 8 channels, 16 kernels of 3×3 on 16×16: above the size a convolution shares out (on a machine with
        // more than one core), with an odd image count. Every gradient must be the one-core result, up to rounding.
        var random = new Random(11);
        var (x, weights, bias) = (Random(random, 9, 8, 16, 16), Random(random, 16, 8, 3, 3), Random(random, 16));
        var result = Nn.Conv2d(x, weights, bias, 1, 1);
        var dResult = Random(random, 9, 16, 16, 16);
        var threads = Gemm.MaxThreads;
        (Tensor Dx, Tensor Dw, Tensor Db) Gradients(int cores)
        {
            Gemm.MaxThreads = cores;
            try
            {
                var (dx, dw, db) = (Tensor.ZerosLike(x), Tensor.ZerosLike(weights), Tensor.ZerosLike(bias));
                dw.Fill(0.5f); // the rule adds to what is there
                Nn.Conv2dBackward(x, weights, bias, 1, 1, result, dResult, dx, dw, db);
                return (dx, dw, db);
            }
            finally
            {
                Gemm.MaxThreads = threads;
            }
        }

        var (one, shared) = (Gradients(1), Gradients(Math.Max(2, Environment.ProcessorCount)));
        foreach (var (expected, actual) in new[] { (one.Dx, shared.Dx), (one.Dw, shared.Dw), (one.Db, shared.Db) })
        {
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[i])), $"element {i}: {actual[i]} shared, {expected[i]} on one core");
            }
        }
    }

    [Fact]
    public void BatchNormAndMaxPool_SharedOutBetweenCores_GiveTheOneCoreResult()
    {
        // [96×32×28×28]: above the size batch norm (by channel) and pooling (by plane) share out. Each channel or plane is
        // computed by one thread the same way, so the results must be identical, not merely close.
        var random = new Random(21);
        var (x, gamma, beta) = (Random(random, 96, 32, 28, 28), Random(random, 32), Random(random, 32));
        var dResult = Random(random, 96, 32, 28, 28);
        var threads = Gemm.MaxThreads;
        float[][] Run(int cores)
        {
            Gemm.MaxThreads = cores;
            try
            {
                var layer = new BatchNormLayer(32);
                var normalized = Nn.BatchNorm(x, gamma, beta, layer);
                var (dx, dgamma, dbeta) = (Tensor.ZerosLike(x), Tensor.ZerosLike(gamma), Tensor.ZerosLike(beta));
                Nn.BatchNormBackward(x, gamma, beta, layer, normalized, dResult, dx, dgamma, dbeta);
                var pooled = Nn.MaxPool2d(x);
                var dPooled = Tensor.ZerosLike(x);
                Nn.MaxPool2dBackward(x, 2, 2, 0, pooled, Nn.MaxPool2d(dResult), dPooled);
                return [normalized.ToArray(), layer.RunningVariance.ToArray(), dx.ToArray(), dgamma.ToArray(), pooled.ToArray(), dPooled.ToArray()];
            }
            finally
            {
                Gemm.MaxThreads = threads;
            }
        }

        var (one, shared) = (Run(1), Run(Math.Max(2, Environment.ProcessorCount)));
        for (var i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], shared[i]);
        }
    }

    [Fact]
    public void GlobalAveragePool_IsEachChannelsMean()
    {
        var x = Random(new Random(3), 2, 3, 4, 5);
        var result = Nn.GlobalAveragePool(x);
        Assert.Equal(TensorShape.Matrix(2, 3), result.Shape);
        for (var image = 0; image < 2; image++)
        {
            for (var channel = 0; channel < 3; channel++)
            {
                var expected = (from i in Enumerable.Range(0, 4) from j in Enumerable.Range(0, 5) select (double)x[image, channel, i, j]).Average();
                Assert.Equal(expected, result[image, channel], 5);
            }
        }
    }

    [Fact]
    public void ShapeErrors_NameTheOperationAndTheShapes()
    {
        var images = Tensor.Zeros(2, 3, 8, 8);
        var error = Assert.Throws<ArgumentException>(() => Nn.Conv2d(images, Tensor.Zeros(4, 2, 3, 3), Tensor.Vector(4)));
        Assert.Contains("Conv2d: images [2×3×8×8] and kernels [4×2×3×3] must be [N×C×H×W] and [O×C×kh×kw] with the same C", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Nn.Conv2d(images, Tensor.Zeros(4, 3, 3, 3), Tensor.Vector(3)));
        Assert.Contains("the bias [3] must be a vector of one value per output channel", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Nn.Conv2d(images, Tensor.Zeros(4, 3, 9, 9), Tensor.Vector(4)));
        Assert.Contains("a 9×9 window with padding 0 is larger than the images [2×3×8×8]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Nn.Conv2d(images, Tensor.Zeros(4, 3, 3, 3), Tensor.Vector(4), stride: 0));
        error = Assert.Throws<ArgumentException>(() => Nn.MaxPool2d(Tensor.Matrix(2, 64)));
        Assert.Contains("MaxPool2d: the images [2×64] must be a tensor of rank 4", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Nn.AvgPool2d(images, 2, 2, 2));
        Assert.Contains("padding 2 is more than half the 2×2 window", error.Message, StringComparison.Ordinal);
    }

    private static Tensor Random(Random random, params int[] lengths)
    {
        var tensor = Tensor.Zeros(lengths);
        var span = tensor.Span;
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return tensor;
    }
}
