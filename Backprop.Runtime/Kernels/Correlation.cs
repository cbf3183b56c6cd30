using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Backprop.Kernels.Gemm;

namespace Backprop.Kernels;

/// <summary>
/// Kernels made ready to be correlated with many images: the <see cref="Unfolding"/> of their window, and the kernels in
/// its row order packed once for the product (<see cref="PackedOperand"/>). <see cref="Add"/> then costs one unfolding and
/// one product per image: kernels [O × Patch] · columns [Patch × Positions], or — where the positions fill the
/// micro-kernel's tiles better as rows than as columns — columnsᵀ · kernelsᵀ [Positions × O], added into the output
/// transposed. The sample's 7×7 planes (49 positions) fill 16- and 32-wide column panels to 77 % but 6- and 8-row panels
/// to 91 and 88 %.
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
    private readonly PackedOperand _kernels;
    private readonly bool _transposed; // the product is columnsᵀ · kernelsᵀ, its result added into the output transposed

    private Correlation(Window window, Unfolding unfolding, PackedOperand kernels, bool transposed) =>
        (Window, _unfolding, _kernels, _transposed) = (window, unfolding, kernels, transposed);

    /// <summary>The window the images are read through (its channels are the images' channels).</summary>
    public Window Window { get; }

    /// <summary>Floats of scratch <see cref="Add"/> needs for one image (0 for <c>default</c>).</summary>
    public int ColumnsLength => !_kernels.IsPacked ? 0 : (Window.Patch * Window.Positions) + (_transposed ? Window.Positions * _kernels.Extent : 0);

    /// <summary>Kernels w [O × C × kh × kw] over images read through <paramref name="window"/>.</summary>
    public static Correlation Of(Window window, ReadOnlySpan<float> w)
    {
        var unfolding = Unfolding.Of(window, w);
        var outputs = w.Length / window.Patch;
        var transposed = Transposes(window.Positions, outputs, window.Patch);
        var kernels = transposed
            ? PackedOperand.Right(unfolding.Kernels(w), window.Patch, outputs, transposed: true)
            : PackedOperand.Left(unfolding.Kernels(w), outputs, window.Patch, transposed: false);
        return new Correlation(window, unfolding, kernels, transposed);
    }

    /// <summary>
    /// True when positions as rows of the micro-kernel's tiles (and outputs as columns) pad the product less than the other
    /// way round, by more than the transposed addition of the result costs (counted as 8 multiply-adds an entry).
    /// </summary>
    private static bool Transposes(int positions, int outputs, int patch)
    {
        var (mr, nr) = GemmMicroKernel.TileOf(Backprop.Gemm.BestPath);
        var asColumns = (long)GemmBlocking.RoundUp(positions, nr) * GemmBlocking.RoundUp(outputs, mr);
        var asRows = (long)GemmBlocking.RoundUp(positions, mr) * GemmBlocking.RoundUp(outputs, nr);
        return (asColumns - asRows) * patch > 8L * positions * outputs;
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
        var positions = Window.Positions;
        var unfolded = columns[..(Window.Patch * positions)];
        _unfolding.Im2Col(image, unfolded);
        if (!_transposed)
        {
            Backprop.Gemm.MultiplyOnThisThread(_kernels, unfolded, output, positions, beta: 1f);
            return;
        }

        var outputs = _kernels.Extent;
        var product = columns.Slice(Window.Patch * positions, positions * outputs);
        Backprop.Gemm.MultiplyOnThisThread(unfolded, _kernels, product, positions, transposeA: true);
        AddTransposed(product, positions, outputs, output);
    }

    /// <summary>
    /// output [outputs × positions] += product [positions × outputs]ᵀ: 4 × 4 blocks transposed in registers where SSE is
    /// there (<see cref="GemmPacking.Transpose4x4"/>, the packing's transpose), one entry at a time at the edges.
    /// </summary>
    private static void AddTransposed(ReadOnlySpan<float> product, int positions, int outputs, Span<float> output)
    {
        _ = product[..(positions * outputs)];
        _ = output[..(positions * outputs)];
        ref var from = ref MemoryMarshal.GetReference(product);
        ref var to = ref MemoryMarshal.GetReference(output);
        var (p4, o4) = Sse.IsSupported ? (positions & ~3, outputs & ~3) : (0, 0);
        for (var p = 0; p < p4; p += 4)
        {
            for (var o = 0; o < o4; o += 4)
            {
                ref var source = ref Unsafe.Add(ref from, (p * outputs) + o);
                var a = Vector128.LoadUnsafe(ref source);                          // (p, o..o+3)
                var b = Vector128.LoadUnsafe(ref Unsafe.Add(ref source, outputs)); // (p + 1, …)
                var c = Vector128.LoadUnsafe(ref Unsafe.Add(ref source, 2 * outputs));
                var d = Vector128.LoadUnsafe(ref Unsafe.Add(ref source, 3 * outputs));
                var (first, second, third, fourth) = GemmPacking.Transpose4x4(a, b, c, d);
                ref var target = ref Unsafe.Add(ref to, (o * positions) + p);
                AddTo(ref target, first);                                       // (o, p..p+3)
                AddTo(ref Unsafe.Add(ref target, positions), second);
                AddTo(ref Unsafe.Add(ref target, 2 * positions), third);
                AddTo(ref Unsafe.Add(ref target, 3 * positions), fourth);
            }
        }

        for (var o = 0; o < outputs; o++)
        {
            // The entries the blocks left: positions past the last whole four for every output, and all positions of the
            // outputs past the last whole four.
            for (var p = o < o4 ? p4 : 0; p < positions; p++)
            {
                Unsafe.Add(ref to, (o * positions) + p) += Unsafe.Add(ref from, (p * outputs) + o);
            }
        }
    }

    private static void AddTo(ref float target, Vector128<float> values) => (Vector128.LoadUnsafe(ref target) + values).StoreUnsafe(ref target);

    public void Dispose()
    {
        _unfolding.Dispose();
        _kernels.Dispose();
    }
}
