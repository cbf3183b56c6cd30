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
}
