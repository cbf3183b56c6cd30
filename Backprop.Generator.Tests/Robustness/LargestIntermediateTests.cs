using System.IO;
using System.Linq;
using System.Runtime.Loader;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>The random-method test's measure of cancellation: the largest value F's variables take.</summary>
public sealed class LargestIntermediateTests
{
    [Fact]
    public void RecordsEveryAssignedVariable_InBlocksSwitchesAndBracelessBodies()
    {
        var largest = Largest("""
            double t = x * 1e9;
            double u = t - t;
            switch (n)
            {
                case 1:
                    u = -3e10 * y;
                    break;
            }

            if (n > 5)
                u = 7e12;
            return u + y;
            """, x: 2, y: 0.5, n: 0);
        Assert.Equal(2e9, largest);
        Assert.Equal(1.5e10, Largest("double u = 0;\nswitch (n) { case 1: u = -3e10 * y; break; }\nreturn u;", x: 2, y: 0.5, n: 1));
        Assert.Equal(7e12, Largest("double u = 0;\nif (n > 5)\n    u = 7e12;\nreturn u;", x: 2, y: 0.5, n: 6));
    }

    /// <summary>Seed 1502, batch 13, method 32, reduced: x grows to 4.6e18 and <c>y = x + y</c> comes back to exactly 0.</summary>
    [Fact]
    public void FindsTheCancellationOfSeed1502()
    {
        var largest = Largest("""
            y = Math.Log(1 + x * x);
            for (int k = 0; k < n + 1; k++)
            {
                for (int i = 0; i < n; i++)
                {
                    y = y < -0.5 || n % 2 == 0 ? Math.Min(n * y, Weighted(a, x)) : Math.Sqrt(1 + y * y);
                    y /= 1 + Smooth(y) * Math.Sin(-0.22);
                }
            }

            for (int k = 0; k < n + 1; k++)
            {
                int d = 0;
                do
                {
                    x = y > n * y ? Smooth(y) * x : Math.Min(y, 0.88);
                } while (++d < n);
                for (int j = 0; j < n + 1; j++)
                {
                    x -= Math.Tanh(0.21);
                    x *= Math.Tanh(Math.Exp(Math.Cos(Math.Sin(y))) - Smooth(x));
                    y = x + y;
                }
            }

            return Math.Sqrt(1 + y * y) / (1 + y * y);
            """, x: -0.35727083466819987, y: -0.7327988230310375, n: 3);
        Assert.InRange(largest, 4e18, 5e18);
    }

    private static double Largest(string body, double x, double y, int n)
    {
        var source = $$"""
            using System;

            public static partial class C
            {
                private static double Smooth(double v) => v * Math.Tanh(v);

                private static double Weighted(double[] values, double w) => values.Sum(v => v * w);

                public static double F(double x, double y, double[] a, int n)
                {
                    {{body.Replace("\n", "\n        ", System.StringComparison.Ordinal)}}
                }
            }
            """.Replace("using System;", "using System;\nusing System.Linq;", System.StringComparison.Ordinal);
        var compilation = GeneratorHarness.CreateCompilation(source).AddSyntaxTrees(LargestIntermediate.ObservedCopy(source));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("largest", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(stream).GetType("C")!;
            return (double)type.GetMethod("LargestIntermediate")!.Invoke(null, [x, y, new[] { 0.3, -0.2, 0.5 }, n])!;
        }
        finally
        {
            context.Unload();
        }
    }
}
