using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Span slices (issue 12 item 2): a slice is read as the elements of the array it is a window on — held in a span local
/// (its bounds taken where it is made), iterated, indexed from the end, passed to a [Differentiable] method or a helper
/// (read in place), copied; a slice of a local array is written through.
/// </summary>
public static partial class Slices
{
    /// <summary>A dot product of two spans: called with slices, it is read in place.</summary>
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    /// <summary>Writes the squares of <paramref name="x"/>, scaled to sum to one, into <paramref name="y"/>.</summary>
    [Differentiable]
    public static void Shares(ReadOnlySpan<double> x, Span<double> y)
    {
        double total = 0;
        foreach (var value in x)
        {
            total += value * value;
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] = x[i] * x[i] / total;
        }
    }

    /// <summary>A 2×3 matrix stored by rows: each row a slice held in a local, its bound moved on after it was taken.</summary>
    [Differentiable]
    public static double RowsOfAMatrix(double[] x)
    {
        const int columns = 3;
        double s = 0;
        for (int r = 0; r * columns < x.Length; r++)
        {
            int start = r * columns;
            ReadOnlySpan<double> row = x.AsSpan(start, columns);
            start = 0; // the slice keeps where it was taken
            double rowSum = 0;
            foreach (var v in row)
            {
                rowSum += Math.Sin(v) * (r + 1);
            }

            s += rowSum * rowSum + row[^1] * row[start];
        }

        return s;
    }

    /// <summary>Ranges (<c>x[1..^1]</c>, <c>x[..2]</c>), <c>Slice</c> and a slice of a slice, on a span parameter.</summary>
    [Differentiable]
    public static double Ranges(ReadOnlySpan<double> x)
    {
        var inner = x[1..^1];
        var head = x[..2];
        double s = inner[0] * inner[^1] + head[1] * head[1];
        var tail = x.Slice(2).Slice(1);
        foreach (var v in tail)
        {
            s += Math.Exp(0.5 * v);
        }

        return s * inner.Length + Dot(x.Slice(1, 2), head);
    }

    /// <summary>Slices passed to a [Differentiable] method: a sliding dot product against the first three values.</summary>
    [Differentiable]
    public static double SlidingDot(double[] x)
    {
        double s = 0;
        for (int i = 0; i + 3 <= x.Length; i++)
        {
            s += Math.Tanh(Dot(new ReadOnlySpan<double>(x, i, 3), x.AsSpan(0, 3)));
        }

        return s;
    }

    /// <summary>A slice of a local array written through, written by a helper (read in place) and copied into.</summary>
    [Differentiable]
    public static double WritesThroughSlices(double[] x)
    {
        double[] work = new double[x.Length + 2];
        Span<double> body = work.AsSpan(1, x.Length);
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = x[i] * x[i] + 0.5;
        }

        Shares(work.AsSpan(1, 3), work.AsSpan(2, 3)[..2]);
        x.AsSpan(0, 2).CopyTo(work.AsSpan(work.Length - 2));
        double s = 0;
        for (int i = 0; i < work.Length; i++)
        {
            s += work[i] * (i + 1);
        }

        return s;
    }

    /// <summary>The same in float, with a slice counted from the end (<c>AsSpan(^3)</c>).</summary>
    [Differentiable]
    public static float FloatSlices(float[] x)
    {
        ReadOnlySpan<float> last = x.AsSpan(^3);
        float s = 0;
        foreach (var v in last)
        {
            s += v * v * last[0];
        }

        return s + x.AsSpan(1, 2)[1];
    }

    /// <summary>
    /// A void helper filling a span (read in place, as BA's rotation is) that calls <see cref="Dot"/> inside an expression
    /// on its own span parameters: that call is read in place too, its gates the caller's.
    /// </summary>
    [Differentiable]
    public static void Project(ReadOnlySpan<double> axis, ReadOnlySpan<double> point, Span<double> result)
    {
        double along = Dot(axis, point) * axis[0];
        for (int i = 0; i < 3; i++)
        {
            result[i] = point[i] * along;
        }
    }

    /// <summary>Calls <see cref="Project"/> on stack copies of the two halves of <paramref name="x"/>.</summary>
    [Differentiable]
    public static double ProjectedHalves(double[] x)
    {
        Span<double> axis = stackalloc double[3];
        Span<double> point = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            axis[i] = x[i];
            point[i] = x[i + 3];
        }

        Span<double> projected = stackalloc double[3];
        Project(axis, point, projected);
        return Math.Sin(projected[0]) + (projected[1] * projected[2]);
    }
}
