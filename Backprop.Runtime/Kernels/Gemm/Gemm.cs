using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Backprop.Kernels.Common;
using Backprop.Kernels.Gemm;

namespace Backprop;

/// <summary>
/// Single-precision matrix multiply, <c>C = alpha · op(A) · op(B) + beta · C</c>, all row-major and contiguous.
/// </summary>
/// <remarks>
/// Legend: op(X) is X, or Xᵀ when its transpose flag is set; shapes are op(A): m × k, op(B): k × n, C: m × n.
/// So the backward passes of <c>Y = X·W</c> are <c>dX = dY·Wᵀ</c> (<c>transposeB</c>) and <c>dW = Xᵀ·dY</c>
/// (<c>transposeA</c>), with no transpose ever materialised: the packing reads the source the other way round.
/// Blocked and packed for the caches (<see cref="GemmBlocking"/>), register-tiled with FMA on the widest vectors
/// the machine has, and split across cores when the work is large enough.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// Computes <c>C = alpha · op(A) · op(B) + beta · C</c>.
    /// </summary>
    /// <param name="a">A: m × k row-major, or k × m when <paramref name="transposeA"/>.</param>
    /// <param name="b">B: k × n row-major, or n × k when <paramref name="transposeB"/>.</param>
    /// <param name="c">C: m × n row-major; read only when <paramref name="beta"/> is not 0.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="transposeA">Multiply by Aᵀ (A stored k × m).</param>
    /// <param name="transposeB">Multiply by Bᵀ (B stored n × k).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the C already there: 0 overwrites, 1 accumulates.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape needs, or a dimension is negative.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, float alpha = 1f, float beta = 0f) =>
        Multiply(PathFor(n), a, b, c, m, n, k, transposeA, transposeB, alpha, beta, allowParallel: true);

    /// <summary>
    /// C = A·B (+ β·C) on the calling thread only, for callers that already share their work out across cores (a
    /// convolution runs a product per image, its images split between threads).
    /// </summary>
    internal static void MultiplyOnThisThread(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, float beta = 0f) =>
        Multiply(PathFor(n), a, b, c, m, n, k, transposeA, transposeB, 1f, beta, allowParallel: false);

    /// <summary>
    /// C = op(A)·op(B) (+ β·C) on the calling thread, with op(A) packed once beforehand (<see cref="PackedOperand.Left"/>):
    /// a convolution multiplies its kernels by every image.
    /// </summary>
    internal static void MultiplyOnThisThread(in PackedOperand a, ReadOnlySpan<float> b, Span<float> c, int n, bool transposeB = false, float beta = 0f)
    {
        var (m, k) = (a.Extent, a.Depth);
        Validate(m * k, b.Length, c.Length, m, n, k, transposeA: false, transposeB);
        var output = Scaled(c, m * n, beta);
        if (m != 0 && n != 0 && k != 0)
        {
            Blocks(a.Path, default, 0, false, a, b, transposeB ? k : n, transposeB, default, output, n, 0, m, 0, n, k, 1f);
        }
    }

    /// <summary>C = op(A)·op(B) (+ β·C) on the calling thread, with op(B) packed once beforehand (<see cref="PackedOperand.Right"/>).</summary>
    internal static void MultiplyOnThisThread(ReadOnlySpan<float> a, in PackedOperand b, Span<float> c, int m, bool transposeA = false, float beta = 0f)
    {
        var (n, k) = (b.Extent, b.Depth);
        Validate(a.Length, k * n, c.Length, m, n, k, transposeA, transposeB: false);
        var output = Scaled(c, m * n, beta);
        if (m != 0 && n != 0 && k != 0)
        {
            Blocks(b.Path, a, transposeA ? m : k, transposeA, default, default, 0, false, b, output, n, 0, m, 0, n, k, 1f);
        }
    }

    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Cores one product may use (default: all). Products below about two million multiply-adds always run on the
    /// calling thread; larger ones are split into equal shares run by persistent helper threads (no allocation).
    /// </summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set => s_maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Gemm.MaxThreads must be at least 1.");
    }

    /// <summary>The widest micro-kernel this machine accelerates.</summary>
    internal static GemmPath BestPath => Simd.Best switch
    {
        SimdWidth.Vector512 => GemmPath.Vector512,
        SimdWidth.Vector256 => GemmPath.Vector256,
        SimdWidth.Vector128 => GemmPath.Vector128,
        _ => GemmPath.Scalar,
    };

    /// <summary>
    /// The path a product with <paramref name="n"/> output columns runs: a narrow kernel for n ≤ 16 where the machine has
    /// one (n ≤ 12 on 128-bit vectors, whose narrow panels are 12 columns: 13–16 would compute 24).
    /// </summary>
    internal static GemmPath PathFor(int n) => (BestPath, n <= 16) switch
    {
        (GemmPath.Vector512, true) when IsSupported(GemmPath.Vector512Narrow) => GemmPath.Vector512Narrow,
        (GemmPath.Vector256, true) when IsSupported(GemmPath.Vector256Narrow) => GemmPath.Vector256Narrow,
        (GemmPath.Vector128, true) when n <= 12 && IsSupported(GemmPath.Vector128Narrow) => GemmPath.Vector128Narrow,
        _ => BestPath,
    };

    /// <summary>
    /// True when this machine can run <paramref name="path"/>: the 512- and 256-bit narrow kernels need AVX-512F or AVX
    /// themselves (masked stores) and their width accelerated, the others (the 128-bit narrow one included) need their
    /// width accelerated.
    /// </summary>
    internal static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Vector512Narrow => Avx512F.IsSupported,
        GemmPath.Vector256Narrow => Avx.IsSupported && Simd.IsAccelerated(SimdWidth.Vector256),
        GemmPath.Vector128Narrow => Simd.IsAccelerated(SimdWidth.Vector128),
        GemmPath.Vector512 => Simd.IsAccelerated(SimdWidth.Vector512),
        GemmPath.Vector256 => Simd.IsAccelerated(SimdWidth.Vector256),
        GemmPath.Vector128 => Simd.IsAccelerated(SimdWidth.Vector128),
        _ => true,
    };

    internal static unsafe void Multiply(GemmPath path, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        bool transposeA, bool transposeB, float alpha, float beta, bool allowParallel)
    {
        Validate(a.Length, b.Length, c.Length, m, n, k, transposeA, transposeB);
        var output = Scaled(c, m * n, beta);
        if (m == 0 || n == 0 || k == 0 || alpha == 0f)
        {
            return;
        }

        var lda = transposeA ? m : k;
        var ldb = transposeB ? k : n;
        if (path is GemmPath.Vector512Narrow or GemmPath.Vector256Narrow or GemmPath.Vector128Narrow)
        {
            GemmNarrow.Multiply(path, a, lda, transposeA, b, ldb, transposeB, output, m, n, k, alpha);
            return;
        }

        var (threads, splitColumns, extent, tile) = allowParallel ? Split(path, m, n, k) : (1, false, m, 1);
        if (threads < 2)
        {
            Blocks(path, a, lda, transposeA, b, ldb, transposeB, output, n, 0, m, 0, n, k, alpha);
            return;
        }

        // Where the operand every share reads is small enough to pack whole (the MLP's products, up to 1024³), each thread
        // packs it for itself and claims columns (rows) of C as it finishes, in shrinking claims; otherwise equal shares,
        // each packing what it reads block by block.
        var claims = PackedOperand.LengthOf(path, splitColumns ? m : n, k, left: splitColumns) <= GemmBlocking.SharedOperandLimit;
        Span<GemmWorkers.Job> shares = stackalloc GemmWorkers.Job[threads];
        var claimed = stackalloc int[1];
        *claimed = 0;
        fixed (float* pa = a, pb = b, pc = output)
        {
            var job = new GemmWorkers.Job
            {
                Path = path, A = pa, B = pb, C = pc, ALength = a.Length, BLength = b.Length, CLength = output.Length,
                Lda = lda, Ldb = ldb, N = n, M = m, K = k, TransposeA = transposeA, TransposeB = transposeB,
                SplitColumns = splitColumns, Alpha = alpha,
            };
            if (claims)
            {
                shares.Fill(job with { Claimed = claimed, Threads = threads });
            }
            else
            {
                var tiles = (extent + tile - 1) / tile;
                for (var i = 0; i < threads; i++)
                {
                    shares[i] = job with
                    {
                        Start = Math.Min(extent, tiles * i / threads * tile),
                        End = Math.Min(extent, tiles * (i + 1) / threads * tile),
                    };
                }
            }

            if (!GemmWorkers.TryRun(shares))
            {
                Blocks(path, a, lda, transposeA, b, ldb, transposeB, output, n, 0, m, 0, n, k, alpha);
            }
        }
    }

    /// <summary>
    /// How many threads a product of m × k by k × n on <paramref name="path"/> runs on (1: the calling thread alone), and
    /// whether they split C by columns or by rows: shares on tile boundaries, at least one tile each, of the extent split
    /// (n or m) in tiles of NR columns or MR rows. The longer side of C is split (columns when there are at least as many
    /// as rows), so each thread packs the smaller operand whole for itself — op(A) for a split by columns, op(B) by rows —
    /// and a tall C's shares are whole rows, contiguous, as Adam and the element-wise passes split them. Splitting the MLP's
    /// weight gradient Xᵀ·dY (784 × 128 × 256) by rows rather than columns: 282–293 → 311–313 GFLOP/s on two threads,
    /// 512 × 784 × 256 331–335 → 350–359; batch-512 training steps 8 % faster on two threads, batch 128 2–3 % (AMD EPYC Zen 5,
    /// AVX-512, alternating in one process).
    /// </summary>
    private static (int Threads, bool SplitColumns, int Extent, int Tile) Split(GemmPath path, int m, int n, int k)
    {
        if (path is GemmPath.Vector512Narrow or GemmPath.Vector256Narrow or GemmPath.Vector128Narrow
            || (long)m * n * k < GemmBlocking.ParallelThreshold || MaxThreads < 2 || Environment.ProcessorCount < 2)
        {
            return (1, false, m, 1);
        }

        var (mr, nr) = GemmMicroKernel.TileOf(path);
        var threads = Math.Min(MaxThreads, Environment.ProcessorCount);
        var (rowsFit, columnsFit) = (m >= 2 * threads * mr, n >= 2 * threads * nr);
        var splitColumns = columnsFit && (n >= m || !rowsFit);
        var (extent, tile) = splitColumns ? (n, nr) : (m, mr);
        return (Math.Min(threads, (extent + tile - 1) / tile), splitColumns, extent, tile);
    }

    /// <summary>
    /// True when a product of m × k by k × n (<see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool, bool, float, float)"/>) runs on more than one core: then each core writes a share of C,
    /// which stays in that core's cache (<see cref="Tensor.WrittenAcrossCores"/>).
    /// </summary>
    internal static bool SplitsAcrossCores(int m, int n, int k) => Split(PathFor(n), m, n, k).Threads > 1;

    /// <summary>C[rows, columns] += alpha · op(A)[rows, :] · op(B)[:, columns], block by block (the GotoBLAS loop order).</summary>
    internal static void Blocks(GemmPath path, ReadOnlySpan<float> a, int lda, bool transposeA, ReadOnlySpan<float> b, int ldb, bool transposeB,
        Span<float> c, int ldc, int rowStart, int rowEnd, int columnStart, int columnEnd, int k, float alpha) =>
        Blocks(path, a, lda, transposeA, default, b, ldb, transposeB, default, c, ldc, rowStart, rowEnd, columnStart, columnEnd, k, alpha);

    /// <summary>
    /// <see cref="Blocks(GemmPath, ReadOnlySpan{float}, int, bool, ReadOnlySpan{float}, int, bool, Span{float}, int, int, int, int, int, int, float)"/>,
    /// reading op(A)'s panels from <paramref name="left"/> and op(B)'s from <paramref name="right"/> where they are packed
    /// (a or b is then unused); rows in blocks of a whole number of panels when A is packed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Blocks(GemmPath path, ReadOnlySpan<float> a, int lda, bool transposeA, in PackedOperand left, ReadOnlySpan<float> b, int ldb, bool transposeB,
        in PackedOperand right, Span<float> c, int ldc, int rowStart, int rowEnd, int columnStart, int columnEnd, int k, float alpha)
    {
        var (mr, nr) = GemmMicroKernel.TileOf(path);
        var rowBlock = left.IsPacked ? GemmBlocking.MC / mr * mr : GemmBlocking.MC;
        var packedA = left.IsPacked ? Array.Empty<float>() : ArrayPool<float>.Shared.Rent(GemmBlocking.RoundUp(GemmBlocking.MC, mr) * GemmBlocking.KC);
        var packedB = right.IsPacked ? Array.Empty<float>() : ArrayPool<float>.Shared.Rent(GemmBlocking.RoundUp(GemmBlocking.NC, nr) * GemmBlocking.KC);

        // B as stored (not transposed) has each depth step's NR columns side by side: the first row panel's micro-kernel
        // reads them there and packs them for the rest (GemmMicroKernel.RunPacking); only a partial last panel is packed first.
        var packOnTheWay = !right.IsPacked && !transposeB && GemmMicroKernel.PacksOnTheWay(path);
        try
        {
            for (var jc = columnStart; jc < columnEnd; jc += GemmBlocking.NC)
            {
                var nc = Math.Min(GemmBlocking.NC, columnEnd - jc);
                var wholePanels = packOnTheWay ? nc / nr * nr : 0; // columns of this block packed on the way
                for (var pc = 0; pc < k; pc += GemmBlocking.KC)
                {
                    var kc = Math.Min(GemmBlocking.KC, k - pc);
                    ReadOnlySpan<float> panelsB = packedB;
                    if (right.IsPacked)
                    {
                        panelsB = right.Block(pc, kc, jc);
                    }
                    else if (wholePanels < nc)
                    {
                        GemmPacking.PackB(b, ldb, transposeB, pc, kc, jc + wholePanels, nc - wholePanels, nr, packedB.AsSpan(wholePanels * kc));
                    }

                    for (var ic = rowStart; ic < rowEnd; ic += rowBlock)
                    {
                        var mc = Math.Min(rowBlock, rowEnd - ic);
                        ReadOnlySpan<float> panelsA = packedA;
                        if (left.IsPacked)
                        {
                            panelsA = left.Block(pc, kc, ic);
                        }
                        else
                        {
                            GemmPacking.PackA(a, lda, transposeA, ic, mc, pc, kc, mr, packedA);
                        }

                        for (var jr = 0; jr < nc; jr += nr)
                        {
                            var panelB = panelsB.Slice(jr * kc, nr * kc);
                            var ir = 0;
                            if (ic == rowStart && jr < wholePanels)
                            {
                                GemmMicroKernel.RunPacking(path, panelsA.Slice(0, mr * kc), b.Slice((pc * ldb) + jc + jr), ldb, packedB.AsSpan(jr * kc, nr * kc), kc,
                                    c.Slice((ic * ldc) + jc + jr), ldc, Math.Min(mr, mc), nr, alpha);
                                ir = mr;
                            }

                            for (; ir < mc; ir += mr)
                            {
                                GemmMicroKernel.Run(path, panelsA.Slice(ir * kc, mr * kc), panelB, kc,
                                    c.Slice(((ic + ir) * ldc) + jc + jr), ldc, Math.Min(mr, mc - ir), Math.Min(nr, nc - jr), alpha);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            if (!left.IsPacked)
            {
                ArrayPool<float>.Shared.Return(packedA);
            }

            if (!right.IsPacked)
            {
                ArrayPool<float>.Shared.Return(packedB);
            }
        }
    }

    /// <summary>The first <paramref name="length"/> floats of C times β (cleared for 0, left for 1).</summary>
    private static Span<float> Scaled(Span<float> c, int length, float beta)
    {
        var output = c.Slice(0, length);
        if (beta == 0f)
        {
            output.Clear();
        }
        else if (beta != 1f)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(output, beta, output);
        }

        return output;
    }

    private static void Validate(int aLength, int bLength, int cLength, int m, int n, int k, bool transposeA, bool transposeB)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"Gemm: dimensions must not be negative (m = {m}, n = {n}, k = {k}).");
        }

        // Shapes as text only on the error path: a valid call must not allocate.
        string AShape() => transposeA ? $"{k} × {m} (op(A) = Aᵀ: {m} × {k})" : $"{m} × {k}";
        string BShape() => transposeB ? $"{n} × {k} (op(B) = Bᵀ: {k} × {n})" : $"{k} × {n}";
        if ((long)m * k > aLength)
        {
            throw new ArgumentException($"Gemm: A must be {AShape()} = {(long)m * k} floats but has {aLength}; B is {BShape()}, C is {m} × {n}.", "a");
        }

        if ((long)k * n > bLength)
        {
            throw new ArgumentException($"Gemm: B must be {BShape()} = {(long)k * n} floats but has {bLength}; A is {AShape()}, C is {m} × {n}.", "b");
        }

        if ((long)m * n > cLength)
        {
            throw new ArgumentException($"Gemm: C must be {m} × {n} = {(long)m * n} floats but has {cLength}; A is {AShape()}, B is {BShape()}.", "c");
        }
    }
}
