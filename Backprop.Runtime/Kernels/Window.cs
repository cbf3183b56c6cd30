using System;

namespace Backprop.Kernels;

/// <summary>
/// The geometry of a 2-D convolution or pooling window over one channels × height × width image (NCHW, PyTorch's
/// layout: the batch and channel loops stay outside, each image plane is contiguous), and the im2col/col2im copies
/// that turn a convolution into one matrix product per image.
/// </summary>
/// <param name="Channels">Input channels C.</param>
/// <param name="Height">Input height H.</param>
/// <param name="Width">Input width W.</param>
/// <param name="KernelHeight">Window height.</param>
/// <param name="KernelWidth">Window width.</param>
/// <param name="Stride">Step between windows, both ways.</param>
/// <param name="Padding">Zeros added on every side.</param>
internal readonly record struct Window(int Channels, int Height, int Width, int KernelHeight, int KernelWidth, int Stride, int Padding)
{
    /// <summary>Output height: ⌊(H + 2·padding − kernel) / stride⌋ + 1.</summary>
    public int OutputHeight => ((Height + (2 * Padding) - KernelHeight) / Stride) + 1;

    /// <summary>Output width: ⌊(W + 2·padding − kernel) / stride⌋ + 1.</summary>
    public int OutputWidth => ((Width + (2 * Padding) - KernelWidth) / Stride) + 1;

    /// <summary>Output positions per channel.</summary>
    public int Positions => OutputHeight * OutputWidth;

    /// <summary>Rows of the im2col matrix: C · kernel height · kernel width.</summary>
    public int Patch => Channels * KernelHeight * KernelWidth;

    /// <summary>
    /// columns[(c·kh + i)·kw + j, y·outW + x] = image[c, y·stride − padding + i, x·stride − padding + j], 0 outside the
    /// image: every window laid out as a column, so the convolution is weights [O × Patch] · columns [Patch × Positions].
    /// </summary>
    public void Im2Col(ReadOnlySpan<float> image, Span<float> columns)
    {
        var (outHeight, outWidth, positions) = (OutputHeight, OutputWidth, Positions);
        var row = 0;
        for (var c = 0; c < Channels; c++)
        {
            var plane = image.Slice(c * Height * Width, Height * Width);
            for (var i = 0; i < KernelHeight; i++)
            {
                for (var j = 0; j < KernelWidth; j++, row++)
                {
                    var destination = columns.Slice(row * positions, positions);
                    if (KeepsWidth)
                    {
                        ShiftedCopy(plane, destination, i, j);
                        continue;
                    }

                    for (var y = 0; y < outHeight; y++)
                    {
                        var line = destination.Slice(y * outWidth, outWidth);
                        var sourceY = (y * Stride) - Padding + i;
                        if ((uint)sourceY >= (uint)Height)
                        {
                            line.Clear();
                            continue;
                        }

                        var source = plane.Slice(sourceY * Width, Width);
                        var (first, end) = Inside(j, outWidth);
                        line[..first].Clear();
                        line[end..].Clear();
                        if (Stride == 1)
                        {
                            source.Slice(first - Padding + j, end - first).CopyTo(line[first..end]);
                            continue;
                        }

                        for (var x = first; x < end; x++)
                        {
                            line[x] = source[(x * Stride) - Padding + j];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The transpose of <see cref="Im2Col"/>, adding: image[c, y, x] += every column entry that was read from it. The
    /// entries that stand for padding are overwritten with zeros on the way (the columns are scratch).
    /// </summary>
    public void Col2ImAdd(Span<float> columns, Span<float> image)
    {
        var (outHeight, outWidth, positions) = (OutputHeight, OutputWidth, Positions);
        var row = 0;
        for (var c = 0; c < Channels; c++)
        {
            var plane = image.Slice(c * Height * Width, Height * Width);
            for (var i = 0; i < KernelHeight; i++)
            {
                for (var j = 0; j < KernelWidth; j++, row++)
                {
                    var source = columns.Slice(row * positions, positions);
                    if (KeepsWidth)
                    {
                        ShiftedAdd(source, plane, i, j);
                        continue;
                    }

                    for (var y = 0; y < outHeight; y++)
                    {
                        var sourceY = (y * Stride) - Padding + i;
                        if ((uint)sourceY >= (uint)Height)
                        {
                            continue;
                        }

                        var line = source.Slice(y * outWidth, outWidth);
                        var destination = plane.Slice(sourceY * Width, Width);
                        var (first, end) = Inside(j, outWidth);
                        if (Stride == 1)
                        {
                            var pixels = destination.Slice(first - Padding + j, end - first);
                            System.Numerics.Tensors.TensorPrimitives.Add(pixels, line[first..end], pixels);
                            continue;
                        }

                        for (var x = first; x < end; x++)
                        {
                            destination[(x * Stride) - Padding + j] += line[x];
                        }
                    }
                }
            }
        }
    }

    /// <summary>Stride 1 and an output as large as the input ("same" padding, an odd kernel): see <see cref="Unfolding"/>.</summary>
    public bool KeepsSize => Stride == 1 && OutputHeight == Height && OutputWidth == Width;

    /// <summary>
    /// Stride 1 and an output as wide as the input (padding (kw − 1)/2, "same" padding): then one row of the im2col matrix
    /// is the image plane shifted by a constant offset, copied in one piece rather than line by line.
    /// </summary>
    private bool KeepsWidth => Stride == 1 && OutputWidth == Width;

    /// <summary>
    /// The output positions [first, end), in reading order, of kernel offset (i, j) whose source rows lie inside the
    /// image, and the shift from position to source pixel: source = position + shift, for a <see cref="KeepsWidth"/> window.
    /// </summary>
    private (int First, int End, int Shift) ShiftedRange(int i, int j)
    {
        var (rowShift, columnShift) = (i - Padding, j - Padding);
        var firstRow = Math.Clamp(-rowShift, 0, OutputHeight);
        var endRow = Math.Clamp(Height - rowShift, firstRow, OutputHeight);
        // Clip the contiguous range so the source never leaves the plane; columns that wrap into the row beside are fixed after.
        var first = (firstRow * Width) + Math.Max(0, -columnShift);
        var end = (endRow * Width) - Math.Max(0, columnShift);
        // Every output row reads padding (a tall kernel over few rows): an empty range, whose shifted start could lie
        // outside the plane.
        return end > first ? (first, end, (rowShift * Width) + columnShift) : (0, 0, 0);
    }

    /// <summary>One im2col row for a <see cref="KeepsWidth"/> window: the plane shifted, zeros where the window reads padding.</summary>
    private void ShiftedCopy(ReadOnlySpan<float> plane, Span<float> destination, int i, int j)
    {
        var (first, end, shift) = ShiftedRange(i, j);
        destination[..first].Clear();
        destination[end..].Clear();
        plane.Slice(first + shift, end - first).CopyTo(destination[first..end]);
        ClearWrapped(destination, j, first, end);
    }

    /// <summary>The transpose of <see cref="ShiftedCopy"/>: the row, its padding entries zeroed, added to the plane shifted.</summary>
    private void ShiftedAdd(Span<float> source, Span<float> plane, int i, int j)
    {
        var (first, end, shift) = ShiftedRange(i, j);
        ClearWrapped(source, j, first, end);
        var pixels = plane.Slice(first + shift, end - first);
        System.Numerics.Tensors.TensorPrimitives.Add(pixels, source[first..end], pixels);
    }

    /// <summary>Zeroes, inside [first, end), the positions whose column x + j − padding falls left or right of the image.</summary>
    private void ClearWrapped(Span<float> row, int j, int first, int end)
    {
        var columnShift = j - Padding;
        for (var x = 0; x < Width; x++)
        {
            if (x + columnShift >= 0 && x + columnShift < Width)
            {
                continue;
            }

            for (var at = first - (first % Width) + x; at < end; at += Width)
            {
                if (at >= first)
                {
                    row[at] = 0f;
                }
            }
        }
    }

    /// <summary>The output columns [first, end) whose input column x·stride − padding + j lies inside the image.</summary>
    private (int First, int End) Inside(int j, int outWidth)
    {
        var first = Math.Min(outWidth, Math.Max(0, CeilDiv(Padding - j, Stride)));
        var end = Math.Max(first, Math.Min(outWidth, CeilDiv(Width + Padding - j, Stride)));
        return (first, end);
    }

    private static int CeilDiv(int value, int divisor) => value <= 0 ? -(-value / divisor) : (value + divisor - 1) / divisor;
}
