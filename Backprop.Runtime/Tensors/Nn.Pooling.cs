using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Backprop.Kernels;

namespace Backprop;

public static partial class Nn
{
    /// <summary>
    /// Max pooling of images x [N × C × H × W] over size × size windows every <paramref name="stride"/> pixels (padding
    /// counts as −∞, as in PyTorch): result [N × C × H' × W'].
    /// </summary>
    [DerivativeRule(nameof(MaxPool2dBackward))]
    public static Tensor MaxPool2d(Tensor x, int size = 2, int stride = 2, int padding = 0) => Pool("MaxPool2d", x, size, stride, padding, largest: true);

    /// <summary>Rule of <see cref="MaxPool2d"/>: each window's gradient goes to the element that was its maximum (the first, on a tie).</summary>
    public static void MaxPool2dBackward(Tensor x, int size, int stride, int padding, Tensor result, Tensor dResult, Tensor? dx) =>
        PoolBackward("MaxPool2dBackward", x, size, stride, padding, result, dResult, dx, largest: true);

    /// <summary>
    /// Average pooling over size × size windows every <paramref name="stride"/> pixels; padding counts as zeros and
    /// every window divides by size² (PyTorch's default, <c>count_include_pad=True</c>).
    /// </summary>
    [DerivativeRule(nameof(AvgPool2dBackward))]
    public static Tensor AvgPool2d(Tensor x, int size = 2, int stride = 2, int padding = 0) => Pool("AvgPool2d", x, size, stride, padding, largest: false);

    /// <summary>Rule of <see cref="AvgPool2d"/>: each window's gradient, divided by size², goes to every pixel of the window.</summary>
    public static void AvgPool2dBackward(Tensor x, int size, int stride, int padding, Tensor result, Tensor dResult, Tensor? dx) =>
        PoolBackward("AvgPool2dBackward", x, size, stride, padding, result, dResult, dx, largest: false);

    /// <summary>Every window of every image plane reduced to its largest element, or to its sum / size².</summary>
    private static Tensor Pool(string operation, Tensor x, int size, int stride, int padding, bool largest)
    {
        var window = PoolingWindow(operation, x, size, stride, padding);
        var result = Workspace.Uninitialized(new TensorShape(x.Shape[0], x.Shape[1], window.OutputHeight, window.OutputWidth));
        var (area, scale) = (window.Height * window.Width, 1f / (size * size));
        ForEachShare(x.Shape[0] * x.Shape[1], Shares(x.Shape[0] * x.Shape[1], x.Length), (x, result, window, size, largest, area, scale), static (s, _, firstPlane, endPlane) =>
        {
            var (x, result, window, size, largest, area, scale) = s;
            var input = x.Span;
            var output = result.Span;
            for (var plane = firstPlane; plane < endPlane; plane++)
            {
                var image = input.Slice(plane * area, area);
                var pooled = output.Slice(plane * window.Positions, window.Positions);
                if (largest && IsHalving(window))
                {
                    MaxOfPairs(image, pooled, window);
                    continue;
                }

                for (var y = 0; y < window.OutputHeight; y++)
                {
                    var (top, bottom) = Inside(y, window.Stride, window.Padding, size, window.Height);
                    for (var column = 0; column < window.OutputWidth; column++)
                    {
                        var (left, right) = Inside(column, window.Stride, window.Padding, size, window.Width);
                        var reduced = largest ? float.NegativeInfinity : 0f;
                        for (var row = top; row < bottom; row++)
                        {
                            foreach (var value in image.Slice((row * window.Width) + left, right - left))
                            {
                                reduced = largest ? Math.Max(reduced, value) : reduced + value;
                            }
                        }

                        pooled[(y * window.OutputWidth) + column] = largest ? reduced : reduced * scale;
                    }
                }
            }
        });

        TraceIfActive(operation, result, x);
        return result;
    }

    /// <summary>The rule of <see cref="Pool"/>: a window's gradient to its (first) largest element, or spread over it ÷ size².</summary>
    private static void PoolBackward(string operation, Tensor x, int size, int stride, int padding, Tensor result, Tensor dResult, Tensor? dx, bool largest)
    {
        var window = PoolingWindow(operation, x, size, stride, padding);
        CheckAdjoint(operation, result, dResult, nameof(dResult));
        CheckAdjoint(operation, x, dx, nameof(dx));
        if (dx is null)
        {
            return;
        }

        var (area, scale) = (window.Height * window.Width, 1f / (size * size));
        ForEachShare(x.Shape[0] * x.Shape[1], Shares(x.Shape[0] * x.Shape[1], 2L * x.Length), (x, result, dResult, dx, window, size, largest, area, scale), static (s, _, firstPlane, endPlane) =>
        {
            var (x, result, dResult, dx, window, size, largest, area, scale) = s;
            var input = x.Span;
            var output = result.Span;
            var gradient = dResult.Span;
            var adjoint = dx.Span;
            for (var plane = firstPlane; plane < endPlane; plane++)
            {
                var image = input.Slice(plane * area, area);
                var imageAdjoint = adjoint.Slice(plane * area, area);
                if (largest && IsHalving(window))
                {
                    var first = plane * window.Positions;
                    RouteToLargestOfPairs(image, imageAdjoint, output.Slice(first, window.Positions), gradient.Slice(first, window.Positions), window);
                    continue;
                }

                for (var y = 0; y < window.OutputHeight; y++)
                {
                    var (top, bottom) = Inside(y, window.Stride, window.Padding, size, window.Height);
                    for (var column = 0; column < window.OutputWidth; column++)
                    {
                        var (left, right) = Inside(column, window.Stride, window.Padding, size, window.Width);
                        var at = (plane * window.Positions) + (y * window.OutputWidth) + column;
                        if (largest)
                        {
                            RouteToLargest(image, imageAdjoint, window.Width, top, bottom, left, right, output[at], gradient[at]);
                            continue;
                        }

                        for (var row = top; row < bottom; row++)
                        {
                            foreach (ref var cell in imageAdjoint.Slice((row * window.Width) + left, right - left))
                            {
                                cell += gradient[at] * scale;
                            }
                        }
                    }
                }
            }
        });
    }

    /// <summary>The common case, 2×2 windows every 2 pixels without padding: each window lies whole inside the image.</summary>
    private static bool IsHalving(Window window) => window is { KernelHeight: 2, KernelWidth: 2, Stride: 2, Padding: 0 };

    /// <summary>2×2 max pooling of one plane: each output is the largest of two pairs of neighbours, one row above the other.</summary>
    private static void MaxOfPairs(ReadOnlySpan<float> image, Span<float> pooled, Window window)
    {
        for (var y = 0; y < window.OutputHeight; y++)
        {
            var upper = image.Slice(2 * y * window.Width, window.Width);
            var lower = image.Slice(((2 * y) + 1) * window.Width, window.Width);
            var line = pooled.Slice(y * window.OutputWidth, window.OutputWidth);
            for (var column = 0; column < line.Length; column++)
            {
                line[column] = Math.Max(Math.Max(upper[2 * column], upper[(2 * column) + 1]), Math.Max(lower[2 * column], lower[(2 * column) + 1]));
            }
        }
    }

    /// <summary>
    /// The rule of <see cref="MaxOfPairs"/>: each window's gradient to the first of its four pixels equal to its maximum
    /// (the last when none is: a window holding NaN). The four are compared at once, as one 128-bit vector, and the
    /// first equal one found from the comparison's bits: which pixel is a window's largest is a coin toss that a
    /// branch predictor loses: forward + backward at [128×32×28×28] took 17.7 ms with the branching form and takes 5.6 ms
    /// with this one (AMD EPYC Zen 5, one thread).
    /// </summary>
    private static void RouteToLargestOfPairs(ReadOnlySpan<float> image, Span<float> adjoint, ReadOnlySpan<float> pooled, ReadOnlySpan<float> gradient, Window window)
    {
        var width = window.Width;
        for (var y = 0; y < window.OutputHeight; y++)
        {
            var rows = image.Slice(2 * y * width, 2 * width); // the two rows of this line of windows
            var adjoints = adjoint.Slice(2 * y * width, 2 * width);
            var largest = pooled.Slice(y * window.OutputWidth, window.OutputWidth);
            var gradients = gradient.Slice(y * window.OutputWidth, window.OutputWidth);
            ref var upper = ref Unsafe.As<float, byte>(ref MemoryMarshal.GetReference(rows));
            ref var lower = ref Unsafe.Add(ref upper, width * sizeof(float));
            for (var column = 0; column < largest.Length; column++)
            {
                // Pixels 2·column and 2·column + 1 of both rows: inside rows, as 2·column + 1 < width.
                var pixels = Vector128.Create(
                    Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref upper, 2 * column * sizeof(float))),
                    Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref lower, 2 * column * sizeof(float)))).AsSingle();
                var equal = Vector128.Equals(pixels, Vector128.Create(largest[column])).ExtractMostSignificantBits();
                var first = BitOperations.TrailingZeroCount(equal | 0b1000); // 0, 1: upper row; 2, 3: lower row
                adjoints[(2 * column) + (first & 1) + ((first >> 1) * width)] += gradients[column];
            }
        }
    }

    /// <summary>Adds <paramref name="gradient"/> to the first pixel of the window that equals its maximum, in reading order.</summary>
    private static void RouteToLargest(ReadOnlySpan<float> image, Span<float> adjoint, int width, int top, int bottom, int left, int right, float largest, float gradient)
    {
        for (var row = top; row < bottom; row++)
        {
            for (var at = (row * width) + left; at < (row * width) + right; at++)
            {
                if (image[at] == largest)
                {
                    adjoint[at] += gradient;
                    return;
                }
            }
        }
    }

    /// <summary>The pixels [first, end) along one axis of length <paramref name="length"/> that output index <paramref name="index"/>'s window covers (padding left out).</summary>
    private static (int First, int End) Inside(int index, int stride, int padding, int size, int length)
    {
        var start = (index * stride) - padding;
        return (Math.Max(start, 0), Math.Min(start + size, length));
    }

    /// <summary>The mean of each channel of images x [N × C × H × W]: result [N × C], ready for a linear head.</summary>
    [DerivativeRule(nameof(GlobalAveragePoolBackward))]
    public static Tensor GlobalAveragePool(Tensor x)
    {
        CheckImages("GlobalAveragePool", x);
        var (planes, area) = (x.Shape[0] * x.Shape[1], x.Shape[2] * x.Shape[3]);
        var result = Workspace.Uninitialized(TensorShape.Matrix(x.Shape[0], x.Shape[1]));
        var input = x.Span;
        var output = result.Span;
        for (var plane = 0; plane < planes; plane++)
        {
            output[plane] = System.Numerics.Tensors.TensorPrimitives.Sum<float>(input.Slice(plane * area, area)) / area;
        }

        TraceIfActive("GlobalAveragePool", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="GlobalAveragePool"/>: each channel's gradient, divided by H·W, goes to every pixel of it.</summary>
    public static void GlobalAveragePoolBackward(Tensor x, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckImages("GlobalAveragePoolBackward", x);
        CheckAdjoint("GlobalAveragePoolBackward", result, dResult, nameof(dResult));
        CheckAdjoint("GlobalAveragePoolBackward", x, dx, nameof(dx));
        if (dx is null)
        {
            return;
        }

        var (planes, area) = (x.Shape[0] * x.Shape[1], x.Shape[2] * x.Shape[3]);
        var gradient = dResult.Span;
        var adjoint = dx.Span;
        for (var plane = 0; plane < planes; plane++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(adjoint.Slice(plane * area, area), gradient[plane] / area, adjoint.Slice(plane * area, area));
        }
    }

    private static Window PoolingWindow(string operation, Tensor x, int size, int stride, int padding)
    {
        CheckImages(operation, x);
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"{operation}: the window size must be at least 1.");
        }

        return CheckWindow(operation, x, new Window(x.Shape[1], x.Shape[2], x.Shape[3], size, size, stride, padding), pooling: true);
    }

    private static void CheckImages(string operation, Tensor x)
    {
        NotNull(operation, x, nameof(x));
        if (x.Rank != 4)
        {
            throw new ArgumentException($"{operation}: the images {x.Shape} must be a tensor of rank 4 [N×C×H×W] (Reshape a batch of flat images first).");
        }
    }
}
