using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// First writes into a fresh local array overwrite its zeros, which nothing going back reads: they keep nothing. And
/// writes that look alike but may not: a second write, a read of the zero before the write, a loop that reads an
/// element another pass writes.
/// </summary>
public static partial class FreshArrays
{
    /// <summary>Writes at constant indices, each element's first kept nothing; c[0] written again keeps its first value.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double ConstantIndexWrites(double x, double y)
    {
        double[] c = new double[3];
        c[0] = x * y;
        c[1] = Math.Sin(x);
        c[0] = c[0] * c[1];
        c[2] = c[0] + y;
        return c[0] + (c[1] * c[2]);
    }

    /// <summary>A loop that writes t[i] and then reads it: each pass writes its own element first.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 5 })]
    public static double LoopWritesEachElementFirst(double x, int n)
    {
        Span<double> t = stackalloc double[n];
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            t[i] = Math.Exp(x * i * 0.3);
            s += t[i] * t[i];
        }

        return s + (t[n / 2] * x);
    }

    /// <summary>Each pass reads the element the next pass writes (still zero, or the first one's): the writes keep what they overwrite.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 4 })]
    public static double LoopReadsAnotherPassesElement(double x, int n)
    {
        double[] t = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            t[i] = Math.Sin(x * (i + 1));
            s += t[(i + 1) % n] * t[i];
        }

        return s;
    }

    /// <summary>The zero is read before the first write: it is kept.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double ZeroReadBeforeTheWrite(double x, double y)
    {
        double[] t = new double[2];
        double z = (t[1] + 1) * x;
        t[1] = x * y;
        t[0] = Math.Cos(t[1]) * z;
        return t[0] * t[1];
    }

    /// <summary>A grid written row by row (element r * columns + c, each once) and read right after: nothing kept.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 3, 4 })]
    public static double GridWrittenRowByRow(double x, double y, int rows, int columns)
    {
        double[] grid = new double[rows * columns];
        double s = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                grid[(r * columns) + c] = Math.Sin((x * r) + (y * c));
                s += grid[(r * columns) + c] * x;
            }
        }

        return s + (grid[rows * columns / 2] * y);
    }

    /// <summary>Element r + c is written by several passes: each write keeps what it overwrites.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 3 })]
    public static double OverlappingElements(double x, double y, int n)
    {
        double[] t = new double[2 * n];
        double s = 0;
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                t[r + c] = Math.Cos((x * r) - (y * c));
                s += t[r + c] * t[r + c] * y;
            }
        }

        return s;
    }
}
