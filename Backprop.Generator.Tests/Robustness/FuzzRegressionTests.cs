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

    private static void AcceptedWithoutWarnings(string source)
    {
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        var generated = result.GeneratedTrees.ToHashSet();
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output).Where(d => d.Location.SourceTree is { } tree && generated.Contains(tree)));
    }
}
