using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary><c>in</c> parameters (issue 12 item 4): read-only by reference, differentiated like values; the generated methods declare them <c>in</c> too.</summary>
public static partial class InParameters
{
    [Differentiable]
    public static double Scaled(in double x, in double w) => x * w + Math.Sin(x);

    [Differentiable]
    public static double CallsWithIn(double x, double y)
    {
        double t = x * y;
        return Scaled(in t, in y) + Scaled(x, 2.0);
    }

    [Differentiable]
    public static float FloatIn(in float x, in int n)
    {
        float s = 0;
        for (int i = 0; i < n; i++)
        {
            s += x * i;
        }

        return s;
    }
}
