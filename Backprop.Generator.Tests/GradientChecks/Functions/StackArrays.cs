using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Stack-allocated span locals (issue 14, "stack and span locals"): <c>Span&lt;double&gt; t = stackalloc double[3];</c>
/// and <c>ReadOnlySpan&lt;double&gt; w = stackalloc[] { … }</c> are local arrays on the stack — written and read by index,
/// sliced, passed to [Differentiable] helpers and void helpers that fill them — and their adjoints are stack-allocated too.
/// </summary>
public static partial class StackArrays
{
    /// <summary>
    /// A point rotated by the angle-axis vector w (Rodrigues' formula, as in bundle adjustment), then measured: every
    /// 3-vector is a stackalloc.
    /// </summary>
    [Differentiable, Sample(-1.2, 1.2)]
    public static double RotatedPoint(double wx, double wy, double wz, double px)
    {
        ReadOnlySpan<double> w = stackalloc[] { wx, wy, wz };
        Span<double> p = stackalloc double[3];
        p[0] = px;
        p[1] = 1 - px;
        p[2] = 0.5 * px * px;

        double theta = Math.Sqrt(Slices.Dot(w, w) + 1e-3);
        Span<double> axis = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            axis[i] = w[i] / theta;
        }

        Span<double> axisCrossP = stackalloc double[3];
        Cross(axis, p, axisCrossP);
        double axisDotP = Slices.Dot(axis, p);
        double cos = Math.Cos(theta);
        double sin = Math.Sin(theta);
        Span<double> rotated = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            rotated[i] = (p[i] * cos) + (axisCrossP[i] * sin) + (axis[i] * axisDotP * (1 - cos));
        }

        return rotated[0] / (2 + rotated[2]) + (rotated[1] * rotated[1]);
    }

    /// <summary>A stackalloc reused by every pass of a loop, sliced and summed.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = [4])]
    public static double ScratchInALoop(double x, double y, int n)
    {
        double total = 0;
        Span<double> t = stackalloc double[4];
        for (int k = 0; k < n; k++)
        {
            t[k % 4] = x * (k + 1);
            t[(k + 1) % 4] += Math.Sin(y * t[k % 4]);
            total += Slices.Dot(t.Slice(1, 2), t.Slice(2, 2)) + t[^1];
        }

        return total;
    }

    /// <summary>A stackalloc in one arm of a branch: held in a scoped span declared up front where the backward pass needs it.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double InABranch(double x, double y)
    {
        double r = x;
        if (x > 0)
        {
            Span<double> t = stackalloc double[2];
            t[0] = x * y;
            t[1] = Math.Sin(t[0]);
            r = t[0] * t[1];
        }

        return r * y;
    }

    /// <summary>
    /// A stackalloc first written in either arm of a branch (nothing kept for those writes), then overwritten after it
    /// (kept: the arms' steps going back read what the arms wrote), and a helper read in place whose own stackalloc is
    /// made in one arm of its branch.
    /// </summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double WrittenInEitherArm(double x, double y)
    {
        Span<double> t = stackalloc double[2];
        if (x > 0)
        {
            t[0] = x * y;
            t[1] = Math.Sin(t[0]) * t[0];
        }
        else
        {
            for (int i = 0; i < 2; i++)
            {
                t[i] = (i + 1) * x * y;
            }
        }

        t[0] = y * t[1];
        Span<double> bent = stackalloc double[2];
        Bend(t, bent);
        return t[0] + bent[0] * bent[1];
    }

    /// <summary>Writes into b a bend of a that takes a stack scratch pair in one arm.</summary>
    [Differentiable]
    public static void Bend(ReadOnlySpan<double> a, Span<double> b)
    {
        if (a[0] > a[1])
        {
            Span<double> scratch = stackalloc double[2];
            scratch[0] = a[0] * a[1];
            scratch[1] = Math.Cos(scratch[0]);
            b[0] = scratch[1] + a[0];
            b[1] = scratch[0] * scratch[1];
        }
        else
        {
            b[0] = a[1] * a[1];
            b[1] = a[0];
        }
    }

    /// <summary>A loop that returns early from inside, reading a stackalloc it accumulates into.</summary>
    [Differentiable, Sample(-1, 1.5, Ints = [7])]
    public static double ReturnFromALoop(double x, int n)
    {
        Span<double> t = stackalloc double[3];
        for (int i = 0; i < n; i++)
        {
            t[i % 3] += x * x * i;
            if (t[0] > 4)
            {
                return t[0] * x;
            }
        }

        return t[1] + (t[2] * x);
    }

    /// <summary>Span.Fill, Span.Clear and CopyTo into a stack span (and a slice of it), read as the loops they are.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static double FilledClearedAndCopied(double x, double y)
    {
        Span<double> t = stackalloc double[4];
        t.Fill(x * y);
        double s = t[1] * t[3];
        t.Slice(2).Clear();
        s += Math.Sin(t[0] + t[2]);
        ReadOnlySpan<double> pair = stackalloc[] { Math.Exp(x), y };
        pair.CopyTo(t.Slice(1, 2));
        return s + (t[1] * t[2] * t[0]);
    }

    /// <summary>Float elements, listed where the span is made, then overwritten in place.</summary>
    [Differentiable, Sample(-1, 1)]
    public static float FloatsOverwritten(float x, float y)
    {
        Span<float> v = stackalloc float[] { x, y * y, MathF.Exp(x) };
        for (int i = 0; i < 5; i++)
        {
            v[i % 3] = v[(i + 1) % 3] * x + v[i % 3];
        }

        return v[0] * v[1] - v[2];
    }

    /// <summary>The sum of squares of an array's elements, each scaled by a stackalloc'd weight.</summary>
    [Differentiable]
    public static double WeightedSquares(double[] x)
    {
        Span<double> weights = stackalloc double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            weights[i] = 1 + (x[i] * x[(i + 1) % x.Length]);
        }

        double s = 0;
        foreach (var weight in weights)
        {
            s += weight * weight;
        }

        return s + Slices.Dot(weights, x);
    }

    /// <summary>Writes a × b into c.</summary>
    [Differentiable]
    public static void Cross(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        c[0] = (a[1] * b[2]) - (a[2] * b[1]);
        c[1] = (a[2] * b[0]) - (a[0] * b[2]);
        c[2] = (a[0] * b[1]) - (a[1] * b[0]);
    }
}
