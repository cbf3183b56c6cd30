using System;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>Methods the fuzzing campaign found, reduced: each once made the generator write code with a warning or a wrong value.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// Seed 1010, batch 69, method 32: a local read only in the arm of a constant <c>?:</c> that never runs is assigned
    /// and never read once the arm is folded away — CS0219 in generated code, an error under TreatWarningsAsErrors.
    /// </summary>
    [Fact]
    public void LocalReadOnlyInAFoldedConstantArm_GeneratesNoWarning()
    {
        AcceptedWithoutWarnings("""
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y)
                {
                    double t = -1.18;
                    double u = Math.Exp(Math.Cos(-0.04 < -0.14 ? t : y));
                    return u * x;
                }
            }
            """);
    }

    /// <summary>
    /// Seed 1574, batch 77, method 19, reduced: a local function returning a constant, read in place in both arms of a
    /// constant <c>?:</c>, makes a condition the compiler folds, <c>(true ? -0.71 : -0.71) &lt; 0.13</c>; the forward-mode
    /// method wrote it as an <c>if</c> whose else never runs — CS0162 — and no pragma said so.
    /// </summary>
    [Fact]
    public void ConditionFoldedThroughAConstantConditional_GeneratesNoWarning()
    {
        AcceptedWithoutWarnings("""
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    double f(double q) => -0.71;
                    double t = x;
                    for (int i = 0; i < n; i++)
                    {
                        t = (-0.7 < 0.74 ? f(t * 0.89) : f(x * 1.93)) < 0.13 ? Math.Log(1 + (0.68 * 0.68)) : Math.Log(1 + (n * y * n * y));
                    }

                    return t * y;
                }
            }
            """);
    }

    /// <summary>
    /// Seed 1548, batch 16, method 26, the fuzzer's class reduced to F, V (F's body as a vector function) and the two
    /// helpers they call: (1) a while loop whose condition assigns and whose body ends in <c>if (-1.54 &lt; 0.06) { …;
    /// continue; }</c> never reaches its end, so the "this iteration ran to its end" record after it never runs — CS0162
    /// in V's members; (2) F returns a constant, which the directional derivative's pullback keeps in a local it never
    /// reads — CS0219. (Reductions of the loop alone did not reproduce (1); with the fix reverted both fail.)
    /// </summary>
    [Fact]
    public void Seed1548Batch16Method26_GeneratesNoWarning()
    {
        // F's result is a constant there (BP0012, a warning on the input): only the generated code must be clean.
        var (result, output) = GeneratorHarness.Run("""
            using System;
            using Backprop;

            public static partial class P16_26
            {
                [Differentiable]
                private static double Smooth(double v) => v * Math.Tanh(v);

                [Differentiable]
                private static double Weighted(double[] values, double w)
                {
                    double s = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        s += values[i] * w;
                    }

                    return s;
                }

                [Differentiable]
                public static double F(double x, double y, double[] a, int n)
                {
                    double oid = 1.5 + Math.Tanh(y);
                    while ((oid -= 0.75) > 0)
                    {
                        x /= 1 + -((n * y)) * Math.Sin(Weighted(a, y));
                        double t3961 = Math.Abs(Math.Abs(Weighted(a, y)));
                        if (-1.54 < 0.06)
                        {
                            t3961 /= 1 + (x < 1.87 ? x : t3961) * Math.Sqrt(1 + x * x);
                            double t3962 = -(Weighted(a, x));
                            continue;
                        }
                    }
                    for (int i3963 = 0; i3963 < n; i3963++)
                    {
                        int k3964 = 0;
                        while (k3964++ < n)
                        {
                            double t3965 = Math.Sqrt(1 + x * x);
                            x = y = Math.Tanh(y);
                            double t3966 = (Math.Sqrt(1 + x * x) - Math.Max(x, t3965));
                        }
                    }
                    x = Math.Max(Smooth(x), a[n % a.Length]) < 0.24 ? (Smooth(y) - a[n % a.Length]) : (n * x);
                    for (int da = 0; da < n; da++)
                    {
                        int k3967 = 0;
                        do
                        {
                            k3967++;
                            double result = (Math.Log(1 + a[n % a.Length] * a[n % a.Length]) / (1 + Math.Min(0.15, x) * Math.Min(0.15, x)));
                            y /= 1 + Math.Min(result, x) * (x * Smooth(result));
                        } while (k3967 < n);
                        y = Math.Max(Math.Tanh(y), x);
                        int k3968 = 0;
                        while (k3968 < n + 1)
                        {
                            k3968++;
                            y /= 1 + Math.Abs(x) * -(a[n % a.Length]);
                        }
                    }
                    return (1.48 * 0.99);
                }

                /// <summary>F's body as a vector function: (F, x·y).</summary>
                [Differentiable]
                public static void V(double x, double y, double[] a, int n, Span<double> vectorOut)
                {
                    double oid = 1.5 + Math.Tanh(y);
                    while ((oid -= 0.75) > 0)
                    {
                        x /= 1 + -((n * y)) * Math.Sin(Weighted(a, y));
                        double t3961 = Math.Abs(Math.Abs(Weighted(a, y)));
                        if (-1.54 < 0.06)
                        {
                            t3961 /= 1 + (x < 1.87 ? x : t3961) * Math.Sqrt(1 + x * x);
                            double t3962 = -(Weighted(a, x));
                            continue;
                        }
                    }
                    for (int i3963 = 0; i3963 < n; i3963++)
                    {
                        int k3964 = 0;
                        while (k3964++ < n)
                        {
                            double t3965 = Math.Sqrt(1 + x * x);
                            x = y = Math.Tanh(y);
                            double t3966 = (Math.Sqrt(1 + x * x) - Math.Max(x, t3965));
                        }
                    }
                    x = Math.Max(Smooth(x), a[n % a.Length]) < 0.24 ? (Smooth(y) - a[n % a.Length]) : (n * x);
                    for (int da = 0; da < n; da++)
                    {
                        int k3967 = 0;
                        do
                        {
                            k3967++;
                            double result = (Math.Log(1 + a[n % a.Length] * a[n % a.Length]) / (1 + Math.Min(0.15, x) * Math.Min(0.15, x)));
                            y /= 1 + Math.Min(result, x) * (x * Smooth(result));
                        } while (k3967 < n);
                        y = Math.Max(Math.Tanh(y), x);
                        int k3968 = 0;
                        while (k3968 < n + 1)
                        {
                            k3968++;
                            y /= 1 + Math.Abs(x) * -(a[n % a.Length]);
                        }
                    }
                    vectorOut[0] = (1.48 * 0.99);
                    vectorOut[1] = x * y;
                }
            }
            """);
        // As the fuzzer judges: the generated code adds no warning the input does not have itself.
        var generated = result.GeneratedTrees.ToHashSet();
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        var warnings = GeneratorHarness.ErrorsAndWarnings(output);
        var inputWarnings = warnings.Where(d => d.Location.SourceTree is { } tree && !generated.Contains(tree)).Select(d => d.Id).ToHashSet();
        Assert.Empty(warnings.Where(d => d.Location.SourceTree is { } tree && generated.Contains(tree) && !inputWarnings.Contains(d.Id)));
    }

    /// <summary>
    /// Default seed, batch 1, method 14, and seeds 1027 and 1028, once local functions were drawn: a local function read
    /// in place with a constant argument stages <c>if (0.8 &gt; 0.0 &amp;&amp; 0.8 &lt; 1.0)</c>, one whose body is a constant
    /// <c>if (-0.66 &lt; -0.71)</c> (both CS0162 once the compiler folds them), one called with the variable it compares
    /// against <c>y &gt; y</c> (CS1718) — warnings in generated code.
    /// </summary>
    [Fact]
    public void LocalFunctionWithAConstantArgument_GeneratesNoWarning()
    {
        AcceptedWithoutWarnings("""
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y)
                {
                    double Pick(double v) => v > 0 && v < 1 ? x : y;
                    double Constant(double v) => -0.66;
                    double Above(double v) => v > y ? v : y;
                    bool above = Above(y) >= y;
                    double s = 0;
                    if (Constant(x) < -0.71)
                    {
                        s = x;
                    }

                    return Pick(0.8) * x + Above(y) + s + (above ? 1 : 0);
                }
            }
            """);
    }

    /// <summary>
    /// Seed 1511, batch 62, method 21: a <c>foreach</c> whose body always returns (<c>if (true) { … return …; }</c>, or a
    /// plain <c>return</c>) has no end the compiler can reach; the user's <c>foreach</c> has no increment to warn about, but
    /// the counted <c>for</c> it is written as does — CS0162 on <c>vIndex++</c> in generated code.
    /// </summary>
    [Fact]
    public void ForeachWhoseBodyAlwaysReturns_GeneratesNoWarning()
    {
        AcceptedWithoutWarnings("""
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double[] a)
                {
                    foreach (var v in a)
                    {
                        if (true)
                        {
                            return v * x;
                        }
                    }

                    return x;
                }

                [Differentiable]
                public static double G(double x, double[] a)
                {
                    foreach (var v in a)
                    {
                        double s = Math.Sin(v * x);
                        return s * x;
                    }

                    return x * x;
                }
            }
            """);
    }

    /// <summary>
    /// Seed 1523, batch 92, method 31: a do-loop whose condition assigns (<c>while (++k &lt; n)</c>) is written as
    /// <c>while (true) { body; k = k + 1; if (!(k &lt; n)) break; }</c>; after a body that always breaks, the test Parse
    /// moved there never runs — CS0162 in generated code, where the user's loop has nothing unreachable.
    /// </summary>
    [Fact]
    public void DoLoopWithAnAssigningConditionWhoseBodyAlwaysBreaks_GeneratesNoWarning()
    {
        AcceptedWithoutWarnings("""
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    int k = 0;
                    do
                    {
                        if (true)
                        {
                            x = Math.Sin(x) * x;
                            break;
                        }
                    } while (++k < n);

                    return x;
                }
            }
            """);
    }

    /// <summary>
    /// Seed 1066, batch 88, method 44 — the checker's, not the generator's: x was multiplied by 4 nineteen times (to
    /// about 1e10) and a[1] then added to 4x, so F is quantised along a[1] at the scale of the usual step (the unit in the
    /// last place of 1e11 is 1.5e-5). The quotients at steps 1e-7 and 1e-6 agreed by chance on -0.0664 while the gradient
    /// said -0.0256; steps of 1e-3 agree with the gradient, 1e-5 gives something else again. Reduced here: the gradient is
    /// the one a resolvable step measures, and the tiny steps disagree with the 10× larger one, which is what the random-
    /// method test now checks before it holds a gradient to a quotient.
    /// </summary>
    [Fact]
    public void QuantisedAlongAnInput_GradientMatchesAResolvableStep_AndTinyStepsDisagree()
    {
        var source = """
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double[] a)
                {
                    for (int i = 0; i < 19; i++)
                    {
                        x *= 4;
                    }

                    x = Math.Sin(a[1] + 4 * x);
                    return Math.Sqrt(1 + (x * a[1]) * (x * a[1]));
                }

                public static double Probe(double x, double[] a, double[] da) => FGradient(x, a, out _, da);
            }
            """;
        var (result, _) = GeneratorHarness.Run(source);
        using var loaded = LoadedAssembly.Emit(GeneratorHarness.CreateCompilation(source).AddSyntaxTrees(result.GeneratedTrees), "quantised");
        var type = loaded.Assembly.GetType("C")!;
        double F(double a1) => (double)type.GetMethod("F")!.Invoke(null, [0.093, new[] { -0.4, a1, -0.39 }])!;
        var gradient = new double[3];
        type.GetMethod("Probe")!.Invoke(null, [0.093, new[] { -0.4, -0.318, -0.39 }, gradient]);

        Assert.True(FiniteDifference.RelativeError(gradient[1], FiniteDifference.Central(F, -0.318, 1e-3)) <= 1e-3);
        var (tiny, larger) = (FiniteDifference.Central(F, -0.318, 1e-6), FiniteDifference.Central(F, -0.318, 1e-5));
        Assert.False(FiniteDifference.Agree(tiny, larger, 1e-3), $"F is resolved at 1e-6 here after all: {tiny:R} and {larger:R}");
    }

    /// <summary>
    /// Seed 1542, batch 1, method 11 — the checker's, not the generator's: F's result read neither x nor y (a local
    /// function ignored its argument), the loops drove x to infinity, and F's body written as the vector function
    /// V = (F, x·y) ended with x·y not finite. Row 0 of V's Jacobian passes a zero adjoint through the x·y gate, and 0·∞
    /// is NaN in IEEE arithmetic, as in any reverse mode; F itself never computes x·y, so its gradient is 0. Reduced
    /// here: both facts, which is why the random-method test skips V where V's values are not finite.
    /// </summary>
    [Fact]
    public void VectorBodyWhoseSecondOutputOverflows_RowZeroIsNaN_WhereTheScalarGradientIsZero()
    {
        var source = """
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y, double z)
                {
                    double Ignore(double v) => 0.5;
                    for (int i = 0; i < 600; i++)
                    {
                        x *= 4;
                    }

                    return Ignore(x) * z;
                }

                /// <summary>F's body as a vector function: (F, x·y).</summary>
                [Differentiable]
                public static void V(double x, double y, double z, Span<double> vectorOut)
                {
                    double Ignore(double v) => 0.5;
                    for (int i = 0; i < 600; i++)
                    {
                        x *= 4;
                    }

                    vectorOut[0] = Ignore(x) * z;
                    vectorOut[1] = x * y;
                }

                public static double Probe(double x, double y, double z, double[] gradient)
                {
                    var value = FGradient(x, y, z, out var dx, out var dy, out var dz);
                    (gradient[0], gradient[1], gradient[2]) = (dx, dy, dz);
                    return value;
                }

                public static void ProbeV(double x, double y, double z, double[] values, double[] jacobian) =>
                    VJacobian(x, y, z, values, jacobian);
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
        using var loaded = LoadedAssembly.Emit(GeneratorHarness.CreateCompilation(source).AddSyntaxTrees(result.GeneratedTrees), "overflowing-vector-body");
        var type = loaded.Assembly.GetType("C")!;
        var gradient = new double[3];
        var value = (double)type.GetMethod("Probe")!.Invoke(null, [0.7, 0.3, -2.0, gradient])!;
        var (values, jacobian) = (new double[2], new double[6]);
        type.GetMethod("ProbeV")!.Invoke(null, [0.7, 0.3, -2.0, values, jacobian]);

        Assert.Equal(-1.0, value);
        Assert.Equal([0.0, 0.0, 0.5], gradient);
        Assert.Equal(-1.0, values[0]);
        Assert.True(double.IsPositiveInfinity(values[1]), $"x·y = {values[1]:R}");
        Assert.Equal(0.0, jacobian[0]);
        Assert.True(double.IsNaN(jacobian[1]), $"row 0, y's column: {jacobian[1]:R} (0·∞ is NaN)");
        Assert.Equal(0.5, jacobian[2]);
    }

    /// <summary>
    /// Seed 1542, batch 84, method 43 — the checker's, not the generator's: a branch (x = -1.74 once exp(cos x) passes a
    /// threshold) lies within 1e-5 of the point along v, so the gradient's central differences at steps 1e-5 and 4e-5 both
    /// cross it and agree with each other on -10.434, while H·v says -10.166 — which every step that stays on one side
    /// gives to nine digits. The random-method test now also needs the h/4 step to agree before it holds H·v to them.
    /// The method as drawn, less the members F does not use.
    /// </summary>
    [Fact]
    public void HessianVectorNearABranch_MatchesEveryStepThatStaysOnOneSide_AndTheQuarterStepExposesTheCrossing()
    {
        var source = """
            using System;
            using Backprop;

            public static partial class P84_43
            {
                [Differentiable]
                private static double Smooth(double v) => v * Math.Tanh(v);

                [Differentiable]
                private static double Weighted(double[] values, double w)
                {
                    double s = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        s += values[i] * w;
                    }

                    return s;
                }

                [Differentiable]
                private static void Nudge(ref double p, ref double q, double k)
                {
                    double t = p;
                    p = q * k + Math.Sin(t);
                    q = t / (1 + k * k);
                }

                [Differentiable]
                public static double F(double x, double y, double[] a, int n)
                {
                    if ((y = Math.Tanh((x * -1.64))) > -0.13)
                    {
                        int k20466 = 0;
                        while (k20466 < n + 1)
                        {
                            k20466++;
                            y -= Math.Tanh(Math.Tanh(y));
                        }
                        if (-1.73 > 0 && x < 1)
                        {
                            y /= 1 + Math.Sin(x) * Math.Min((n * y), Smooth(x));
                            double dn = Math.Abs(Math.Abs(1.54));
                            return Math.Max(x, -1.17);
                        }
                        y = Weighted(a, y) > 0 && a[n % a.Length] < 1 ? (n * y) : a[n % a.Length];
                    }
                    int k20467 = 0;
                    while (k20467 < n + 1)
                    {
                        k20467++;
                        switch (n % 3)
                        {
                            case 0:
                                x = (Math.Max(a[n % a.Length], x) + x);
                                goto case 1;
                            case 1:
                                y = Math.Abs(Smooth(x));
                                goto default;
                            default:
                                y = (y - Math.Sin(x));
                                break;
                        }
                        Nudge(ref x, ref x, Math.Tanh(y));
                    }
                    int h = 0;
                    while (h < n + 1)
                    {
                        h++;
                        if (Math.Exp(Math.Cos(x)) > Math.Exp(Math.Cos(-1.44)))
                        {
                            double t = Math.Max((n * x), Math.Max(y, x));
                            t -= Math.Tanh((n * t));
                            x = -1.74;
                        }
                    }
                    return ((Smooth(x) / (1 + y * y)) + Math.Sqrt(1 + y * y));
                }

                public static double Probe(double x, double y, double[] a, int n, double[] gradient)
                {
                    var da = new double[a.Length];
                    var value = FGradient(x, y, a, n, out var dx, out var dy, da);
                    gradient[0] = dx;
                    gradient[1] = dy;
                    da.CopyTo(gradient, 2);
                    return value;
                }

                public static double ProbeHessianVector(double x, double y, double[] a, int n, double[] direction, double[] product) =>
                    FHessianVector(x, y, a, n, direction[0], direction[1], direction.AsSpan(2), out product[0], out product[1], product.AsSpan(2));
            }
            """;
        var (result, _) = GeneratorHarness.Run(source);
        using var loaded = LoadedAssembly.Emit(GeneratorHarness.CreateCompilation(source).AddSyntaxTrees(result.GeneratedTrees), "near-a-branch");
        var type = loaded.Assembly.GetType("P84_43")!;
        double[] point = [-0.04589419301873732, 0.10028868592357676, -0.8942323903991991, -0.8474734946375124, -0.12854406848947708];
        double[] v = [0.6302755119420009, 0.8009101067673927, -0.9646109593867376, 0.548749601258314, 0.39567863167993655];
        var product = new double[5];
        type.GetMethod("ProbeHessianVector")!.Invoke(null, [point[0], point[1], point[2..], 2, v, product]);
        double GradientX(double t)
        {
            var gradient = new double[5];
            var p = point.Select((value, i) => value + (t * v[i])).ToArray();
            type.GetMethod("Probe")!.Invoke(null, [p[0], p[1], p[2..], 2, gradient]);
            return gradient[0];
        }

        double Difference(double h) => (GradientX(h) - GradientX(-h)) / (2 * h);

        Assert.True(Math.Abs(product[0] - Difference(1e-6)) <= 1e-6 * Math.Abs(product[0]), $"H·v {product[0]:R}, step 1e-6 {Difference(1e-6):R}");
        Assert.True(Math.Abs(product[0] - Difference(2.5e-6)) <= 1e-6 * Math.Abs(product[0]), $"H·v {product[0]:R}, step 2.5e-6 {Difference(2.5e-6):R}");
        Assert.True(Math.Abs(Difference(1e-5) - Difference(4e-5)) <= 1e-3, "the two crossing steps no longer agree: the branch moved");
        Assert.True(Math.Abs(product[0] - Difference(1e-5)) > 0.1, "step 1e-5 no longer crosses the branch");
    }

    /// <summary>
    /// Seed 51205, batch 4, method 15, reduced: a sum-loop helper called in a loop is read in place where it can be, and
    /// stays a call where it cannot (here the second call, in a compound assignment to the value it is passed); the failed
    /// attempt left the helper's locals declared, unused, in forward mode — CS0219 (s2, weightedResult2).
    /// </summary>
    [Fact]
    public void SumLoopHelperThatStaysACall_LeavesNoLocalBehind()
    {
        AcceptedWithoutWarnings("""
            using System;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static double Weighted(double[] a, double w)
                {
                    double s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += a[i] * w;
                    }

                    return s;
                }

                [Differentiable]
                private static double Smooth(double v) => v * Math.Tanh(v);

                [Differentiable]
                public static double F(double x, double y, double[] a, int n)
                {
                    for (int k = 0; k < n; k++)
                    {
                        y /= 1 + (Weighted(a, x) * a[n % a.Length]) * (Weighted(a, y) * Smooth(y));
                    }

                    return y;
                }
            }
            """);
    }

    private static void AcceptedWithoutWarnings(string source)
    {
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        var generated = result.GeneratedTrees.ToHashSet();
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output).Where(d => d.Location.SourceTree is { } tree && generated.Contains(tree)));
    }
}
