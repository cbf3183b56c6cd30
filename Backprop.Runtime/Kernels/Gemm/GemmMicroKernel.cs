using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels.Gemm;

/// <summary>
/// The register-tiled micro-kernels: C[tile] += alpha · Apanel · Bpanel over a packed depth of kc, with FMA.
/// Every multiply-add is <c>MultiplyAddEstimate</c>, not <c>FusedMultiplyAdd</c>: both are one FMA instruction where
/// the hardware has it (AVX2 machines, Arm), but on x86 without FMA (<c>DOTNET_EnableAVX2=0</c>) the fused form is
/// emulated element by element and ran the 128-bit path at 0.3 GFLOP/s; the estimate is a multiply and an add (17.7 then,
/// 41–43 since <see cref="Kernel128{TSource, TRows}"/> broadcasts from memory; Zen 3).
/// One per vector width (each is its own method so tests run every path on AVX-512 machines), and a scalar one.
/// The vector kernels skip zeroing their locals: the edge tile they <c>stackalloc</c> after the depth loop is written
/// whole before it is read, and zeroing it is a helper call — across which no vector register survives, so without
/// dynamic PGO (<c>DOTNET_TieredPGO=0</c>, NativeAOT) the JIT stored every accumulator to the stack on every depth step
/// (Kernel512 ran 3.4× slower; with PGO the hot loop's weight kept them in registers).
/// Packed panels: A holds MR values per depth step, B holds NR (or B is read where it lies and packed on the way, <see cref="RunPacking"/>); C is row-major with stride ldc.
/// </summary>
internal static class GemmMicroKernel
{
    /// <summary>Register tile (MR rows × NR columns) of each path.</summary>
    public static (int MR, int NR) TileOf(GemmPath path) => path switch
    {
        GemmPath.Vector512 => (8, 32),
        GemmPath.Vector256 => (6, 16),
        GemmPath.Vector128 => (6, 8),
        _ => (4, 4),
    };

    public static void Run(GemmPath path, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int kc, Span<float> c, int ldc, int rows, int cols, float alpha)
    {
        switch (path)
        {
            case GemmPath.Vector512:
                Kernel512<FromPanel>(a, ref MemoryMarshal.GetReference(b), 32, ref Unsafe.NullRef<float>(), kc, c, ldc, rows, cols, alpha);
                break;
            case GemmPath.Vector256 when rows <= 2:
                Kernel256<FromPanel, TwoRows>(a, ref MemoryMarshal.GetReference(b), 16, ref Unsafe.NullRef<float>(), kc, c, ldc, rows, cols, alpha);
                break;
            case GemmPath.Vector256 when rows <= 4:
                Kernel256<FromPanel, FourRows>(a, ref MemoryMarshal.GetReference(b), 16, ref Unsafe.NullRef<float>(), kc, c, ldc, rows, cols, alpha);
                break;
            case GemmPath.Vector256:
                Kernel256<FromPanel, SixRows>(a, ref MemoryMarshal.GetReference(b), 16, ref Unsafe.NullRef<float>(), kc, c, ldc, rows, cols, alpha);
                break;
            case GemmPath.Vector128 when rows <= 2:
                Kernel128<FromPanel, TwoRows>(a, ref MemoryMarshal.GetReference(b), 8, ref Unsafe.NullRef<float>(), kc, c, ldc, rows, cols, alpha);
                break;
            case GemmPath.Vector128 when rows <= 4:
                Kernel128<FromPanel, FourRows>(a, ref MemoryMarshal.GetReference(b), 8, ref Unsafe.NullRef<float>(), kc, c, ldc, rows, cols, alpha);
                break;
            case GemmPath.Vector128:
                Kernel128<FromPanel, SixRows>(a, ref MemoryMarshal.GetReference(b), 8, ref Unsafe.NullRef<float>(), kc, c, ldc, rows, cols, alpha);
                break;
            default:
                KernelScalar(a, b, kc, c, ldc, rows, cols, alpha);
                break;
        }
    }

    /// <summary>True when the micro-kernels of <paramref name="path"/> can pack B's panel as they read it (<see cref="RunPacking"/>).</summary>
    public static bool PacksOnTheWay(GemmPath path) => path is GemmPath.Vector512 or GemmPath.Vector256 or GemmPath.Vector128;

    /// <summary>
    /// <see cref="Run"/> reading B where it lies (a row-major block whose NR columns at each depth step are contiguous, rows
    /// <paramref name="ldb"/> apart) and writing the panel <see cref="GemmPacking.PackB"/> would have made into
    /// <paramref name="panel"/> as it goes, for the other row panels to read: the first row panel of a block packs B on the
    /// way instead of a packing pass before it. That pass read B from L2 or L3 and wrote the panels back before any
    /// multiply began — 21 of 85 µs at 32 × 784 × 256 and 25 of 270 at 128 × 784 × 256 (AMD EPYC Zen 5, AVX-512); here the
    /// loads overlap the multiply-adds and the stores land in L1, where the next row panel reads them.
    /// </summary>
    public static void RunPacking(GemmPath path, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int ldb, Span<float> panel, int kc, Span<float> c, int ldc, int rows, int cols, float alpha)
    {
        var nr = TileOf(path).NR;
        _ = b.Slice(0, ((kc - 1) * ldb) + nr); // the last row read must lie inside B
        _ = panel.Slice(0, kc * nr);
        switch (path)
        {
            case GemmPath.Vector512:
                Kernel512<PackingPanel>(a, ref MemoryMarshal.GetReference(b), ldb, ref MemoryMarshal.GetReference(panel), kc, c, ldc, rows, cols, alpha);
                break;
            case GemmPath.Vector256:
                Kernel256<PackingPanel, SixRows>(a, ref MemoryMarshal.GetReference(b), ldb, ref MemoryMarshal.GetReference(panel), kc, c, ldc, rows, cols, alpha);
                break;
            case GemmPath.Vector128:
                Kernel128<PackingPanel, SixRows>(a, ref MemoryMarshal.GetReference(b), ldb, ref MemoryMarshal.GetReference(panel), kc, c, ldc, rows, cols, alpha);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "Only the vector micro-kernels pack B on the way.");
        }
    }

    /// <summary>How a micro-kernel reads B: from its packed panel (<see cref="FromPanel"/>) or from B itself, packing the panel as it goes (<see cref="PackingPanel"/>).</summary>
    internal interface IPanelSource;

    /// <summary>B read from its packed panel, NR floats per depth step.</summary>
    internal readonly struct FromPanel : IPanelSource;

    /// <summary>B read where it lies, each depth step's NR floats also stored into the panel.</summary>
    internal readonly struct PackingPanel : IPanelSource;

    /// <summary>8 × 32 register tile with Vector512 (two vectors per row, 16 accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void Kernel512<TSource>(ReadOnlySpan<float> a, ref float b, nint ldb, ref float panel, int kc, Span<float> c, int ldc, int rows, int cols, float alpha)
        where TSource : struct, IPanelSource
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        // Walk both panels by reference: no index arithmetic in the loop, only two pointer bumps.
        ref var ap = ref pa;
        ref var bp = ref b;
        for (var p = 0; p < kc; p++, ap = ref Unsafe.Add(ref ap, 8), bp = ref Unsafe.Add(ref bp, ldb))
        {
            var b0 = Vector512.LoadUnsafe(ref bp);
            var b1 = Vector512.LoadUnsafe(ref bp, 16);
            if (typeof(TSource) == typeof(PackingPanel))
            {
                b0.StoreUnsafe(ref panel);
                b1.StoreUnsafe(ref panel, 16);
                panel = ref Unsafe.Add(ref panel, 32);
            }

            var a0 = Vector512.Create(Unsafe.Add(ref ap, 0));
            c00 = Vector512.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector512.Create(Unsafe.Add(ref ap, 1));
            c10 = Vector512.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector512.Create(Unsafe.Add(ref ap, 2));
            c20 = Vector512.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector512.Create(Unsafe.Add(ref ap, 3));
            c30 = Vector512.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(a3, b1, c31);
            var a4 = Vector512.Create(Unsafe.Add(ref ap, 4));
            c40 = Vector512.MultiplyAddEstimate(a4, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(a4, b1, c41);
            var a5 = Vector512.Create(Unsafe.Add(ref ap, 5));
            c50 = Vector512.MultiplyAddEstimate(a5, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(a5, b1, c51);
            var a6 = Vector512.Create(Unsafe.Add(ref ap, 6));
            c60 = Vector512.MultiplyAddEstimate(a6, b0, c60);
            c61 = Vector512.MultiplyAddEstimate(a6, b1, c61);
            var a7 = Vector512.Create(Unsafe.Add(ref ap, 7));
            c70 = Vector512.MultiplyAddEstimate(a7, b0, c70);
            c71 = Vector512.MultiplyAddEstimate(a7, b1, c71);
        }

        var scale = Vector512.Create(alpha);
        if (rows == 8 && cols == 32)
        {
            ref var pc = ref MemoryMarshal.GetReference(c);
            Accumulate(ref Unsafe.Add(ref pc, 0 * ldc), c00 * scale, c01 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 1 * ldc), c10 * scale, c11 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 2 * ldc), c20 * scale, c21 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 3 * ldc), c30 * scale, c31 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 4 * ldc), c40 * scale, c41 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 5 * ldc), c50 * scale, c51 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 6 * ldc), c60 * scale, c61 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 7 * ldc), c70 * scale, c71 * scale);
            return;
        }

        // An edge tile: spill to a full tile, then add the part inside C.
        Span<float> tile = stackalloc float[256];
        (c00 * scale).CopyTo(tile.Slice(0, 16));
        (c01 * scale).CopyTo(tile.Slice(16, 16));
        (c10 * scale).CopyTo(tile.Slice(32, 16));
        (c11 * scale).CopyTo(tile.Slice(48, 16));
        (c20 * scale).CopyTo(tile.Slice(64, 16));
        (c21 * scale).CopyTo(tile.Slice(80, 16));
        (c30 * scale).CopyTo(tile.Slice(96, 16));
        (c31 * scale).CopyTo(tile.Slice(112, 16));
        (c40 * scale).CopyTo(tile.Slice(128, 16));
        (c41 * scale).CopyTo(tile.Slice(144, 16));
        (c50 * scale).CopyTo(tile.Slice(160, 16));
        (c51 * scale).CopyTo(tile.Slice(176, 16));
        (c60 * scale).CopyTo(tile.Slice(192, 16));
        (c61 * scale).CopyTo(tile.Slice(208, 16));
        (c70 * scale).CopyTo(tile.Slice(224, 16));
        (c71 * scale).CopyTo(tile.Slice(240, 16));
        AddTile(tile, 32, c, ldc, rows, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref float row, Vector512<float> low, Vector512<float> high)
    {
        (Vector512.LoadUnsafe(ref row) + low).StoreUnsafe(ref row);
        (Vector512.LoadUnsafe(ref row, 16) + high).StoreUnsafe(ref row, 16);
    }

    /// <summary>
    /// 6 × 16 register tile with Vector256 (two vectors per row, 12 accumulators); of a 6-row panel, only the first
    /// <typeparamref name="TRows"/> rows are multiplied (<see cref="IRowCount"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static void Kernel256<TSource, TRows>(ReadOnlySpan<float> a, ref float b, nint ldb, ref float panel, int kc, Span<float> c, int ldc, int rows, int cols, float alpha)
        where TSource : struct, IPanelSource
        where TRows : struct, IRowCount
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        // Walk both panels by reference, as Kernel512 does: the index arithmetic of `p * 16` and `p * 6` was ten integer
        // instructions a depth step beside twelve FMAs (512³ and 1024³ 1–3 % faster without them on Zen 3, AVX2).
        ref var ap = ref pa;
        ref var bp = ref b;
        for (var p = 0; p < kc; p++, ap = ref Unsafe.Add(ref ap, 6), bp = ref Unsafe.Add(ref bp, ldb))
        {
            var b0 = Vector256.LoadUnsafe(ref bp);
            var b1 = Vector256.LoadUnsafe(ref bp, 8);
            if (typeof(TSource) == typeof(PackingPanel))
            {
                b0.StoreUnsafe(ref panel);
                b1.StoreUnsafe(ref panel, 8);
                panel = ref Unsafe.Add(ref panel, 16);
            }

            var a0 = Vector256.Create(Unsafe.Add(ref ap, 0));
            c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector256.Create(Unsafe.Add(ref ap, 1));
            c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
            if (TRows.Rows > 2)
            {
                var a2 = Vector256.Create(Unsafe.Add(ref ap, 2));
                c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector256.Create(Unsafe.Add(ref ap, 3));
                c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
            }

            if (TRows.Rows > 4)
            {
                var a4 = Vector256.Create(Unsafe.Add(ref ap, 4));
                c40 = Vector256.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector256.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector256.Create(Unsafe.Add(ref ap, 5));
                c50 = Vector256.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector256.MultiplyAddEstimate(a5, b1, c51);
            }
        }

        var scale = Vector256.Create(alpha);
        if (TRows.Rows == 6 && rows == 6 && cols == 16)
        {
            ref var pc = ref MemoryMarshal.GetReference(c);
            Accumulate(ref Unsafe.Add(ref pc, 0 * ldc), c00 * scale, c01 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 1 * ldc), c10 * scale, c11 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 2 * ldc), c20 * scale, c21 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 3 * ldc), c30 * scale, c31 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 4 * ldc), c40 * scale, c41 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 5 * ldc), c50 * scale, c51 * scale);
            return;
        }

        // An edge tile: spill to a full tile, then add the part inside C.
        Span<float> tile = stackalloc float[96];
        (c00 * scale).CopyTo(tile.Slice(0, 8));
        (c01 * scale).CopyTo(tile.Slice(8, 8));
        (c10 * scale).CopyTo(tile.Slice(16, 8));
        (c11 * scale).CopyTo(tile.Slice(24, 8));
        (c20 * scale).CopyTo(tile.Slice(32, 8));
        (c21 * scale).CopyTo(tile.Slice(40, 8));
        (c30 * scale).CopyTo(tile.Slice(48, 8));
        (c31 * scale).CopyTo(tile.Slice(56, 8));
        (c40 * scale).CopyTo(tile.Slice(64, 8));
        (c41 * scale).CopyTo(tile.Slice(72, 8));
        (c50 * scale).CopyTo(tile.Slice(80, 8));
        (c51 * scale).CopyTo(tile.Slice(88, 8));
        AddTile(tile, 16, c, ldc, rows, cols);
    }

    /// <summary>
    /// The rows of a 6-row panel the 256- and 128-bit kernels multiply: all six, or only the first two or four for the last
    /// panel when that is all it holds (m = 32, 128, 512 leave two; 64, 256 leave four), where computing six cost as much
    /// as a full panel. 32 × 784 × 256 1–5 % faster at 256 bits, 10 % at 128; batch-32 training steps with AVX2 about 5 %
    /// (AMD EPYC Zen 5).
    /// </summary>
    internal interface IRowCount
    {
        static abstract int Rows { get; }
    }

    /// <summary>A whole panel.</summary>
    internal readonly struct SixRows : IRowCount
    {
        public static int Rows => 6;
    }

    /// <summary>An edge panel of three or four rows.</summary>
    internal readonly struct FourRows : IRowCount
    {
        public static int Rows => 4;
    }

    /// <summary>An edge panel of one or two rows.</summary>
    internal readonly struct TwoRows : IRowCount
    {
        public static int Rows => 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref float row, Vector256<float> low, Vector256<float> high)
    {
        (Vector256.LoadUnsafe(ref row) + low).StoreUnsafe(ref row);
        (Vector256.LoadUnsafe(ref row, 8) + high).StoreUnsafe(ref row, 8);
    }

    /// <summary>
    /// 6 × 8 register tile with Vector128 (two vectors per row, 12 accumulators). Where AVX is there without FMA (x86 with
    /// <c>DOTNET_EnableAVX2=0</c>, AVX-only CPUs) each multiply-add is a multiply and an add, and A's values are broadcast
    /// straight from memory (<c>vbroadcastss</c>, a load): the JIT's own broadcast of a loaded float is a load and a
    /// shuffle on the floating-point pipes, which took six of the thirty pipe slots of a depth step from the multiplies
    /// and adds. Of a 6-row panel, only the first <typeparamref name="TRows"/> rows are multiplied (<see cref="IRowCount"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    internal static unsafe void Kernel128<TSource, TRows>(ReadOnlySpan<float> a, ref float b, nint ldb, ref float panel, int kc, Span<float> c, int ldc, int rows, int cols, float alpha)
        where TSource : struct, IPanelSource
        where TRows : struct, IRowCount
    {
        Vector128<float> c00 = default, c01 = default;
        Vector128<float> c10 = default, c11 = default;
        Vector128<float> c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default;
        Vector128<float> c40 = default, c41 = default;
        Vector128<float> c50 = default, c51 = default;
        fixed (float* pa = a, pb = &b, pp = &panel)
        {
            // Walk both panels by pointer: no index arithmetic in the loop, only two pointer bumps.
            var ap = pa;
            var bp = pb;
            var copy = pp;
            for (var p = 0; p < kc; p++, ap += 6, bp += ldb)
            {
                var b0 = Vector128.Load(bp);
                var b1 = Vector128.Load(bp + 4);
                if (typeof(TSource) == typeof(PackingPanel))
                {
                    b0.Store(copy);
                    b1.Store(copy + 4);
                    copy += 8;
                }

                var a0 = Broadcast128(ap);
                c00 = Vector128.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector128.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Broadcast128(ap + 1);
                c10 = Vector128.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(a1, b1, c11);
                if (TRows.Rows > 2)
                {
                    var a2 = Broadcast128(ap + 2);
                    c20 = Vector128.MultiplyAddEstimate(a2, b0, c20);
                    c21 = Vector128.MultiplyAddEstimate(a2, b1, c21);
                    var a3 = Broadcast128(ap + 3);
                    c30 = Vector128.MultiplyAddEstimate(a3, b0, c30);
                    c31 = Vector128.MultiplyAddEstimate(a3, b1, c31);
                }

                if (TRows.Rows > 4)
                {
                    var a4 = Broadcast128(ap + 4);
                    c40 = Vector128.MultiplyAddEstimate(a4, b0, c40);
                    c41 = Vector128.MultiplyAddEstimate(a4, b1, c41);
                    var a5 = Broadcast128(ap + 5);
                    c50 = Vector128.MultiplyAddEstimate(a5, b0, c50);
                    c51 = Vector128.MultiplyAddEstimate(a5, b1, c51);
                }
            }
        }

        var scale = Vector128.Create(alpha);
        if (TRows.Rows == 6 && rows == 6 && cols == 8)
        {
            ref var pc = ref MemoryMarshal.GetReference(c);
            Accumulate(ref Unsafe.Add(ref pc, 0 * ldc), c00 * scale, c01 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 1 * ldc), c10 * scale, c11 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 2 * ldc), c20 * scale, c21 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 3 * ldc), c30 * scale, c31 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 4 * ldc), c40 * scale, c41 * scale);
            Accumulate(ref Unsafe.Add(ref pc, 5 * ldc), c50 * scale, c51 * scale);
            return;
        }

        // An edge tile: spill to a full tile, then add the part inside C.
        Span<float> tile = stackalloc float[48];
        (c00 * scale).CopyTo(tile.Slice(0, 4));
        (c01 * scale).CopyTo(tile.Slice(4, 4));
        (c10 * scale).CopyTo(tile.Slice(8, 4));
        (c11 * scale).CopyTo(tile.Slice(12, 4));
        (c20 * scale).CopyTo(tile.Slice(16, 4));
        (c21 * scale).CopyTo(tile.Slice(20, 4));
        (c30 * scale).CopyTo(tile.Slice(24, 4));
        (c31 * scale).CopyTo(tile.Slice(28, 4));
        (c40 * scale).CopyTo(tile.Slice(32, 4));
        (c41 * scale).CopyTo(tile.Slice(36, 4));
        (c50 * scale).CopyTo(tile.Slice(40, 4));
        (c51 * scale).CopyTo(tile.Slice(44, 4));
        AddTile(tile, 8, c, ldc, rows, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref float row, Vector128<float> low, Vector128<float> high)
    {
        (Vector128.LoadUnsafe(ref row) + low).StoreUnsafe(ref row);
        (Vector128.LoadUnsafe(ref row, 4) + high).StoreUnsafe(ref row, 4);
    }

    /// <summary>*x in every lane: one <c>vbroadcastss</c> from memory where AVX is there, the JIT's own broadcast otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe Vector128<float> Broadcast128(float* x) => Avx.IsSupported ? Avx.BroadcastScalarToVector128(x) : Vector128.Create(*x);

    /// <summary>4 × 4 tile in plain arithmetic, for hardware without vectors.</summary>
    internal static void KernelScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int kc, Span<float> c, int ldc, int rows, int cols, float alpha)
    {
        Span<float> tile = stackalloc float[16];
        for (var p = 0; p < kc; p++)
        {
            for (var r = 0; r < 4; r++)
            {
                var ar = a[(p * 4) + r];
                for (var j = 0; j < 4; j++)
                {
                    tile[(r * 4) + j] += ar * b[(p * 4) + j];
                }
            }
        }

        for (var i = 0; i < tile.Length; i++)
        {
            tile[i] *= alpha;
        }

        AddTile(tile, 4, c, ldc, rows, cols);
    }

    private static void AddTile(ReadOnlySpan<float> tile, int nr, Span<float> c, int ldc, int rows, int cols)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < cols; j++)
            {
                c[(r * ldc) + j] += tile[(r * nr) + j];
            }
        }
    }
}
