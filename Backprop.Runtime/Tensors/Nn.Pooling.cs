using System;
using Backprop.Kernels;

namespace Backprop;

public static partial class Nn
{
    /// <summary>
    /// Max pooling of images x [N × C × H × W] over size × size windows every <paramref name="stride"/> pixels (padding
    /// counts as −∞, as in PyTorch): result [N × C × H' × W'].
    /// </summary>
    [DerivativeRule(nameof(MaxPool2dBackward))]
    public static Tensor MaxPool2d(Tensor x, int size = 2, int stride = 2, int padding = 0)
    {
        var window = PoolingWindow("MaxPool2d", x, size, stride, padding);
        var result = Workspace.Uninitialized(new TensorShape(x.Shape[0], x.Shape[1], window.OutputHeight, window.OutputWidth));
        var input = x.Span;
        var output = result.Span;
        for (var plane = 0; plane < x.Shape[0] * x.Shape[1]; plane++)
        {
            var image = input.Slice(plane * window.Height * window.Width, window.Height * window.Width);
            var pooled = output.Slice(plane * window.Positions, window.Positions);
            for (var y = 0; y < window.OutputHeight; y++)
            {
                for (var column = 0; column < window.OutputWidth; column++)
                {
                    var largest = float.NegativeInfinity;
                    foreach (var at in Cells(window, y, column))
                    {
                        largest = Math.Max(largest, image[at]);
                    }

                    pooled[(y * window.OutputWidth) + column] = largest;
                }
            }
        }

        TraceIfActive("MaxPool2d", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="MaxPool2d"/>: each window's gradient goes to the element that was its maximum (the first, on a tie).</summary>
    public static void MaxPool2dBackward(Tensor x, int size, int stride, int padding, Tensor result, Tensor dResult, Tensor? dx)
    {
        var window = PoolingWindow("MaxPool2dBackward", x, size, stride, padding);
        CheckAdjoint("MaxPool2dBackward", result, dResult, nameof(dResult));
        CheckAdjoint("MaxPool2dBackward", x, dx, nameof(dx));
        if (dx is null)
        {
            return;
        }

        var input = x.Span;
        var output = result.Span;
        var gradient = dResult.Span;
        var adjoint = dx.Span;
        for (var plane = 0; plane < x.Shape[0] * x.Shape[1]; plane++)
        {
            var offset = plane * window.Height * window.Width;
            var image = input.Slice(offset, window.Height * window.Width);
            for (var y = 0; y < window.OutputHeight; y++)
            {
                for (var column = 0; column < window.OutputWidth; column++)
                {
                    var position = (plane * window.Positions) + (y * window.OutputWidth) + column;
                    foreach (var at in Cells(window, y, column))
                    {
                        if (image[at] == output[position])
                        {
                            adjoint[offset + at] += gradient[position];
                            break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Average pooling over size × size windows every <paramref name="stride"/> pixels; padding counts as zeros and
    /// every window divides by size² (PyTorch's default, <c>count_include_pad=True</c>).
    /// </summary>
    [DerivativeRule(nameof(AvgPool2dBackward))]
    public static Tensor AvgPool2d(Tensor x, int size = 2, int stride = 2, int padding = 0)
    {
        var window = PoolingWindow("AvgPool2d", x, size, stride, padding);
        var result = Workspace.Uninitialized(new TensorShape(x.Shape[0], x.Shape[1], window.OutputHeight, window.OutputWidth));
        var input = x.Span;
        var output = result.Span;
        var scale = 1f / (size * size);
        for (var plane = 0; plane < x.Shape[0] * x.Shape[1]; plane++)
        {
            var image = input.Slice(plane * window.Height * window.Width, window.Height * window.Width);
            for (var y = 0; y < window.OutputHeight; y++)
            {
                for (var column = 0; column < window.OutputWidth; column++)
                {
                    var sum = 0f;
                    foreach (var at in Cells(window, y, column))
                    {
                        sum += image[at];
                    }

                    output[(plane * window.Positions) + (y * window.OutputWidth) + column] = sum * scale;
                }
            }
        }

        TraceIfActive("AvgPool2d", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="AvgPool2d"/>: each window's gradient, divided by size², goes to every pixel of the window.</summary>
    public static void AvgPool2dBackward(Tensor x, int size, int stride, int padding, Tensor result, Tensor dResult, Tensor? dx)
    {
        var window = PoolingWindow("AvgPool2dBackward", x, size, stride, padding);
        CheckAdjoint("AvgPool2dBackward", result, dResult, nameof(dResult));
        CheckAdjoint("AvgPool2dBackward", x, dx, nameof(dx));
        if (dx is null)
        {
            return;
        }

        var gradient = dResult.Span;
        var adjoint = dx.Span;
        var scale = 1f / (size * size);
        for (var plane = 0; plane < x.Shape[0] * x.Shape[1]; plane++)
        {
            var offset = plane * window.Height * window.Width;
            for (var y = 0; y < window.OutputHeight; y++)
            {
                for (var column = 0; column < window.OutputWidth; column++)
                {
                    var share = gradient[(plane * window.Positions) + (y * window.OutputWidth) + column] * scale;
                    foreach (var at in Cells(window, y, column))
                    {
                        adjoint[offset + at] += share;
                    }
                }
            }
        }
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

    /// <summary>The flat indices, inside one image plane, of the pixels of window (y, column) that lie inside the image.</summary>
    private static CellEnumerator Cells(Window window, int y, int column) => new(window, y, column);

    private ref struct CellEnumerator
    {
        private readonly Window _window;
        private readonly int _top;
        private readonly int _left;
        private readonly int _bottom;
        private readonly int _right;
        private int _row;
        private int _column;

        public CellEnumerator(Window window, int y, int column)
        {
            _window = window;
            var (top, left) = ((y * window.Stride) - window.Padding, (column * window.Stride) - window.Padding);
            (_top, _left) = (Math.Max(top, 0), Math.Max(left, 0));
            (_bottom, _right) = (Math.Min(top + window.KernelHeight, window.Height), Math.Min(left + window.KernelWidth, window.Width));
            (_row, _column) = (_top, _left - 1);
        }

        public readonly int Current => (_row * _window.Width) + _column;

        public readonly CellEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (++_column < _right)
            {
                return _row < _bottom;
            }

            (_row, _column) = (_row + 1, _left);
            return _row < _bottom && _left < _right;
        }
    }
}
