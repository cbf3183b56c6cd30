using System;
using Backprop.Kernels;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>
/// The offset-major unfolding of size-keeping windows against <see cref="Window.Im2Col"/>/<see cref="Window.Col2ImAdd"/>,
/// the channel-major reference: the same entries bit for bit, only the rows in another order.
/// </summary>
public sealed class UnfoldingTests
{
    public static TheoryData<int, int, int, int, int> SizeKeepingWindows() => new()
    {
        // C, H, W, kernel (square), padding
        { 3, 8, 7, 3, 1 },
        { 1, 5, 5, 1, 0 },
        { 2, 6, 9, 5, 2 },
        { 4, 1, 6, 3, 1 },
        { 5, 7, 7, 3, 1 },
    };

    [Theory]
    [MemberData(nameof(SizeKeepingWindows))]
    public void Im2Col_IsTheChannelMajorUnfoldingWithItsRowsReordered(int c, int h, int w, int kernel, int padding)
    {
        var window = new Window(c, h, w, kernel, kernel, 1, padding);
        Assert.True(window.KeepsSize);
        AssertSameEntriesReordered(window, Image(c * h * w, seed: c + h + w));
    }

    [Fact]
    public void NonFinitePixels_NeverReachThePadding()
    {
        // ∞ and NaN on every border pixel: where a window reads padding the entry must be exactly +0, as the reference
        // writes it (a multiply by a 0/1 mask would make 0·∞ = NaN there); where it reads the pixel, the pixel.
        var window = new Window(2, 4, 5, 3, 3, 1, 1);
        var image = Image(2 * 4 * 5, seed: 11);
        for (var i = 0; i < image.Length; i++)
        {
            var (y, x) = Math.DivRem(i % 20, 5);
            if (y is 0 or 3 || x is 0 or 4)
            {
                image[i] = i % 2 == 0 ? float.PositiveInfinity : float.NaN;
            }
        }

        AssertSameEntriesReordered(window, image);
    }

    [Theory]
    [MemberData(nameof(SizeKeepingWindows))]
    public void Col2ImAdd_AddsWhatTheChannelMajorFoldingAdds(int c, int h, int w, int kernel, int padding)
    {
        var window = new Window(c, h, w, kernel, kernel, 1, padding);
        var columns = Image(window.Patch * window.Positions, seed: 5);
        var reordered = new float[columns.Length];
        for (var channel = 0; channel < c; channel++)
        {
            for (var offset = 0; offset < kernel * kernel; offset++)
            {
                columns.AsSpan(((channel * kernel * kernel) + offset) * window.Positions, window.Positions)
                    .CopyTo(reordered.AsSpan(((offset * c) + channel) * window.Positions));
            }
        }

        var expected = Image(c * h * w, seed: 7);
        var image = (float[])expected.Clone();
        window.Col2ImAdd(columns, expected);
        using var unfolding = Unfolding.Of(window, new float[window.Patch]);
        unfolding.Col2ImAdd(reordered, image);

        // Each pixel receives its additions in the same order (kernel offsets in turn), so the sums agree bit for bit.
        Assert.Equal(expected, image);
    }

    [Fact]
    public void OtherWindows_KeepTheChannelMajorRows()
    {
        var strided = new Window(2, 7, 7, 3, 3, 2, 1);
        var kernels = Image(strided.Patch, seed: 13);
        using var unfolding = Unfolding.Of(strided, kernels);
        Assert.False(strided.KeepsSize);
        Assert.False(unfolding.Reorders);
        Assert.True(unfolding.Kernels(kernels) == kernels.AsSpan());
    }

    /// <summary>Row (c·k + offset) of the reference is row (offset·C + c) of the unfolding, bit for bit; the kernels move the same way.</summary>
    private static void AssertSameEntriesReordered(Window window, float[] image)
    {
        var (c, offsets) = (window.Channels, window.KernelHeight * window.KernelWidth);
        var kernels = Image(2 * window.Patch, seed: 3);
        var expected = new float[window.Patch * window.Positions];
        window.Im2Col(image, expected);

        using var unfolding = Unfolding.Of(window, kernels);
        var columns = new float[expected.Length];
        Array.Fill(columns, -1f); // every entry must be written
        unfolding.Im2Col(image, columns);

        Assert.True(unfolding.Reorders);
        var reordered = unfolding.Kernels(kernels);
        for (var channel = 0; channel < c; channel++)
        {
            for (var offset = 0; offset < offsets; offset++)
            {
                var (from, to) = ((channel * offsets) + offset, (offset * c) + channel);
                for (var p = 0; p < window.Positions; p++)
                {
                    var (want, got) = (expected[(from * window.Positions) + p], columns[(to * window.Positions) + p]);
                    Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got),
                        $"channel {channel}, offset {offset}, position {p}: {got}, expected {want}");
                }

                for (var o = 0; o < 2; o++)
                {
                    Assert.Equal(kernels[(o * window.Patch) + from], reordered[(o * window.Patch) + to]);
                }
            }
        }
    }
    private static float[] Image(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
