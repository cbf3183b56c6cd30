using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels.Gemm;

/// <summary>
/// Copies blocks of A and B into the order the micro-kernel reads them: A as MR-row panels (MR values per
/// depth step), B as NR-column panels (NR values per depth step), zero-padded to whole panels. The transposed
/// variants read the source the other way round, so Aᵀ·B and A·Bᵀ never materialise a transpose.
/// The packing routines, the blocked driver (<see cref="Backprop.Gemm.Blocks(GemmPath, ReadOnlySpan{float}, int, bool, in PackedOperand, ReadOnlySpan{float}, int, bool, in PackedOperand, Span{float}, int, int, int, int, int, int, float)"/>)
/// and the narrow one are compiled optimised from their first call, as the micro-kernels are, not tiered with a profile:
/// the code dynamic PGO made of them depended on which products ran first — in one process of every MLP shape the 256-bit
/// products ran 10–20 % slower after an unrelated change moved it (X·W1 81–85 against 91–93 GFLOP/s), and with them
/// fixed 92–95; the 128-bit ones 40 → 47 (AMD EPYC Zen 5, `gemm-rounds`, alternating).
/// </summary>
internal static class GemmPacking
{
    /// <summary>
    /// Packs rows [row0, row0 + rows) × depth [p0, p0 + depth) of op(A) into MR-row panels; A as stored is m × k
    /// row-major, or k × m when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(ReadOnlySpan<float> a, int lda, bool transposed, int row0, int rows, int p0, int depth, int mr, Span<float> packed)
    {
        var offset = 0;
        for (var panel = 0; panel < rows; panel += mr)
        {
            var height = Math.Min(mr, rows - panel);
            var panelRows = row0 + panel;
            if (transposed)
            {
                // op(A) = Aᵀ: the MR values of one depth step are contiguous in A.
                Gather(a, (p0 * lda) + panelRows, lda, height, depth, mr, packed.Slice(offset, mr * depth));
                offset += mr * depth;
                continue;
            }

            // Row r of the panel, read along the depth: a strided write into the panel, one row at a time.
            Interleave(a, (panelRows * lda) + p0, lda, height, depth, mr, packed.Slice(offset, mr * depth));
            offset += mr * depth;
        }
    }

    /// <summary>
    /// Packs depth [p0, p0 + depth) × columns [col0, col0 + cols) of op(B) into NR-column panels; B as stored is
    /// k × n row-major, or n × k when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(ReadOnlySpan<float> b, int ldb, bool transposed, int p0, int depth, int col0, int cols, int nr, Span<float> packed)
    {
        var offset = 0;
        for (var panel = 0; panel < cols; panel += nr)
        {
            var width = Math.Min(nr, cols - panel);
            var panelColumns = col0 + panel;
            if (!transposed)
            {
                // The NR values of one depth step are contiguous in B.
                Gather(b, (p0 * ldb) + panelColumns, ldb, width, depth, nr, packed.Slice(offset, nr * depth));
                offset += nr * depth;
                continue;
            }

            // op(B) = Bᵀ: column c of the panel is row c of B, read along the depth into a strided slot of the panel.
            Interleave(b, (panelColumns * ldb) + p0, ldb, width, depth, nr, packed.Slice(offset, nr * depth));
            offset += nr * depth;
        }
    }

    /// <summary>
    /// packed[p·stride + c] = source[start + p·ld + c] for c &lt; count (0 for count ≤ c &lt; stride), p &lt; depth: rows
    /// of a block copied into panel order, without bounds checks (the slices are checked once, up front). A whole
    /// panel row of 8, 16 or 32 floats is copied with a size the JIT knows, so it becomes a few vector moves rather
    /// than a call to memmove per depth step (with the 4 × 4 transposes below: products 1.02–1.08× faster at the MLP
    /// shapes and 1.13× at 1024³ on an AVX2 machine). The 6-row panels of the 256- and 128-bit paths (a transposed A) and
    /// the scalar path's 4 are whole widths too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather(ReadOnlySpan<float> source, int start, int ld, int count, int depth, int stride, Span<float> packed)
    {
        if (depth > 0)
        {
            _ = source.Slice(start, ((depth - 1) * ld) + count); // the last row read must lie inside the source
        }

        _ = packed.Slice(0, stride * depth);
        ref var from = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(source), start));
        ref var to = ref Unsafe.As<float, byte>(ref MemoryMarshal.GetReference(packed));
        switch (count == stride ? count : 0)
        {
            case 4:
                GatherWhole(ref from, ld, depth, ref to, 4);
                return;
            case 6:
                GatherWhole(ref from, ld, depth, ref to, 6);
                return;
            case 8:
                GatherWhole(ref from, ld, depth, ref to, 8);
                return;
            case 16:
                GatherWhole(ref from, ld, depth, ref to, 16);
                return;
            case 32:
                GatherWhole(ref from, ld, depth, ref to, 32);
                return;
        }

        // A partial panel (the last columns of B; all of a 10-column output's): each row and its zero padding in masked
        // vector moves where the machine has them. A call to memmove and one to memset per row cost more than the product
        // itself: 128 × 128 × 10 took 8.6 µs against 3.8 for 16 columns (AMD EPYC Zen 5, AVX-512).
        if (Avx512F.IsSupported && stride % Vector512<float>.Count == 0)
        {
            GatherMasked512(ref Unsafe.As<byte, float>(ref from), ld, count, depth, ref Unsafe.As<byte, float>(ref to), stride);
            return;
        }

        if (Avx.IsSupported && stride % Vector256<float>.Count == 0)
        {
            GatherMasked256(ref Unsafe.As<byte, float>(ref from), ld, count, depth, ref Unsafe.As<byte, float>(ref to), stride);
            return;
        }

        ref var source0 = ref Unsafe.As<byte, float>(ref from);
        ref var packed0 = ref Unsafe.As<byte, float>(ref to);
        for (var p = 0; p < depth; p++)
        {
            ref var row = ref Unsafe.Add(ref source0, p * ld);
            ref var destination = ref Unsafe.Add(ref packed0, p * stride);
            var c = 0;
            for (; c < count; c++)
            {
                Unsafe.Add(ref destination, c) = Unsafe.Add(ref row, c);
            }

            for (; c < stride; c++)
            {
                Unsafe.Add(ref destination, c) = 0f;
            }
        }
    }

    /// <summary>
    /// Gather of a partial panel with AVX-512: per depth step, each 16 floats of the panel row loaded under a mask of the
    /// columns that exist (a masked load reads nothing past them) and stored whole, zeros in the padding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void GatherMasked512(ref float from, int ld, int count, int depth, ref float to, int stride)
    {
        fixed (float* source = &from, packed = &to)
        {
            for (var j = 0; j < stride; j += Vector512<float>.Count)
            {
                var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count - j)).AsSingle();
                for (var p = 0; p < depth; p++)
                {
                    Avx512F.MaskLoad(source + ((nint)p * ld) + j, mask, Vector512<float>.Zero).Store(packed + ((nint)p * stride) + j);
                }
            }
        }
    }

    /// <summary><see cref="GatherMasked512"/> with 256-bit vectors (AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void GatherMasked256(ref float from, int ld, int count, int depth, ref float to, int stride)
    {
        fixed (float* source = &from, packed = &to)
        {
            for (var j = 0; j < stride; j += Vector256<float>.Count)
            {
                var mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count - j)).AsSingle();
                for (var p = 0; p < depth; p++)
                {
                    Avx.MaskLoad(source + ((nint)p * ld) + j, mask).Store(packed + ((nint)p * stride) + j);
                }
            }
        }
    }

    /// <summary>Gather with no padding and a panel width the JIT sees as a constant once this is inlined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GatherWhole(ref byte from, int ld, int depth, ref byte to, int width)
    {
        var bytes = width * sizeof(float);
        for (var p = 0; p < depth; p++)
        {
            Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref to, p * bytes), ref Unsafe.Add(ref from, p * ld * sizeof(float)), (uint)bytes);
        }
    }

    /// <summary>
    /// packed[p·stride + r] = source[start + r·ld + p] for r &lt; count (0 for count ≤ r &lt; stride), p &lt; depth: the
    /// transpose of a count × depth block into panel order. Four source rows at a time, without bounds checks
    /// (the slices are checked once, up front).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave(ReadOnlySpan<float> source, int start, int ld, int count, int depth, int stride, Span<float> packed)
    {
        if (count > 0)
        {
            _ = source.Slice(start, ((count - 1) * ld) + depth); // the last row read must lie inside the source
        }

        _ = packed.Slice(0, stride * depth);
        ref var from = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), start);
        ref var to = ref MemoryMarshal.GetReference(packed);
        var r = 0;
        for (; Avx.IsSupported && r + 8 <= count; r += 8)
        {
            ref var row0 = ref Unsafe.Add(ref from, r * ld);
            ref var slot = ref Unsafe.Add(ref to, r);
            for (var p = Transpose8(ref row0, ld, depth, ref slot, stride); p < depth; p++)
            {
                ref var destination = ref Unsafe.Add(ref slot, p * stride);
                for (var i = 0; i < 8; i++)
                {
                    Unsafe.Add(ref destination, i) = Unsafe.Add(ref row0, (i * ld) + p);
                }
            }
        }

        for (; r + 4 <= count; r += 4)
        {
            ref var row0 = ref Unsafe.Add(ref from, r * ld);
            ref var row1 = ref Unsafe.Add(ref row0, ld);
            ref var row2 = ref Unsafe.Add(ref row1, ld);
            ref var row3 = ref Unsafe.Add(ref row2, ld);
            ref var slot = ref Unsafe.Add(ref to, r);
            var p = Sse.IsSupported ? Transpose4(ref row0, ref row1, ref row2, ref row3, depth, ref slot, stride) : 0;
            for (; p < depth; p++)
            {
                ref var destination = ref Unsafe.Add(ref slot, p * stride);
                destination = Unsafe.Add(ref row0, p);
                Unsafe.Add(ref destination, 1) = Unsafe.Add(ref row1, p);
                Unsafe.Add(ref destination, 2) = Unsafe.Add(ref row2, p);
                Unsafe.Add(ref destination, 3) = Unsafe.Add(ref row3, p);
            }
        }

        // The 6-row panels of the 256- and 128-bit paths end in a pair of rows: two at a time, as pairs of floats (one by
        // one they took a third of the packing; 128 × 256 × 128 3–5 % faster at 256 bits, 2–3 % at 128; AMD EPYC Zen 5).
        for (; r + 2 <= count; r += 2)
        {
            ref var row0 = ref Unsafe.Add(ref from, r * ld);
            ref var row1 = ref Unsafe.Add(ref row0, ld);
            ref var slot = ref Unsafe.Add(ref to, r);
            var p = Sse.IsSupported ? Transpose2(ref row0, ref row1, depth, ref slot, stride) : 0;
            for (; p < depth; p++)
            {
                ref var destination = ref Unsafe.Add(ref slot, p * stride);
                destination = Unsafe.Add(ref row0, p);
                Unsafe.Add(ref destination, 1) = Unsafe.Add(ref row1, p);
            }
        }

        for (; r < count; r++)
        {
            ref var row = ref Unsafe.Add(ref from, r * ld);
            ref var slot = ref Unsafe.Add(ref to, r);
            for (var p = 0; p < depth; p++)
            {
                Unsafe.Add(ref slot, p * stride) = Unsafe.Add(ref row, p);
            }
        }

        for (; r < stride; r++)
        {
            ref var slot = ref Unsafe.Add(ref to, r);
            for (var p = 0; p < depth; p++)
            {
                Unsafe.Add(ref slot, p * stride) = 0f;
            }
        }
    }

    /// <summary>
    /// The 4-row step of <see cref="Interleave"/>, four depth steps at a time: a 4 × 4 block transposed in registers
    /// (unpack, then move halves) and stored as four 16-byte writes instead of sixteen single floats. Returns the
    /// depth steps done; the caller finishes the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Transpose4(ref float row0, ref float row1, ref float row2, ref float row3, int depth, ref float slot, int stride)
    {
        var p = 0;
        for (; p + 4 <= depth; p += 4)
        {
            var a = Vector128.LoadUnsafe(ref row0, (nuint)p);
            var b = Vector128.LoadUnsafe(ref row1, (nuint)p);
            var c = Vector128.LoadUnsafe(ref row2, (nuint)p);
            var d = Vector128.LoadUnsafe(ref row3, (nuint)p);
            var (first, second, third, fourth) = Transpose4x4(a, b, c, d);
            ref var destination = ref Unsafe.Add(ref slot, p * stride);
            first.StoreUnsafe(ref destination);
            second.StoreUnsafe(ref Unsafe.Add(ref destination, stride));
            third.StoreUnsafe(ref Unsafe.Add(ref destination, 2 * stride));
            fourth.StoreUnsafe(ref Unsafe.Add(ref destination, 3 * stride));
        }

        return p;
    }

    /// <summary>
    /// The 8-row step of <see cref="Interleave"/> with AVX, eight depth steps at a time: an 8 × 8 block transposed in
    /// registers (unpack pairs, shuffle quads, swap 128-bit halves) and stored as eight 32-byte writes, half the stores of
    /// the 4 × 4 step (AVX-512 products with a transposed B 2–3 % faster, 128 × 128 × 256 Bᵀ 179 → 184 GFLOP/s; the 256-bit
    /// ones level; AMD EPYC Zen 5). Returns the depth steps done; the caller finishes the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Transpose8(ref float row0, int ld, int depth, ref float slot, int stride)
    {
        ref var row1 = ref Unsafe.Add(ref row0, ld);
        ref var row2 = ref Unsafe.Add(ref row1, ld);
        ref var row3 = ref Unsafe.Add(ref row2, ld);
        ref var row4 = ref Unsafe.Add(ref row3, ld);
        ref var row5 = ref Unsafe.Add(ref row4, ld);
        ref var row6 = ref Unsafe.Add(ref row5, ld);
        ref var row7 = ref Unsafe.Add(ref row6, ld);
        var p = 0;
        for (; p + 8 <= depth; p += 8)
        {
            var (a, b) = (Vector256.LoadUnsafe(ref row0, (nuint)p), Vector256.LoadUnsafe(ref row1, (nuint)p));
            var (c, d) = (Vector256.LoadUnsafe(ref row2, (nuint)p), Vector256.LoadUnsafe(ref row3, (nuint)p));
            var (e, f) = (Vector256.LoadUnsafe(ref row4, (nuint)p), Vector256.LoadUnsafe(ref row5, (nuint)p));
            var (g, h) = (Vector256.LoadUnsafe(ref row6, (nuint)p), Vector256.LoadUnsafe(ref row7, (nuint)p));
            var ab0 = Avx.UnpackLow(a, b);  // a0 b0 a1 b1 | a4 b4 a5 b5
            var ab1 = Avx.UnpackHigh(a, b); // a2 b2 a3 b3 | a6 b6 a7 b7
            var cd0 = Avx.UnpackLow(c, d);
            var cd1 = Avx.UnpackHigh(c, d);
            var ef0 = Avx.UnpackLow(e, f);
            var ef1 = Avx.UnpackHigh(e, f);
            var gh0 = Avx.UnpackLow(g, h);
            var gh1 = Avx.UnpackHigh(g, h);
            var abcd0 = Avx.Shuffle(ab0, cd0, 0x44); // a0 b0 c0 d0 | a4 b4 c4 d4
            var abcd1 = Avx.Shuffle(ab0, cd0, 0xEE); // a1 b1 c1 d1 | a5 b5 c5 d5
            var abcd2 = Avx.Shuffle(ab1, cd1, 0x44);
            var abcd3 = Avx.Shuffle(ab1, cd1, 0xEE);
            var efgh0 = Avx.Shuffle(ef0, gh0, 0x44); // e0 f0 g0 h0 | e4 f4 g4 h4
            var efgh1 = Avx.Shuffle(ef0, gh0, 0xEE);
            var efgh2 = Avx.Shuffle(ef1, gh1, 0x44);
            var efgh3 = Avx.Shuffle(ef1, gh1, 0xEE);
            ref var destination = ref Unsafe.Add(ref slot, p * stride);
            Avx.Permute2x128(abcd0, efgh0, 0x20).StoreUnsafe(ref destination);                           // depth p
            Avx.Permute2x128(abcd1, efgh1, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, stride));
            Avx.Permute2x128(abcd2, efgh2, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, 2 * stride));
            Avx.Permute2x128(abcd3, efgh3, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, 3 * stride));
            Avx.Permute2x128(abcd0, efgh0, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 4 * stride)); // depth p + 4
            Avx.Permute2x128(abcd1, efgh1, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 5 * stride));
            Avx.Permute2x128(abcd2, efgh2, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 6 * stride));
            Avx.Permute2x128(abcd3, efgh3, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 7 * stride));
        }

        return p;
    }

    /// <summary>
    /// The 2-row step of <see cref="Interleave"/>, four depth steps at a time: the two rows' values interleaved in registers
    /// (a0 b0 a1 b1, a2 b2 a3 b3) and stored as four 8-byte pairs instead of eight single floats. Returns the depth steps
    /// done; the caller finishes the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int Transpose2(ref float row0, ref float row1, int depth, ref float slot, int stride)
    {
        var p = 0;
        fixed (float* destination = &slot)
        {
            for (; p + 4 <= depth; p += 4)
            {
                var a = Vector128.LoadUnsafe(ref row0, (nuint)p);
                var b = Vector128.LoadUnsafe(ref row1, (nuint)p);
                var low = Sse.UnpackLow(a, b);   // a0 b0 a1 b1
                var high = Sse.UnpackHigh(a, b); // a2 b2 a3 b3
                var at = destination + ((nint)p * stride);
                Sse.StoreLow(at, low);
                Sse.StoreHigh(at + stride, low);
                Sse.StoreLow(at + (2 * stride), high);
                Sse.StoreHigh(at + (3 * stride), high);
            }
        }

        return p;
    }

    /// <summary>
    /// The 4 × 4 block whose rows are a, b, c, d, transposed in registers (unpack, then move halves): returns its columns
    /// (a0 b0 c0 d0), (a1 b1 c1 d1), …. Callers check <see cref="Sse.IsSupported"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector128<float>, Vector128<float>, Vector128<float>, Vector128<float>) Transpose4x4(
        Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        var abLow = Sse.UnpackLow(a, b);   // a0 b0 a1 b1
        var cdLow = Sse.UnpackLow(c, d);   // c0 d0 c1 d1
        var abHigh = Sse.UnpackHigh(a, b); // a2 b2 a3 b3
        var cdHigh = Sse.UnpackHigh(c, d); // c2 d2 c3 d3
        return (Sse.MoveLowToHigh(abLow, cdLow), Sse.MoveHighToLow(cdLow, abLow), Sse.MoveLowToHigh(abHigh, cdHigh), Sse.MoveHighToLow(cdHigh, abHigh));
    }
}
