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
            var panelRows = row0 + panel;
            if (transposed)
            {
                // op(A) = Aᵀ: the MR values of one depth step are contiguous in A.
                for (var p = 0; p < depth; p++)
                {
                    a.Slice(((p0 + p) * lda) + panelRows, height).CopyTo(packed.Slice(offset, height));
                    packed.Slice(offset + height, mr - height).Clear();
                    offset += mr;
                }

                continue;
            }

            // Row r of the panel, read along the depth: a strided write into the panel, one row at a time.
            for (var r = 0; r < mr; r++)
            {
                var destination = offset + r;
                if (r >= height)
                {
                    for (var p = 0; p < depth; p++, destination += mr)
                    {
                        packed[destination] = 0f;
                    }

                    continue;
                }

                var source = a.Slice(((panelRows + r) * lda) + p0, depth);
                for (var p = 0; p < depth; p++, destination += mr)
                {
                    packed[destination] = source[p];
                }
            }

            offset += mr * depth;
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
            var panelColumns = col0 + panel;
            if (!transposed)
            {
                // The NR values of one depth step are contiguous in B.
                for (var p = 0; p < depth; p++)
                {
                    b.Slice(((p0 + p) * ldb) + panelColumns, width).CopyTo(packed.Slice(offset, width));
                    packed.Slice(offset + width, nr - width).Clear();
                    offset += nr;
                }

                continue;
            }

            // op(B) = Bᵀ: column c of the panel is row c of B, read along the depth into a strided slot of the panel.
            for (var c = 0; c < nr; c++)
            {
                var destination = offset + c;
                if (c >= width)
                {
                    for (var p = 0; p < depth; p++, destination += nr)
                    {
                        packed[destination] = 0f;
                    }

                    continue;
                }

                var source = b.Slice(((panelColumns + c) * ldb) + p0, depth);
                for (var p = 0; p < depth; p++, destination += nr)
                {
                    packed[destination] = source[p];
                }
            }

            offset += nr * depth;
        }
    }
}
