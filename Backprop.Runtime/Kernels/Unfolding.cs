using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>
/// How a convolution unfolds its images into columns (im2col) and folds column gradients back (col2im), with the kernels
/// in the same row order. Most windows use <see cref="Window.Im2Col"/>'s channel-major rows, (c·kh + i)·kw + j. A window
/// that keeps the image's size (<see cref="Window.KeepsSize"/>: stride 1, "same" padding — every convolution of the
/// CNN sample) uses offset-major rows, (i·kw + j)·C + c: for one kernel offset (i, j) the C rows side by side are then
/// the whole image shifted by (i − padding)·W + (j − padding) floats, so unfolding is one masked copy of C·H·W floats
/// per offset (9 for a 3×3 kernel) instead of C·kh·kw copies of one plane each — at the sample's 7×7 planes those
/// short copies cost a third of the product they feed (measured: 1.5 ms of the 5.4 ms forward pass at
/// [128×64×7×7] → 64, AMD EPYC Zen 5). The kernels are copied into the same order for the product, and their gradient
/// added back in the caller's order.
/// </summary>
/// <remarks>
/// The mask has all bits set where the shifted read is the pixel the window wants and none where the window reads
/// padding (or the read wrapped into the row or channel beside): an AND rather than a multiply by 0/1, so a non-finite
/// pixel next to the border never turns padding into 0·∞ = NaN. Rented storage; <see cref="Dispose"/> returns it.
/// </remarks>
internal readonly struct Unfolding : IDisposable
{
    private readonly Window _window;
    private readonly float[]? _kernels; // the kernels in offset-major order: [O × kh·kw × C]
    private readonly uint[]? _masks;    // per offset, C·H·W entries
    private readonly int _kernelLength;

    private Unfolding(Window window, float[]? kernels, uint[]? masks, int kernelLength) =>
        (_window, _kernels, _masks, _kernelLength) = (window, kernels, masks, kernelLength);

    /// <summary>The unfolding of <paramref name="window"/> for the kernels <paramref name="w"/> [O × C × kh × kw].</summary>
    public static Unfolding Of(Window window, ReadOnlySpan<float> w)
    {
        if (!window.KeepsSize)
        {
            return new Unfolding(window, null, null, w.Length);
        }

        var kernels = ArrayPool<float>.Shared.Rent(w.Length);
        var offsets = window.KernelHeight * window.KernelWidth;
        var outputs = w.Length / window.Patch;
        for (var o = 0; o < outputs; o++)
        {
            for (var c = 0; c < window.Channels; c++)
            {
                for (var offset = 0; offset < offsets; offset++)
                {
                    kernels[(o * window.Patch) + (offset * window.Channels) + c] = w[(o * window.Patch) + (c * offsets) + offset];
                }
            }
        }

        return new Unfolding(window, kernels, Masks(window), w.Length);
    }

    /// <summary>True when the rows are offset-major (the kernels and their gradient are reordered).</summary>
    public bool Reorders => _kernels is not null;

    /// <summary>The kernels [O × Patch] with their columns in this unfolding's row order.</summary>
    public ReadOnlySpan<float> Kernels(ReadOnlySpan<float> w) => _kernels is null ? w : _kernels.AsSpan(0, _kernelLength);

    /// <summary>columns [Patch × Positions] = the image [C × H × W] unfolded, zeros where a window reads padding.</summary>
    public void Im2Col(ReadOnlySpan<float> image, Span<float> columns)
    {
        if (_masks is null)
        {
            _window.Im2Col(image, columns);
            return;
        }

        var size = _window.Channels * _window.Height * _window.Width;
        for (var offset = 0; offset < _window.KernelHeight * _window.KernelWidth; offset++)
        {
            var (first, end, shift) = Range(offset, size);
            var rows = columns.Slice(offset * size, size);
            rows[..first].Clear();
            rows[end..].Clear();
            TensorPrimitives.BitwiseAnd(Bits(image.Slice(first + shift, end - first)), _masks.AsSpan((offset * size) + first, end - first),
                MemoryMarshal.Cast<float, uint>(rows[first..end]));
        }
    }

    /// <summary>
    /// The transpose of <see cref="Im2Col"/>, adding: image[c, y, x] += every column entry that was read from it. The
    /// entries that stand for padding are cleared on the way (the columns are scratch).
    /// </summary>
    public void Col2ImAdd(Span<float> columns, Span<float> image)
    {
        if (_masks is null)
        {
            _window.Col2ImAdd(columns, image);
            return;
        }

        var size = _window.Channels * _window.Height * _window.Width;
        for (var offset = 0; offset < _window.KernelHeight * _window.KernelWidth; offset++)
        {
            var (first, end, shift) = Range(offset, size);
            var rows = columns.Slice((offset * size) + first, end - first);
            var bits = MemoryMarshal.Cast<float, uint>(rows);
            TensorPrimitives.BitwiseAnd(bits, _masks.AsSpan((offset * size) + first, end - first), bits);
            var pixels = image.Slice(first + shift, end - first);
            TensorPrimitives.Add(pixels, rows, pixels);
        }
    }

    /// <summary>dw [O × C × kh × kw] += a kernel gradient in this unfolding's column order.</summary>
    public void AddKernelGradient(ReadOnlySpan<float> gradient, Span<float> dw)
    {
        if (_kernels is null)
        {
            TensorPrimitives.Add(dw, gradient[..dw.Length], dw);
            return;
        }

        var (offsets, channels, patch) = (_window.KernelHeight * _window.KernelWidth, _window.Channels, _window.Patch);
        for (var o = 0; o < dw.Length / patch; o++)
        {
            for (var c = 0; c < channels; c++)
            {
                for (var offset = 0; offset < offsets; offset++)
                {
                    dw[(o * patch) + (c * offsets) + offset] += gradient[(o * patch) + (offset * channels) + c];
                }
            }
        }
    }

    public void Dispose()
    {
        if (_kernels is not null)
        {
            ArrayPool<float>.Shared.Return(_kernels);
        }

        if (_masks is not null)
        {
            ArrayPool<uint>.Shared.Return(_masks);
        }
    }

    /// <summary>
    /// For one offset: the entries [first, end) of its C·H·W rows whose shifted read lies inside the image (the rest
    /// are always padding), and the shift from entry to pixel.
    /// </summary>
    private (int First, int End, int Shift) Range(int offset, int size)
    {
        var (i, j) = Math.DivRem(offset, _window.KernelWidth);
        var shift = ((i - _window.Padding) * _window.Width) + (j - _window.Padding);
        var first = Math.Max(0, -shift);
        var end = Math.Max(first, Math.Min(size, size - shift));
        return (first, end, shift);
    }

    /// <summary>Per offset, per entry of the C·H·W rows: all bits where pixel (y + i − padding, x + j − padding) is inside the image.</summary>
    private static uint[] Masks(Window window)
    {
        var (height, width, area) = (window.Height, window.Width, window.Height * window.Width);
        var size = window.Channels * area;
        var offsets = window.KernelHeight * window.KernelWidth;
        var masks = ArrayPool<uint>.Shared.Rent(offsets * size);
        for (var offset = 0; offset < offsets; offset++)
        {
            var (i, j) = Math.DivRem(offset, window.KernelWidth);
            var plane = masks.AsSpan(offset * size, area);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var (sourceY, sourceX) = (y + i - window.Padding, x + j - window.Padding);
                    plane[(y * width) + x] = (uint)sourceY < (uint)height && (uint)sourceX < (uint)width ? uint.MaxValue : 0u;
                }
            }

            for (var c = 1; c < window.Channels; c++)
            {
                plane.CopyTo(masks.AsSpan((offset * size) + (c * area), area));
            }
        }

        return masks;
    }

    private static ReadOnlySpan<uint> Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, uint>(values);
}
