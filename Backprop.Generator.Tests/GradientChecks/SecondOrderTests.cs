using System;
using System.Linq;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Backprop.Testing;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Second order over arrays and spans (the scalar catalog is checked in <see cref="ScalarGradientTests"/>):
/// FHessianVector against central differences of the generated gradient along v, FHessian's rows against
/// FHessianVector, an analytic Hessian, wrong lengths, and no allocation per call once warm.
/// </summary>
[Collection(AllocationMeasurements.Name)]
public sealed class SecondOrderTests
{
    /// <summary>A function of one array and one scalar w, seen as a function of z = (x₀ … xₙ₋₁, w).</summary>
    private sealed record Function(
        Func<double[], double, double> F,
        Func<double[], double, double[], double> Gradient,
        Func<double[], double, double[], double, double[], double> HessianVector,
        Func<double[], double, double[], double> Hessian,
        bool HasScalar);

    private delegate double HessianVectorOfArray(double[] x, ReadOnlySpan<double> vx, Span<double> hx);

    private delegate double HessianOfArray(double[] x, Span<double> hessian);

    private delegate double GradientOfArray(double[] x, Span<double> dx);

    private static Function ArrayOnly(Func<double[], double> f, GradientOfArray gradient, HessianVectorOfArray hessianVector, HessianOfArray hessian) => new(
        (x, _) => f(x),
        (x, _, dz) => gradient(x, dz.AsSpan(0, x.Length)),
        (x, _, v, _, h) => hessianVector(x, v.AsSpan(0, x.Length), h.AsSpan(0, x.Length)),
        (x, _, h) => hessian(x, h),
        HasScalar: false);

    public static TheoryData<string> Functions() => [.. s_functions.Select(f => f.Name)];

    private static readonly (string Name, Function Function, double Min, double Max)[] s_functions =
    [
        ("SumOfSquares", ArrayOnly(Sequences.SumOfSquares, Sequences.SumOfSquaresGradient, Sequences.SumOfSquaresHessianVector, Sequences.SumOfSquaresHessian), -2, 2),
        ("Rosenbrock", ArrayOnly(Sequences.Rosenbrock, Sequences.RosenbrockGradient, Sequences.RosenbrockHessianVector, Sequences.RosenbrockHessian), -1.5, 1.5),
        ("LocalArrayPrefixProducts", ArrayOnly(Sequences.LocalArrayPrefixProducts, Sequences.LocalArrayPrefixProductsGradient, Sequences.LocalArrayPrefixProductsHessianVector, Sequences.LocalArrayPrefixProductsHessian), -1.5, 1.5),
        ("SineIntoElement", ArrayOnly(Sequences.SineIntoElement, Sequences.SineIntoElementGradient, Sequences.SineIntoElementHessianVector, Sequences.SineIntoElementHessian), -1.5, 1.5),
        ("StackArrayWeightedSquares", ArrayOnly(StackArrays.WeightedSquares, StackArrays.WeightedSquaresGradient, StackArrays.WeightedSquaresHessianVector, StackArrays.WeightedSquaresHessian), -1.5, 1.5),
        ("ForEachSumOfSquares", ArrayOnly(ForEachLoops.SumOfSquares, ForEachLoops.SumOfSquaresGradient, ForEachLoops.SumOfSquaresHessianVector, ForEachLoops.SumOfSquaresHessian), -2, 2),
        ("NormalizedWeighted", ArrayOnly(VoidHelpers.NormalizedWeighted, VoidHelpers.NormalizedWeightedGradient, VoidHelpers.NormalizedWeightedHessianVector, VoidHelpers.NormalizedWeightedHessian), -2, 2),
        ("SoftmaxLoss", ArrayOnly(VoidHelpers.SoftmaxLoss, VoidHelpers.SoftmaxLossGradient, VoidHelpers.SoftmaxLossHessianVector, VoidHelpers.SoftmaxLossHessian), -2, 2),
        ("LocalArrayOverwritten", new Function(
            Sequences.LocalArrayOverwritten,
            (x, w, dz) => Sequences.LocalArrayOverwrittenGradient(x, w, dz.AsSpan(0, x.Length), out dz[x.Length]),
            (x, w, v, vw, h) => Sequences.LocalArrayOverwrittenHessianVector(x, w, v.AsSpan(0, x.Length), vw, h.AsSpan(0, x.Length), out h[x.Length]),
            (x, w, h) => Sequences.LocalArrayOverwrittenHessian(x, w, h),
            HasScalar: true), -1, 1),
        ("CallWithArray", new Function(
            Sequences.CallWithArray,
            (x, w, dz) => Sequences.CallWithArrayGradient(x, w, dz.AsSpan(0, x.Length), out dz[x.Length]),
            (x, w, v, vw, h) => Sequences.CallWithArrayHessianVector(x, w, v.AsSpan(0, x.Length), vw, h.AsSpan(0, x.Length), out h[x.Length]),
            (x, w, h) => Sequences.CallWithArrayHessian(x, w, h),
            HasScalar: true), -1.5, 1.5),
        ("EarlyExitSearch", new Function(
            Sequences.EarlyExitSearch,
            (x, w, dz) => Sequences.EarlyExitSearchGradient(x, w, dz.AsSpan(0, x.Length), out dz[x.Length]),
            (x, w, v, vw, h) => Sequences.EarlyExitSearchHessianVector(x, w, v.AsSpan(0, x.Length), vw, h.AsSpan(0, x.Length), out h[x.Length]),
            (x, w, h) => Sequences.EarlyExitSearchHessian(x, w, h),
            HasScalar: true), 0, 1.2),
        ("WeightedOverSpan", new Function(
            (x, w) => ForEachLoops.WeightedOverSpan(x, w),
            (x, w, dz) => ForEachLoops.WeightedOverSpanGradient(x, w, dz.AsSpan(0, x.Length), out dz[x.Length]),
            (x, w, v, vw, h) => ForEachLoops.WeightedOverSpanHessianVector(x, w, v.AsSpan(0, x.Length), vw, h.AsSpan(0, x.Length), out h[x.Length]),
            (x, w, h) => ForEachLoops.WeightedOverSpanHessian(x, w, h),
            HasScalar: true), -2, 2),
        ("ArraysCreatedInLoops", new Function(
            ArrayCalls.ArraysCreatedInLoops,
            (x, w, dz) => ArrayCalls.ArraysCreatedInLoopsGradient(x, w, dz.AsSpan(0, x.Length), out dz[x.Length]),
            (x, w, v, vw, h) => ArrayCalls.ArraysCreatedInLoopsHessianVector(x, w, v.AsSpan(0, x.Length), vw, h.AsSpan(0, x.Length), out h[x.Length]),
            (x, w, h) => ArrayCalls.ArraysCreatedInLoopsHessian(x, w, h),
            HasScalar: true), -2, 2),
        ("AliasedArrays", new Function(
            ArrayCalls.AliasedArrays,
            (x, w, dz) => ArrayCalls.AliasedArraysGradient(x, w, dz.AsSpan(0, x.Length), out dz[x.Length]),
            (x, w, v, vw, h) => ArrayCalls.AliasedArraysHessianVector(x, w, v.AsSpan(0, x.Length), vw, h.AsSpan(0, x.Length), out h[x.Length]),
            (x, w, h) => ArrayCalls.AliasedArraysHessian(x, w, h),
            HasScalar: true), -2, 2),
    ];

    [Theory]
    [MemberData(nameof(Functions))]
    public void HessianVector_MatchesDifferencesOfTheGradient(string name)
    {
        var (_, function, min, max) = s_functions.Single(f => f.Name == name);
        var random = new Random(name.Length * 131);
        var checkedPoints = 0;
        for (var point = 0; point < 16 && checkedPoints < 3; point++)
        {
            var x = Values(random, 6, min, max);
            var w = min + random.NextDouble() * (max - min);
            var n = x.Length + (function.HasScalar ? 1 : 0);
            var v = Values(random, n, -1, 1);
            var product = new double[n];
            Assert.Equal(function.F(x, w), function.HessianVector(x, w, v, function.HasScalar ? v[^1] : 0, product), 12);

            double[] Difference(double h)
            {
                var (plus, minus) = (new double[n], new double[n]);
                function.Gradient(Moved(x, v, h), function.HasScalar ? w + h * v[^1] : w, plus);
                function.Gradient(Moved(x, v, -h), function.HasScalar ? w - h * v[^1] : w, minus);
                return plus.Zip(minus, (a, b) => (a - b) / (2 * h)).ToArray();
            }

            var (fine, coarse) = (Difference(1e-5), Difference(4e-5));
            if (fine.Zip(coarse, FiniteDifference.RelativeError).Any(e => e > 1e-5))
            {
                continue; // a branch boundary (a max, an early exit) within the step
            }

            checkedPoints++;
            for (var k = 0; k < n; k++)
            {
                Assert.True(FiniteDifference.RelativeError(product[k], fine[k]) <= 1e-6,
                    $"{name}: (H·v)[{k}] = {product[k]:R}, difference of the gradient {fine[k]:R} at x = [{string.Join(", ", x)}], w = {w}");
            }
        }

        Assert.True(checkedPoints >= 2, $"{name}: only {checkedPoints} smooth points");
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Hessian_RowsAreHessianVectorProducts_AndItIsSymmetric(string name)
    {
        var (_, function, min, max) = s_functions.Single(f => f.Name == name);
        var random = new Random(name.Length * 17);
        var x = Values(random, 5, min, max);
        var w = min + random.NextDouble() * (max - min);
        var n = x.Length + (function.HasScalar ? 1 : 0);
        var hessian = new double[n * n];
        Assert.Equal(function.F(x, w), function.Hessian(x, w, hessian), 12);
        for (var k = 0; k < n; k++)
        {
            var unit = Enumerable.Range(0, n).Select(i => i == k ? 1.0 : 0.0).ToArray();
            var row = new double[n];
            function.HessianVector(x, w, unit, function.HasScalar ? unit[^1] : 0, row);
            for (var j = 0; j < n; j++)
            {
                Assert.True(FiniteDifference.RelativeError(hessian[k * n + j], row[j]) <= 1e-12, $"{name}: H[{k},{j}] = {hessian[k * n + j]:R}, (H·e{k})[{j}] = {row[j]:R}");
                Assert.True(FiniteDifference.RelativeError(hessian[k * n + j], hessian[j * n + k]) <= 1e-9, $"{name}: H[{k},{j}] = {hessian[k * n + j]:R}, H[{j},{k}] = {hessian[j * n + k]:R}");
            }
        }
    }

    /// <summary>The 2-D Rosenbrock function's Hessian, by hand: [[1200x² − 400y + 2, −400x], [−400x, 200]].</summary>
    [Fact]
    public void Rosenbrock_HessianIsTheAnalyticOne()
    {
        double[] z = [-1.2, 1.0];
        var hessian = new double[4];
        Sequences.RosenbrockHessian(z, hessian);
        var (x, y) = (z[0], z[1]);
        Assert.Equal([1200 * x * x - 400 * y + 2, -400 * x, -400 * x, 200], hessian.Select(h => Math.Round(h, 9)));
    }

    [Fact]
    public void WrongLengths_ThrowAndNameTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => Sequences.RosenbrockHessian([1, 2, 3], new double[8]));
        Assert.Equal("hessian", error.ParamName);
        Assert.Contains("hessian has length 8 but Rosenbrock has 3 differentiable inputs: it must have 3·3 = 9", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => Sequences.RosenbrockHessianVector([1, 2, 3], new double[2], new double[3]));
        Assert.Equal("vx", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Sequences.RosenbrockHessianVector([1, 2, 3], new double[3], new double[4]));
        Assert.Equal("hx", error.ParamName);
    }

    /// <summary>Work buffers come from the shared pool and a looping function's tape is reused: no allocation once warm.</summary>
    [Fact]
    public void WarmCalls_AllocateNothing()
    {
        var x = Values(new Random(5), 50, -1, 1);
        var v = Values(new Random(6), 50, -1, 1);
        var h = new double[50];
        var hessian = new double[50 * 50];
        Sequences.RosenbrockHessianVector(x, v, h);
        Sequences.RosenbrockHessian(x, hessian);
        Sequences.LocalArrayOverwrittenHessianVector(x, 0.5, v, 0.25, h, out _);

        SteadyState.AllocatesNothing(
            () =>
            {
                Sequences.RosenbrockHessianVector(x, v, h);
                Sequences.RosenbrockHessian(x, hessian);
            },
            callsPerWindow: 10);
    }

    private static double[] Moved(double[] x, double[] v, double t) => x.Select((value, i) => value + t * v[i]).ToArray();

    private static double[] Values(Random random, int length, double min, double max) =>
        Enumerable.Range(0, length).Select(_ => min + (random.NextDouble() * (max - min))).ToArray();
}
