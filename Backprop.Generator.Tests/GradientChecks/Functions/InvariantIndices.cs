using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Backward loops whose element indices add to the loop's counter an offset that does not change in the loop (a row's
/// start, r · 3): the offset is worked out once before the loop (InvariantIndices). And one whose offset the loop itself
/// changes, which is left where it is read.
/// </summary>
public static partial class InvariantIndices
{
    /// <summary>A local rows × 3 matrix filled from x and y, then each element's x·sin(x) summed, row by row.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 3 })]
    public static double RowsOfAMatrix(double x, double y, int rows)
    {
        double[] m = new double[rows * 3];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                m[(r * 3) + c] = (x * (r + 1)) - (y * c * x);
            }
        }

        double s = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                s += Math.Sin(m[(r * 3) + c]) * m[(r * 3) + c] * y;
            }
        }

        return s;
    }

    /// <summary>A near miss: the offset reads a local the loop over the columns steps, so it is read where it stands.</summary>
    [Differentiable, Sample(-1.2, 1.2, Ints = new[] { 3 })]
    public static double OffsetTheLoopSteps(double x, double y, int rows)
    {
        double[] m = new double[rows * 9];
        int start = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                m[(start * 2) + c] = (x * (r + 1)) - (y * c * x);
                start = start + 1;
            }
        }

        double s = 0;
        for (int i = 0; i < m.Length; i++)
        {
            s += Math.Sin(m[i]) * m[i] * y;
        }

        return s;
    }
}
