using System;
using Xunit;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>A gradient over an array checked element by element against central differences.</summary>
public static class ArrayGradient
{
    /// <summary>Each element of <paramref name="gradient"/> within 1e-6·(1 + |difference|) of f's central difference in that element of <paramref name="at"/>.</summary>
    public static void MatchesCentralDifferences(double[] at, double[] gradient, Func<double[], double> f)
    {
        for (var i = 0; i < at.Length; i++)
        {
            var expected = FiniteDifference.CentralAt(at, i, f);
            Assert.True(Math.Abs(expected - gradient[i]) <= 1e-6 * (1 + Math.Abs(expected)), $"element {i}: expected {expected}, got {gradient[i]}");
        }
    }
}
