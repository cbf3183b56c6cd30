using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Loops that only add to a value (acc += …): the backward sweep never reads it inside them, so it is kept once, before
/// the loop, or not at all when it is set just before — whatever reads it before or after the loop still sees its value.
/// </summary>
public static partial class Accumulations
{
    /// <summary>The value is read before the loop (first = acc·acc): it is kept once at the loop's entry.</summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 0, 1, 5 })]
    public static double ReadBeforeTheLoop(double x, double y, int n)
    {
        double acc = x * y;
        double first = acc * acc;
        for (int i = 0; i < n; i++)
        {
            acc += Math.Sin(x * i) * y;
        }

        return first + (acc * x);
    }

    /// <summary>Inner and outer loops add to s, set to 0 just before: nothing of s is kept; read after each outer iteration's inner loop.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 0, 3 })]
    public static double Nested(double x, double y, int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                s += x * y * (i + j);
                s -= y * 0.5;
            }

            total += s * s;
        }

        return total;
    }

    /// <summary>The loop adds in one arm and subtracts in the other; the branch is recorded, the sum is not.</summary>
    [Differentiable, Sample(-2, 2, Ints = new[] { 4 })]
    public static double InABranch(double x, double y, int n)
    {
        double acc = y;
        for (int i = 0; i < n; i++)
        {
            if (x > i - 2)
            {
                acc += x * x;
            }
            else
            {
                acc -= y / (1 + (x * x));
            }
        }

        return acc * acc * y;
    }

    /// <summary>An outer loop that only adds to a, through an inner loop that also reads it: kept per outer iteration, not per inner one.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double ReadInAnInnerLoop(double x, int n)
    {
        double a = x;
        double b = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                b += a * x;
            }

            a += b * 0.1;
        }

        return a + b;
    }

    /// <summary>Counts stepped by a constant, a parameter and the loop's counter, read as indices: undone going back, never kept.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 2, 5 })]
    public static double SteppedCounts(double x, double y, int stride)
    {
        double s = 0;
        int a = 0;
        int b = 1;
        for (int i = 0; i < 6; i++)
        {
            s += Math.Sin(x * a) * (y + b);
            a += stride;
            b -= i;
            s = s * 0.9;
        }

        return s;
    }

    /// <summary>
    /// ADBench GMM's triangular Q·x: an index counted up and a multiply-add per element. Nothing is taped per multiply-add:
    /// the sum is not read going back, and the index step is undone (<see cref="AccumulationTests"/> asserts it on the
    /// generated code).
    /// </summary>
    [Differentiable]
    public static double TriangularQuadratic(double[] q, double[] x, int d)
    {
        double total = 0;
        for (int i = 0; i < d; i++)
        {
            double acc = 0;
            int idx = i * d;
            for (int k = 0; k < d; k++)
            {
                acc += q[idx] * x[k];
                idx++;
            }

            total += acc * acc;
        }

        return total;
    }

    /// <summary>
    /// GMM's Q·x: a local array set element by element, then only added into by a triangular loop: nothing is kept per
    /// multiply-add, nor the array whole before that loop (the fill before it puts it back); every outer iteration reads
    /// the array after it.
    /// </summary>
    [Differentiable]
    public static double TriangularIntoArray(double[] l, double[] x, double w)
    {
        int d = x.Length;
        double[] y = new double[d];
        double total = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int i = 0; i < d; i++)
            {
                y[i] = x[i] * (w + r);
            }

            int m = 0;
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    y[j] += l[m % l.Length] * x[i];
                    m++;
                }
            }

            total += (y[0] * y[d - 1]) + Math.Sin(y[d / 2]);
        }

        return total;
    }

    /// <summary>
    /// GMM's Q·x index, carried from round to round: each round sets it afresh and a triangular nest steps it. Going back,
    /// the nest steps it back in a local of its own, and the round's start takes the older count off the tape.
    /// </summary>
    [Differentiable]
    public static double CountCarriedAcrossRounds(double[] l, double[] x, int d)
    {
        double total = 0;
        int m = 0;
        for (int r = 0; r < 2; r++)
        {
            m = r * d;
            double s = 0;
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    s += l[m] * x[i] * x[j];
                    m++;
                }
            }

            total = (total * 0.5) + Math.Sin(s);
        }

        return total;
    }

    /// <summary>An array only added into by the inner loop but never set again: each outer iteration's values are restored from the array kept before it.</summary>
    [Differentiable]
    public static double ArrayAddedIntoEachRound(double[] x, double w)
    {
        double[] y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i];
        }

        double total = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] += x[i] * w;
                y[i] -= w * 0.25;
            }

            total += y[0] * y[y.Length - 1] * (r + 1);
        }

        return total;
    }

    /// <summary>
    /// As TriangularIntoArray, but the loop before the triangular one fills all elements but the last: the last keeps an
    /// earlier round's value, which the triangular loop adds into, so going back y must be kept whole before that loop.
    /// </summary>
    [Differentiable]
    public static double PartlyFilledThenAddedInto(double[] x, double w)
    {
        int d = x.Length;
        double[] y = new double[d];
        double total = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int i = 0; i < d - 1; i++)
            {
                y[i] = x[i] * (w + r);
            }

            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    y[j] += x[i] * x[j] * w;
                }
            }

            total += y[d - 1] * y[0];
        }

        return total;
    }

    /// <summary>
    /// As TriangularIntoArray, but the count the array was made with is a parameter lowered before the fill: the fill
    /// stops short of the last element, so it does not cover the array, and y must be kept whole as in PartlyFilledThenAddedInto.
    /// </summary>
    [Differentiable]
    public static double FilledAfterItsCountChanged(double[] x, double w, int d)
    {
        double[] y = new double[d];
        d = d - 1;
        double total = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int i = 0; i < d; i++)
            {
                y[i] = x[i] * (w + r);
            }

            for (int i = 0; i < x.Length; i++)
            {
                for (int j = i + 1; j < x.Length; j++)
                {
                    y[j] += x[i] * x[j] * w;
                }
            }

            total += y[x.Length - 1] * y[0];
        }

        return total;
    }
}
