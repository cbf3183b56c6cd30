using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>A method that calls itself: its pullback calls its own pullback.</summary>
public static partial class Recursion
{
    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double RepeatedSine(double x, int depth) => depth <= 0 ? x : Math.Sin(RepeatedSine(x, depth - 1)) * 1.5;
}
