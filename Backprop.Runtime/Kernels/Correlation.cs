using System;
using System.Buffers;
using Backprop.Kernels.Gemm;

namespace Backprop.Kernels;

/// <summary>
/// Kernels made ready to be correlated with many images: the <see cref="Unfolding"/> of their window, and the kernels in
/// its row order packed once for the product (<see cref="PackedLeft"/>). <see cref="Add"/> then costs one unfolding and
/// one product per image.
/// </summary>
/// <remarks>
/// <see cref="InputGradientOf"/> serves a convolution's input gradient: for a window that keeps the image's size, dx is
/// itself such a correlation — of dY with the kernels flipped in both spatial axes and their two channel axes swapped
/// (padding kh − 1 − p = p) — so dx is one product with a depth of O·kh·kw per image, added straight into dx, instead of
/// a product with a depth of only O (short depths spend their time loading and storing C) followed by a col2im pass.
/// Measured on the CNN sample's third convolution, [128×64×7×7] → 64, AMD EPYC Zen 5, one thread: see docs/performance.md.
/// </remarks>
internal readonly struct Correlation : IDisposable
{
    private readonly Unfolding _unfolding;
    private readonly PackedLeft _kernels;

    private Correlation(Window window, Unfolding unfolding, PackedLeft kernels) => (Window, _unfolding, _kernels) = (window, unfolding, kernels);

    /// <summary>The window the images are read through (its channels are the images' channels).</summary>
    public Window Window { get; }

    /// <summary>Floats of scratch <see cref="Add"/> needs for one image's columns (0 for <c>default</c>).</summary>
    public int ColumnsLength => _kernels.IsPacked ? Window.Patch * Window.Positions : 0;

    /// <summary>The unfolding in use (its row order is the kernels' column order).</summary>
    public Unfolding Unfolding => _unfolding;

    /// <summary>Kernels w [O × C × kh × kw] over images read through <paramref name="window"/>.</summary>
    public static Correlation Of(Window window, ReadOnlySpan<float> w)
    {
        var unfolding = Unfolding.Of(window, w);
        return new Correlation(window, unfolding, PackedLeft.Of(unfolding.Kernels(w), w.Length / window.Patch, window.Patch, transposed: false));
    }

    /// <summary>
    /// The input gradient of the convolution of <paramref name="window"/> (one that <see cref="Window.KeepsSize"/>) with
    /// kernels w [O × C × kh × kw]: gradients dY [O × H × W] correlated with w′[c, o, i, j] = w[o, c, kh − 1 − i, kw − 1 − j].
    /// </summary>
    public static Correlation InputGradientOf(Window window, ReadOnlySpan<float> w)
    {
        if (!window.KeepsSize)
        {
            throw new InvalidOperationException($"Only a window that keeps the image's size has its input gradient as a correlation ({window}).");
        }

        var (channels, kh, kw) = (window.Channels, window.KernelHeight, window.KernelWidth);
        var outputs = w.Length / window.Patch;
        var flipped = ArrayPool<float>.Shared.Rent(w.Length);
        try
        {
            for (var o = 0; o < outputs; o++)
            {
                for (var c = 0; c < channels; c++)
                {
                    for (var i = 0; i < kh; i++)
                    {
                        for (var j = 0; j < kw; j++)
                        {
                            flipped[(((c * outputs) + o) * kh * kw) + ((kh - 1 - i) * kw) + (kw - 1 - j)] = w[(((o * channels) + c) * kh * kw) + (i * kw) + j];
                        }
                    }
                }
            }

            return Of(window with { Channels = outputs }, flipped.AsSpan(0, w.Length));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(flipped);
        }
    }

    /// <summary>output [O′ × Positions] += the kernels correlated with <paramref name="image"/> [C × H × W]; columns is scratch.</summary>
    public void Add(ReadOnlySpan<float> image, Span<float> columns, Span<float> output)
    {
        var unfolded = columns[..ColumnsLength];
        _unfolding.Im2Col(image, unfolded);
        Backprop.Gemm.MultiplyOnThisThread(_kernels, unfolded, output, Window.Positions, beta: 1f);
    }

    public void Dispose()
    {
        _unfolding.Dispose();
        _kernels.Dispose();
    }
}
