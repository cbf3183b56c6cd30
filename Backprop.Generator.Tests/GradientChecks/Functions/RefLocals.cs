using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// <c>ref</c> locals to a local or parameter number (issue 12 item 4): another name for it, read and written through
/// (Clad's Assignments.C f14–f16 in C#).
/// </summary>
public static partial class RefLocals
{
    [Differentiable, Sample(-2, 2)]
    public static double WritesThroughARef(double i, double j)
    {
        ref double a = ref i;
        a = 2 * i;
        a += Math.Sin(j);
        a *= i;
        return i + a * j;
    }

    [Differentiable, Sample(-2, 2)]
    public static double ChainOfRefs(double i, double j)
    {
        double b = i * j;
        ref double a = ref b;
        ref double c = ref a;
        ref readonly double d = ref c;
        c *= 4 * j;
        b += Math.Exp(i) * d;
        return a + c;
    }

    /// <summary>
    /// <c>ref</c> locals to elements: written and compound-assigned through (a local array), declared inside a loop (a new
    /// element each pass), read through a <c>ref readonly</c> to a parameter's element; the index is taken where the ref
    /// is declared, so changing k afterwards does not move it.
    /// </summary>
    [Differentiable]
    public static double ElementRefs(double[] x)
    {
        double[] work = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            ref double w = ref work[i];
            w = x[i] * x[i];
            w += Math.Sin(x[i]);
        }

        int k = 0;
        ref double first = ref work[k];
        k = 1;
        first *= 2 + x[k];
        ref readonly double last = ref x[x.Length - 1];
        double s = 0;
        for (int i = 0; i < work.Length; i++)
        {
            s += work[i] * last;
        }

        return s + first;
    }

    /// <summary>A <c>ref readonly</c> to an element of a span parameter, in a loop.</summary>
    [Differentiable]
    public static double SpanElementRefs(ReadOnlySpan<double> x, double w)
    {
        double s = 0;
        for (int i = 1; i < x.Length; i++)
        {
            ref readonly double previous = ref x[i - 1];
            s += previous * Math.Tanh(w * x[i]);
        }

        return s;
    }

    /// <summary>A [Differentiable] method that returns a ref to an element: a caller reads it as the element's value.</summary>
    [Differentiable]
    public static ref double Middle(double[] a) => ref a[a.Length / 2];

    /// <summary>Reads through a ref-returning [Differentiable] method (its own pullback), twice.</summary>
    [Differentiable]
    public static double ThroughRefReturns(double[] x) => Middle(x) * x[0] + Math.Sin(Middle(x));
}
