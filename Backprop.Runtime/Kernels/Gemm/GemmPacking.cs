using System;

namespace Backprop.Kernels.Gemm;

/// <summary>
/// Copies blocks of A and B into the order the micro-kernel reads them: A as MR-row panels (MR values per
/// depth step), B as NR-column panels (NR values per depth step), zero-padded to whole panels. The transposed
/// variants read the source the other way round, so Aᵀ·B and A·Bᵀ never materialise a transpose.
/// </summary>
internal static class GemmPacking
{
    /// <summary>
    /// Packs rows [row0, row0 + rows) × depth [p0, p0 + depth) of op(A) into MR-row panels; A as stored is m × k
    /// row-major, or k × m when transposed.
    /// </summary>
    public static void PackA(ReadOnlySpan<float> a, int lda, bool transposed, int row0, int rows, int p0, int depth, int mr, Span<float> packed)
    {
        var offset = 0;
        for (var panel = 0; panel < rows; panel += mr)
        {
            var height = Math.Min(mr, rows - panel);
            for (var p = 0; p < depth; p++)
            {
                for (var r = 0; r < mr; r++)
                {
                    packed[offset++] = r >= height
                        ? 0f
                        : transposed ? a[((p0 + p) * lda) + row0 + panel + r] : a[((row0 + panel + r) * lda) + p0 + p];
                }
            }
        }
    }

    /// <summary>
    /// Packs depth [p0, p0 + depth) × columns [col0, col0 + cols) of op(B) into NR-column panels; B as stored is
    /// k × n row-major, or n × k when transposed.
    /// </summary>
    public static void PackB(ReadOnlySpan<float> b, int ldb, bool transposed, int p0, int depth, int col0, int cols, int nr, Span<float> packed)
    {
        var offset = 0;
        for (var panel = 0; panel < cols; panel += nr)
        {
            var width = Math.Min(nr, cols - panel);
            for (var p = 0; p < depth; p++)
            {
                if (!transposed && width == nr)
                {
                    b.Slice(((p0 + p) * ldb) + col0 + panel, nr).CopyTo(packed.Slice(offset, nr));
                    offset += nr;
                    continue;
                }

                for (var c = 0; c < nr; c++)
                {
                    packed[offset++] = c >= width
                        ? 0f
                        : transposed ? b[((col0 + panel + c) * ldb) + p0 + p] : b[((p0 + p) * ldb) + col0 + panel + c];
                }
            }
        }
    }
}
