using System;
using System.Runtime.CompilerServices;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// A type marked <c>[SkipLocalsInit]</c>, as performance-minded code often is: its <c>stackalloc</c> — the generated members'
/// too, which are declared in the same type — holds whatever the stack held. The adjoints of stack arrays are added
/// into, so they are cleared where they are made.
/// </summary>
[SkipLocalsInit]
public static partial class SkippedLocalsInit
{
    /// <summary>
    /// A stack array written whole and read twice: its adjoint is added into before it is taken. (Its length a local's:
    /// three constant elements would be held in locals, which start at zero.)
    /// </summary>
    [Differentiable]
    public static double TwoProducts(double a, double b)
    {
        int length = 3;
        Span<double> t = stackalloc double[length];
        t[0] = a * b;
        t[1] = Math.Sin(a);
        t[2] = b * b;
        return (t[0] * t[1]) + (t[2] * t[0]);
    }

    /// <summary>
    /// Two outputs (reverse mode, rows): the Jacobian's first row starts from the adjoints the forward pass made. (A length
    /// the JIT does not know: a stackalloc of a constant length may become part of the frame, which its prolog may zero.)
    /// </summary>
    [Differentiable]
    public static void TwoOutputs(ReadOnlySpan<double> x, Span<double> y)
    {
        Span<double> t = stackalloc double[x.Length - 1];
        t[0] = x[0] * x[1];
        t[1] = Math.Cos(x[2]);
        y[0] = t[0] * t[1];
        y[1] = t[0] + (t[1] * t[1]);
    }
}
