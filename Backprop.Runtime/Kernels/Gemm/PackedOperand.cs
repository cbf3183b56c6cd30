using System;
using System.Buffers;

namespace Backprop.Kernels.Gemm;

/// <summary>
/// One operand of many products, packed once: a convolution multiplies the same kernels by every image, and packing
/// them again for each image cost as much as a fifth of the product at the CNN sample's shapes (1.7 of 8.4 ms for 128
/// images at [64 × 576]·[576 × 49], AVX2, AMD EPYC Zen 5). The panels are in the order the blocked product reads them:
/// for each depth block of <see cref="GemmBlocking.KC"/>, the whole operand in MR-row panels (a left operand op(A)) or
/// NR-column panels (a right operand op(B)), in rented storage, which <see cref="Dispose"/> returns. Each thread of a split
/// product packs the operand all its shares read this way, for itself (<see cref="GemmWorkers"/>).
/// </summary>
internal readonly struct PackedOperand : IDisposable
{
    private readonly float[]? _rented; // storage this operand returns to the pool on Dispose
    private readonly int _length;
    private readonly int _panel; // MR for a left operand, NR for a right one

    private PackedOperand(GemmPath path, int extent, int depth, float[] rented, int length, bool left)
    {
        (Path, Extent, Depth, IsLeft, _rented, _length) = (path, extent, depth, left, rented, length);
        var (mr, nr) = GemmMicroKernel.TileOf(path);
        _panel = left ? mr : nr;
    }

    /// <summary>False for <c>default</c>: no panels, the operand is packed block by block as the product goes.</summary>
    public bool IsPacked => _rented is not null;

    /// <summary>True for op(A) in MR-row panels, false for op(B) in NR-column panels.</summary>
    public bool IsLeft { get; }

    /// <summary>The micro-kernel the panels were packed for.</summary>
    public GemmPath Path { get; }

    /// <summary>Rows of op(A) (m) for a left operand, columns of op(B) (n) for a right one.</summary>
    public int Extent { get; }

    /// <summary>The depth k both operands share.</summary>
    public int Depth { get; }

    /// <summary>
    /// Packs op(A) [m × k] (A stored m × k row-major, or k × m when <paramref name="transposed"/>) for the micro-kernel
    /// of <paramref name="path"/> (default: the widest this machine has).
    /// </summary>
    public static PackedOperand Left(ReadOnlySpan<float> a, int m, int k, bool transposed, GemmPath? path = null) =>
        Pack(a, m, k, transposed, path, left: true);

    /// <summary>Packs op(B) [k × n] (B stored k × n row-major, or n × k when <paramref name="transposed"/>).</summary>
    public static PackedOperand Right(ReadOnlySpan<float> b, int k, int n, bool transposed, GemmPath? path = null) =>
        Pack(b, n, k, transposed, path, left: false);

    private Span<float> Panels => _rented.AsSpan(0, _length);

    /// <summary>The panels of [start, …) (rows or columns; a multiple of the panel width) at depth block [pc, pc + kc).</summary>
    public ReadOnlySpan<float> Block(int pc, int kc, int start)
    {
        var height = GemmBlocking.RoundUp(Extent, _panel);
        return Panels.Slice((pc * height) + (start * kc), (height - start) * kc);
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<float>.Shared.Return(_rented);
        }
    }

    /// <summary>Floats the panels of an operand of <paramref name="extent"/> rows (left) or columns (right) and depth k take.</summary>
    public static int LengthOf(GemmPath path, int extent, int k, bool left)
    {
        var (mr, nr) = GemmMicroKernel.TileOf(path);
        return Math.Max(1, GemmBlocking.RoundUp(extent, left ? mr : nr) * k);
    }

    /// <summary>Packs every row (left) or column (right) of the operand, at every depth block.</summary>
    private void PackPanels(ReadOnlySpan<float> source, bool transposed)
    {
        var height = GemmBlocking.RoundUp(Extent, _panel);
        // Stored extent × k, or k × extent when transposed (for the right operand the other way round).
        var ld = IsLeft == transposed ? Extent : Depth;
        for (var pc = 0; pc < Depth; pc += GemmBlocking.KC)
        {
            var kc = Math.Min(GemmBlocking.KC, Depth - pc);
            var panels = Panels.Slice(pc * height, height * kc);
            if (IsLeft)
            {
                GemmPacking.PackA(source, ld, transposed, 0, Extent, pc, kc, _panel, panels);
            }
            else
            {
                GemmPacking.PackB(source, ld, transposed, pc, kc, 0, Extent, _panel, panels);
            }
        }
    }

    private static PackedOperand Pack(ReadOnlySpan<float> source, int extent, int k, bool transposed, GemmPath? path, bool left)
    {
        var kernel = path ?? Backprop.Gemm.BestPath;
        if (kernel is GemmPath.Vector512Narrow or GemmPath.Vector256Narrow or GemmPath.Vector128Narrow)
        {
            throw new ArgumentException("The narrow paths read A where it lies and pack B themselves; they have no packed operand.", nameof(path));
        }

        var length = LengthOf(kernel, extent, k, left);
        var operand = new PackedOperand(kernel, extent, k, ArrayPool<float>.Shared.Rent(length), length, left);
        operand.PackPanels(source, transposed);
        return operand;
    }
}
