using System.IO;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>The random-method test's measure of cancellation: the largest value or tangent the generated FTangent assigns.</summary>
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

    /// <summary>
    /// Seed 1515, batch 88, method 40: x's only way into F is <c>exp(cos(x))</c> with x near 1e-5 (it rounds: F ignores any
    /// step in x), then loops that carry the tangent up to 1e13 and back down to 0.0101 — where the exact derivative of
    /// the path is -0.0211 (60-digit arithmetic). The values stay below 3e6; the tangents give the cancellation away.
    /// </summary>
    [Fact]
    public void FindsTheCancellingTangentsOfSeed1515()
    {
        const string body = """
            int m = 0;
            do
            {
                m++;
                int g = 0;
                while (g++ < n)
                {
                    double t20999 = Weighted(a, y);
                    double t21000 = Math.Abs(Math.Abs(Smooth(t20999)));
                    t21000 = a[n % a.Length];
                }
                switch (n % 3)
                {
                    case 0:
                        x = Math.Exp(Math.Cos((n * x)));
                        break;
                    case 1:
                        x = Math.Log(1 + (x / (1 + x * x)) * (x / (1 + x * x)));
                        break;
                    default:
                        y = (Math.Sin(y) + Math.Sqrt(1 + (n * y) * (n * y)));
                        break;
                }
                int k21001 = 0;
                do
                {
                    k21001++;
                    x /= 1 + Math.Min(Weighted(a, y), y) * y;
                    y = y > 0 && y < 1 ? (y / (1 + (n * x) * (n * x))) : y;
                } while (k21001 < n);
            } while (m < n);
            int ar = 0;
            do
            {
                int k21002 = 0;
                do
                {
                    k21002++;
                    y = y > ((x - x) > Math.Max(x, (n * x)) ? x : y) ? ((n * x) / (1 + a[n % a.Length] * a[n % a.Length])) : Math.Exp(Math.Cos(x));
                    x /= 1 + (-0.31 * 1.37) * (a[n % a.Length] / (1 + Smooth(y) * Smooth(y)));
                    x = -1.17 < -0.5 || n % 2 == 0 ? (n * x) : Math.Min(x, 0.17);
                } while (k21002 < n);
                switch (n % 3)
                {
                    case 0:
                        y = (-(a[n % a.Length]) * Math.Tanh((n * y)));
                        break;
                    case 1:
                        x = (n * y);
                        goto default;
                    default:
                        x = ((Smooth(y) * a[n % a.Length]) - (Weighted(a, x) + y));
                        break;
                }
            } while (++ar < n);
            double b = (y = Math.Tanh(Math.Log(1 + y * y))) * (y / (1 + Weighted(a, y) * Weighted(a, y)));
            for (int i21003 = 0; i21003 < n; i21003++)
            {
                x += Math.Tanh((Weighted(a, x) - (a[i21003 % a.Length] + a[n % a.Length])));
                double t21004 = a[i21003 % a.Length];
            }
            return Math.Min(Weighted(a, b), y);
            """;
        double[] a = [-0.8968634027507452, 0.9793063970186311, 0.48572528990252195];
        var alongX = Largest(body, x: 0.5472681324683446, y: 0.4709765517483355, n: 4, direction: [1, 0, 0, 0, 0], a: a);
        var valuesOnly = Largest(body, x: 0.5472681324683446, y: 0.4709765517483355, n: 4, direction: [0, 0, 0, 0, 0], a: a);
        Assert.InRange(valuesOnly, 2e6, 4e6);
        Assert.InRange(alongX, 1e13, 2e13);
    }

    /// <summary>A helper's tangent comes back through <c>out</c> and is recorded there too.</summary>
    [Fact]
    public void RecordsTheTangentAHelperHandsBack()
    {
        var largest = Largest("double w = Weighted(a, x);\nreturn w * 1e-20;", x: 1e-3, y: 0, n: 0, direction: [1, 0, 0, 0, 0], a: [3e10, 0, 0]);
        Assert.Equal(3e10, largest);
    }

    private static double Largest(string body, double x, double y, int n, double[]? direction = null, double[]? a = null)
    {
        var source = $$"""
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                private static double Smooth(double v) => v * Math.Tanh(v);

                [Differentiable]
                private static double Weighted(double[] values, double w)
                {
                    double s = 0;
                    foreach (var v in values)
                    {
                        s += v * w;
                    }

                    return s;
                }

                [Differentiable]
                public static double F(double x, double y, double[] a, int n)
                {
                    {{body.Replace("\n", "\n        ", System.StringComparison.Ordinal)}}
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var generatedF = result.GeneratedTrees.Single(t => Path.GetFileName(t.FilePath).StartsWith("C.F.", System.StringComparison.Ordinal));
        using var loaded = LoadedAssembly.Emit(output.AddSyntaxTrees(LargestIntermediate.ObservedCopy(generatedF)), "largest");
        var type = loaded.Assembly.GetType("C")!;
        return (double)type.GetMethod("LargestIntermediate")!.Invoke(null, [x, y, a ?? [0.3, -0.2, 0.5], n, direction ?? new double[5]])!;
    }
}
