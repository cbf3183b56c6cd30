using System;
using System.Buffers;

namespace Backprop.Kernels.Gemm;

/// <summary>
/// The left operand op(A) of many products, packed once: a convolution multiplies the same kernels by every image, and
/// packing them again for each image cost as much as a fifth of the product at the CNN sample's shapes (measured: 1.7 of
/// 7.1 ms for 128 images at [64 × 576]·[576 × 49], AVX2, AMD EPYC Zen 5). The panels are in the order
/// the blocked product reads them: for each depth block of <see cref="GemmBlocking.KC"/>, all rows in MR-row panels.
/// Rented storage; <see cref="Dispose"/> returns it.
/// </summary>
internal readonly struct PackedLeft : IDisposable
{
    private readonly float[] _panels;

    private PackedLeft(GemmPath path, int rows, int depth, float[] panels) => (Path, Rows, Depth, _panels) = (path, rows, depth, panels);

    /// <summary>False for <c>default</c>: no panels, op(A) is packed block by block as the product goes.</summary>
    public bool IsPacked => _panels is not null;

    /// <summary>The micro-kernel the panels were packed for (its MR).</summary>
    public GemmPath Path { get; }

    /// <summary>Rows of op(A): m.</summary>
    public int Rows { get; }

    /// <summary>Columns of op(A): k.</summary>
    public int Depth { get; }

    /// <summary>
    /// Packs op(A) [m × k] (A stored m × k row-major, or k × m when <paramref name="transposed"/>) for the widest
    /// micro-kernel this machine has.
    /// </summary>
    public static PackedLeft Of(ReadOnlySpan<float> a, int m, int k, bool transposed) => Of(Backprop.Gemm.BestPath, a, m, k, transposed);

    /// <summary>Packs op(A) for the micro-kernel of <paramref name="path"/> (tests run every path; not the narrow one, which reads A in place).</summary>
    public static PackedLeft Of(GemmPath path, ReadOnlySpan<float> a, int m, int k, bool transposed)
    {
        if (path == GemmPath.Vector512Narrow)
        {
            throw new ArgumentException("The narrow AVX-512 path reads A where it lies; it has no packed form.", nameof(path));
        }

        var (mr, _) = GemmMicroKernel.TileOf(path);
        var height = RoundUp(m, mr);
        var panels = ArrayPool<float>.Shared.Rent(Math.Max(1, height * k));
        var lda = transposed ? m : k;
        for (var pc = 0; pc < k; pc += GemmBlocking.KC)
        {
            var kc = Math.Min(GemmBlocking.KC, k - pc);
            GemmPacking.PackA(a, lda, transposed, 0, m, pc, kc, mr, panels.AsSpan(pc * height, height * kc));
        }

        return new PackedLeft(path, m, k, panels);
    }

    /// <summary>The panels of rows [row, …) at depth block [pc, pc + kc); row is a multiple of MR.</summary>
    public ReadOnlySpan<float> Block(int pc, int kc, int row)
    {
        var (mr, _) = GemmMicroKernel.TileOf(Path);
        var height = RoundUp(Rows, mr);
        return _panels.AsSpan((pc * height) + (row * kc), (height - row) * kc);
    }

    public void Dispose()
    {
        if (_panels is not null)
        {
            ArrayPool<float>.Shared.Return(_panels);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
