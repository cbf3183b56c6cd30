using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels.Gemm;

/// <summary>
/// Products with a narrow output (the 10-class layer: C is m × 10), where packed 8 × 32 tiles would be two-thirds
/// padding and packing A would cost more than the multiply: B is packed once into 16-column panels (zero-padded),
/// A is read where it lies, and each tile of C is added with masked stores — 8 × 16 with one AVX-512 vector per row,
/// or 6 × 16 with two 256-bit vectors per row on AVX2 machines (12 accumulators, as the 256-bit micro-kernel), where
/// the packed path spilled every tile of a 10-column output to the stack and added it back one float at a time; or
/// 3 × 12 with three 128-bit vectors per row where 128 bits is the widest (Arm, x86 without AVX2): 12-column panels, so
/// a 10-column output computes 12 columns where the 6 × 8 micro-kernel computed 16 and packed A besides.
/// </summary>
internal static class GemmNarrow
{
    private const int Rows = 8;
    private const int Rows256 = 6;
    private const int Width = 16;
    // Three rows, not four: without FMA each multiply-add needs a register for the product, and 4 × 3 accumulators, three
    // of B, the broadcast of A and the product are 17 of x86's 16 vector registers; the JIT kept one accumulator on the
    // stack, whose add then waited on a store and a reload every depth step (19 GFLOP/s at 128 × 128 × 10 against 26).
    private const int Rows128 = 3;
    private const int Width128 = 12;

    /// <summary>
    /// C[m × n] += alpha · op(A) · op(B), for any n (in 16-column panels), with AVX-512 (<see cref="GemmPath.Vector512Narrow"/>)
    /// or AVX (<see cref="GemmPath.Vector256Narrow"/>); in 12-column panels with 128-bit vectors (<see cref="GemmPath.Vector128Narrow"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(GemmPath path, ReadOnlySpan<float> a, int lda, bool transposeA, ReadOnlySpan<float> b, int ldb, bool transposeB,
        Span<float> c, int m, int n, int k, float alpha)
    {
        var (rows, panelWidth) = path switch
        {
            GemmPath.Vector512Narrow => (Rows, Width),
            GemmPath.Vector256Narrow => (Rows256, Width),
            _ => (Rows128, Width128),
        };
        var panel = ArrayPool<float>.Shared.Rent(k * panelWidth);
        try
        {
            for (var column = 0; column < n; column += panelWidth)
            {
                var width = Math.Min(panelWidth, n - column);
                GemmPacking.PackB(b, ldb, transposeB, 0, k, column, width, panelWidth, panel);
                for (var row = 0; row < m; row += rows)
                {
                    var tile = c.Slice((row * n) + column);
                    var tileRows = Math.Min(rows, m - row);
                    switch (path)
                    {
                        case GemmPath.Vector512Narrow:
                            Tile(a, lda, transposeA, row, tileRows, m, panel, k, tile, n, width, alpha);
                            break;
                        case GemmPath.Vector256Narrow:
                            Tile256(a, lda, transposeA, row, tileRows, m, panel, k, tile, n, width, alpha);
                            break;
                        default:
                            Tile128(a, lda, transposeA, row, tileRows, m, panel, k, tile, n, width, alpha);
                            break;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(panel);
        }
    }

    /// <summary>
    /// Where each of a tile's rows of op(A) starts in <paramref name="a"/> (into <paramref name="offsets"/>, one per tile
    /// row), and the stride of one depth step, after checking once that every element the tile reads lies inside A and
    /// the panel. op(A)[i, p] is a[i·lda + p], or a[p·lda + i] when transposed; rows past m repeat the last row, and
    /// their sums are never stored.
    /// </summary>
    private static int RowOffsets(ReadOnlySpan<float> a, int lda, bool transposeA, int row, int m, ReadOnlySpan<float> panel, int k, int panelWidth,
        Span<int> offsets)
    {
        var (rowStride, depthStride) = transposeA ? (1, lda) : (lda, 1);
        for (var r = 0; r < offsets.Length; r++)
        {
            offsets[r] = Math.Min(row + r, m - 1) * rowStride;
        }

        _ = a.Slice(0, ((m - 1) * rowStride) + ((k - 1) * depthStride) + 1);
        _ = panel.Slice(0, k * panelWidth);
        return depthStride;
    }

    /// <summary>One 8 × 16 tile: rows [row, row + rows) of op(A) times the packed panel, added into C under a column mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile(ReadOnlySpan<float> a, int lda, bool transposeA, int row, int rows, int m, ReadOnlySpan<float> panel, int k,
        Span<float> c, int ldc, int width, float alpha)
    {
        Span<int> offsets = stackalloc int[Rows];
        var depthStride = RowOffsets(a, lda, transposeA, row, m, panel, k, Width, offsets);
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(panel);
        ref var a0 = ref Unsafe.Add(ref pa, offsets[0]);
        ref var a1 = ref Unsafe.Add(ref pa, offsets[1]);
        ref var a2 = ref Unsafe.Add(ref pa, offsets[2]);
        ref var a3 = ref Unsafe.Add(ref pa, offsets[3]);
        ref var a4 = ref Unsafe.Add(ref pa, offsets[4]);
        ref var a5 = ref Unsafe.Add(ref pa, offsets[5]);
        ref var a6 = ref Unsafe.Add(ref pa, offsets[6]);
        ref var a7 = ref Unsafe.Add(ref pa, offsets[7]);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (var p = 0; p < k; p++)
        {
            var bp = Vector512.LoadUnsafe(ref pb, (nuint)(p * Width));
            var d = p * depthStride;
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a0, d)), bp, c0);
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a1, d)), bp, c1);
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a2, d)), bp, c2);
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a3, d)), bp, c3);
            c4 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a4, d)), bp, c4);
            c5 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a5, d)), bp, c5);
            c6 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a6, d)), bp, c6);
            c7 = Vector512.MultiplyAddEstimate(Vector512.Create(Unsafe.Add(ref a7, d)), bp, c7);
        }

        var scale = Vector512.Create(alpha);
        var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();
        fixed (float* pc = c)
        {
            Store(pc, 0, ldc, rows, mask, c0 * scale);
            Store(pc, 1, ldc, rows, mask, c1 * scale);
            Store(pc, 2, ldc, rows, mask, c2 * scale);
            Store(pc, 3, ldc, rows, mask, c3 * scale);
            Store(pc, 4, ldc, rows, mask, c4 * scale);
            Store(pc, 5, ldc, rows, mask, c5 * scale);
            Store(pc, 6, ldc, rows, mask, c6 * scale);
            Store(pc, 7, ldc, rows, mask, c7 * scale);
        }
    }

    /// <summary>C row += value in the columns the mask selects (masked loads and stores never touch memory outside C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, int row, int ldc, int rows, Vector512<float> mask, Vector512<float> value)
    {
        if (row < rows)
        {
            var address = c + ((nint)row * ldc);
            Avx512F.MaskStore(address, mask, Avx512F.MaskLoad(address, mask, Vector512<float>.Zero) + value);
        }
    }

    /// <summary>One 6 × 16 tile with 256-bit vectors (two per row), as <see cref="Tile"/>; a right half with no column in C is not stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile256(ReadOnlySpan<float> a, int lda, bool transposeA, int row, int rows, int m, ReadOnlySpan<float> panel, int k,
        Span<float> c, int ldc, int width, float alpha)
    {
        Span<int> offsets = stackalloc int[Rows256];
        var depthStride = RowOffsets(a, lda, transposeA, row, m, panel, k, Width, offsets);
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(panel);
        ref var a0 = ref Unsafe.Add(ref pa, offsets[0]);
        ref var a1 = ref Unsafe.Add(ref pa, offsets[1]);
        ref var a2 = ref Unsafe.Add(ref pa, offsets[2]);
        ref var a3 = ref Unsafe.Add(ref pa, offsets[3]);
        ref var a4 = ref Unsafe.Add(ref pa, offsets[4]);
        ref var a5 = ref Unsafe.Add(ref pa, offsets[5]);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref pb, (nuint)(p * Width));
            var b1 = Vector256.LoadUnsafe(ref pb, (nuint)((p * Width) + 8));
            var d = p * depthStride;
            var x0 = Vector256.Create(Unsafe.Add(ref a0, d));
            c00 = Vector256.MultiplyAddEstimate(x0, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(x0, b1, c01);
            var x1 = Vector256.Create(Unsafe.Add(ref a1, d));
            c10 = Vector256.MultiplyAddEstimate(x1, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(x1, b1, c11);
            var x2 = Vector256.Create(Unsafe.Add(ref a2, d));
            c20 = Vector256.MultiplyAddEstimate(x2, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(x2, b1, c21);
            var x3 = Vector256.Create(Unsafe.Add(ref a3, d));
            c30 = Vector256.MultiplyAddEstimate(x3, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(x3, b1, c31);
            var x4 = Vector256.Create(Unsafe.Add(ref a4, d));
            c40 = Vector256.MultiplyAddEstimate(x4, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(x4, b1, c41);
            var x5 = Vector256.Create(Unsafe.Add(ref a5, d));
            c50 = Vector256.MultiplyAddEstimate(x5, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(x5, b1, c51);
        }

        var scale = Vector256.Create(alpha);
        var left = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(width)).AsSingle();
        var right = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(width - 8)).AsSingle();
        fixed (float* pc = c)
        {
            Store(pc, 0, ldc, rows, left, right, c00 * scale, c01 * scale);
            Store(pc, 1, ldc, rows, left, right, c10 * scale, c11 * scale);
            Store(pc, 2, ldc, rows, left, right, c20 * scale, c21 * scale);
            Store(pc, 3, ldc, rows, left, right, c30 * scale, c31 * scale);
            Store(pc, 4, ldc, rows, left, right, c40 * scale, c41 * scale);
            Store(pc, 5, ldc, rows, left, right, c50 * scale, c51 * scale);
        }
    }

    /// <summary>C row += (low, high) in the columns the masks select; the high half only where it has a column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, int row, int ldc, int rows, Vector256<float> left, Vector256<float> right,
        Vector256<float> low, Vector256<float> high)
    {
        if (row < rows)
        {
            var address = c + ((nint)row * ldc);
            Avx.MaskStore(address, left, Avx.MaskLoad(address, left) + low);
            if (right != Vector256<float>.Zero)
            {
                Avx.MaskStore(address + 8, right, Avx.MaskLoad(address + 8, right) + high);
            }
        }
    }

    /// <summary>
    /// One 3 × 12 tile with 128-bit vectors (three per row, 9 accumulators), as <see cref="Tile"/>; the columns of a
    /// vector that reaches past C's are added one by one (no masked stores: Arm and SSE have none).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static unsafe void Tile128(ReadOnlySpan<float> a, int lda, bool transposeA, int row, int rows, int m, ReadOnlySpan<float> panel, int k,
        Span<float> c, int ldc, int width, float alpha)
    {
        Span<int> offsets = stackalloc int[Rows128];
        var depthStride = RowOffsets(a, lda, transposeA, row, m, panel, k, Width128, offsets);
        Vector128<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector128<float> c20 = default, c21 = default, c22 = default;
        fixed (float* pa = a, pb = panel)
        {
            float* a0 = pa + offsets[0], a1 = pa + offsets[1], a2 = pa + offsets[2];
            var bp = pb;
            nint d = 0;
            for (var p = 0; p < k; p++, bp += Width128, d += depthStride)
            {
                var b0 = Vector128.Load(bp);
                var b1 = Vector128.Load(bp + 4);
                var b2 = Vector128.Load(bp + 8);
                var x0 = GemmMicroKernel.Broadcast128(a0 + d);
                c00 = Vector128.MultiplyAddEstimate(x0, b0, c00);
                c01 = Vector128.MultiplyAddEstimate(x0, b1, c01);
                c02 = Vector128.MultiplyAddEstimate(x0, b2, c02);
                var x1 = GemmMicroKernel.Broadcast128(a1 + d);
                c10 = Vector128.MultiplyAddEstimate(x1, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(x1, b1, c11);
                c12 = Vector128.MultiplyAddEstimate(x1, b2, c12);
                var x2 = GemmMicroKernel.Broadcast128(a2 + d);
                c20 = Vector128.MultiplyAddEstimate(x2, b0, c20);
                c21 = Vector128.MultiplyAddEstimate(x2, b1, c21);
                c22 = Vector128.MultiplyAddEstimate(x2, b2, c22);
            }
        }

        var scale = Vector128.Create(alpha);
        fixed (float* pc = c)
        {
            Store(pc, 0, ldc, rows, width, c00 * scale, c01 * scale, c02 * scale);
            Store(pc, 1, ldc, rows, width, c10 * scale, c11 * scale, c12 * scale);
            Store(pc, 2, ldc, rows, width, c20 * scale, c21 * scale, c22 * scale);
        }
    }

    /// <summary>C row += (v0, v1, v2) in its first <paramref name="width"/> columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, int row, int ldc, int rows, int width, Vector128<float> v0, Vector128<float> v1, Vector128<float> v2)
    {
        if (row < rows)
        {
            var address = c + ((nint)row * ldc);
            Add(address, width, v0);
            Add(address + 4, width - 4, v1);
            Add(address + 8, width - 8, v2);
        }
    }

    /// <summary>c[0..columns) += value's first lanes: the whole vector when it fits, else lane by lane (none when columns ≤ 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Add(float* c, int columns, Vector128<float> value)
    {
        if (columns >= 4)
        {
            (Vector128.Load(c) + value).Store(c);
            return;
        }

        for (var j = 0; j < columns; j++)
        {
            c[j] += value.GetElement(j);
        }
    }
}
