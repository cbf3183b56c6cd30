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
        var input = x.Span;
        var output = result.Span;
        var scale = 1f / (size * size);
        for (var plane = 0; plane < x.Shape[0] * x.Shape[1]; plane++)
        {
            var image = input.Slice(plane * window.Height * window.Width, window.Height * window.Width);
            for (var position = 0; position < window.Positions; position++)
            {
                var reduced = largest ? float.NegativeInfinity : 0f;
                foreach (var at in Cells(window, position))
                {
                    reduced = largest ? Math.Max(reduced, image[at]) : reduced + image[at];
                }

                output[(plane * window.Positions) + position] = largest ? reduced : reduced * scale;
            }
        }

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

        var input = x.Span;
        var output = result.Span;
        var gradient = dResult.Span;
        var adjoint = dx.Span;
        var scale = 1f / (size * size);
        for (var plane = 0; plane < x.Shape[0] * x.Shape[1]; plane++)
        {
            var offset = plane * window.Height * window.Width;
            for (var position = 0; position < window.Positions; position++)
            {
                var at = (plane * window.Positions) + position;
                foreach (var cell in Cells(window, position))
                {
                    if (!largest)
                    {
                        adjoint[offset + cell] += gradient[at] * scale;
                    }
                    else if (input[offset + cell] == output[at])
                    {
                        adjoint[offset + cell] += gradient[at];
                        break;
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

    /// <summary>The flat indices, inside one image plane, of the pixels of output position y·W' + column's window that lie inside the image.</summary>
    private static CellEnumerator Cells(Window window, int position) => new(window, position / window.OutputWidth, position % window.OutputWidth);

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
