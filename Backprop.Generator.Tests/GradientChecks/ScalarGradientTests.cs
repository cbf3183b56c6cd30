using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Every [Differentiable] function in GradientChecks/Functions with scalar parameters: the generated
/// <c>…Gradient</c> against central differences at seeded random points, and <c>…Backward</c> with
/// dResult ≠ 1 and pre-filled adjoints to show that it adds.
/// </summary>
public sealed class ScalarGradientTests
{
    private const int Points = 6;

    public static TheoryData<string> Functions()
    {
        var data = new TheoryData<string>();
        foreach (var method in AllFunctions())
        {
            data.Add(method.DeclaringType!.Name + "." + method.Name);
        }

        return data;
    }

    [Fact]
    public void Catalog_HasAtLeastEightyFunctions()
    {
        var count = AllFunctions().Count() + SequenceGradientTests.FunctionCount;
        Assert.True(count >= 80, $"only {count} functions are gradient-checked");
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Gradient_MatchesFiniteDifferences(string name)
    {
        var function = Find(name);
        var seed = name.Aggregate(17, (h, c) => unchecked((h * 31) + c));
        var random = new Random(seed);
        var checkedPoints = 0;

        for (var point = 0; point < Points * 4 && checkedPoints < Points; point++)
        {
            var args = function.SampleArguments(random, point);
            var gradient = function.Gradient(args, out var value);
            function.AssertIsValueAt(args, value);

            var smooth = true;
            var failures = new List<string>();
            for (var k = 0; k < function.DifferentiableIndices.Count; k++)
            {
                var index = function.DifferentiableIndices[k];
                var x = Convert.ToDouble(args[index]);
                var isFloat = function.InvolvesFloat(index);
                var tolerance = isFloat ? 1e-3 : 1e-6;
                var h = isFloat ? FiniteDifference.FloatStep(x) : FiniteDifference.DoubleStep(x);
                double F(double v) => function.PrimalWith(args, index, v);
                if (!FiniteDifference.IsSmoothAt(F, x, h, isFloat ? 1e-2 : 1e-4, isFloat ? 1e-4 : null))
                {
                    smooth = false;
                    break;
                }

                var expected = FiniteDifference.Central(F, x, h);
                var error = FiniteDifference.RelativeError(gradient[k], expected);
                if (error > tolerance)
                {
                    failures.Add($"d{function.Method.GetParameters()[index].Name}: generated {gradient[k]:R}, finite difference {expected:R} (relative error {error:E2})");
                }
            }

            if (!smooth)
            {
                continue; // a kink or branch boundary is within the step: the finite difference means nothing here
            }

            checkedPoints++;
            Assert.True(failures.Count == 0, $"{name} at ({string.Join(", ", args)}), seed {seed}:\n" + string.Join("\n", failures));
        }

        Assert.True(checkedPoints >= Points / 2, $"{name}: only {checkedPoints} smooth points found (seed {seed})");
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Backward_AddsScaledGradientIntoPrefilledAdjoints(string name)
    {
        var function = Find(name);
        var random = new Random(12345);
        var args = function.SampleArguments(random);
        var gradient = function.Gradient(args, out var value);
        var prefilled = function.DifferentiableIndices.Select(_ => random.NextDouble() * 4 - 2).ToArray();
        const double dResult = -1.75;

        var adjoints = function.Backward(args, dResult, prefilled, out var backwardValue);
        Assert.Equal(value, backwardValue, 12);
        for (var k = 0; k < adjoints.Length; k++)
        {
            var tolerance = function.InvolvesFloat(function.DifferentiableIndices[k]) ? 1e-5 : 1e-12;
            var expected = prefilled[k] + (dResult * gradient[k]);
            Assert.True(FiniteDifference.RelativeError(adjoints[k], expected) <= tolerance,
                $"{name}: adjoint {k} is {adjoints[k]:R}, expected {prefilled[k]:R} + {dResult} * {gradient[k]:R} = {expected:R}");
        }
    }

    /// <summary>
    /// Forward mode agrees with reverse mode: FTangent with a random direction v gives Σ ∂F/∂xₖ·vₖ, the gradient's dot
    /// product with v — the same derivative from the other direction, through every construct of the catalog.
    /// </summary>
    [Theory]
    [MemberData(nameof(Functions))]
    public void Tangent_IsTheGradientDottedWithTheDirection(string name)
    {
        var function = Find(name);
        var random = new Random(2468);
        for (var point = 0; point < 4; point++)
        {
            var args = function.SampleArguments(random, point);
            var gradient = function.Gradient(args, out var value);
            var direction = function.DifferentiableIndices.Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var tangent = function.Tangent(args, direction, out var tangentValue);

            Assert.Equal(value, tangentValue, 12);
            var expected = gradient.Zip(direction, (g, v) => g * v).Sum();
            var tolerance = function.DifferentiableIndices.Any(function.InvolvesFloat) ? 1e-4 : 1e-10;
            Assert.True(FiniteDifference.RelativeError(tangent, expected) <= tolerance,
                $"{name} at ({string.Join(", ", args)}): tangent {tangent:R}, gradient · direction {expected:R}");
        }
    }

    /// <summary>
    /// Second order: FHessianVector(x, v) is H·v, which is the derivative of the gradient along v — checked against the
    /// central difference (∇F(x + hv) - ∇F(x - hv))/2h of the generated gradient, through every construct of the catalog.
    /// A function that calls through a first-order [DerivativeRule] has none, and says why.
    /// </summary>
    [Theory]
    [MemberData(nameof(Functions))]
    public void HessianVector_MatchesDifferencesOfTheGradient(string name)
    {
        var function = Find(name);
        if (function.NoSecondDerivative is { } reason)
        {
            Assert.Contains("[DerivativeRule]", reason);
            return;
        }

        var random = new Random(97531);
        var isFloat = function.DifferentiableIndices.Any(function.InvolvesFloat);
        var checkedPoints = 0;
        for (var point = 0; point < 24 && checkedPoints < 4; point++)
        {
            var args = function.SampleArguments(random, point);
            var direction = function.DifferentiableIndices.Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var product = function.HessianVector(args, direction, out var value);
            function.AssertIsValueAt(args, value);

            var h = isFloat ? 1e-2 : 1e-5;
            double[] GradientAt(double t) => function.Gradient(Moved(function, args, direction, t), out _);
            double[] Difference(double step) => GradientAt(step).Zip(GradientAt(-step), (a, b) => (a - b) / (2 * step)).ToArray();
            var (fine, coarse) = (Difference(h), Difference(h * 4));
            var tolerance = isFloat ? 2e-2 : 1e-5;
            if (fine.Zip(coarse, (a, b) => FiniteDifference.RelativeError(a, b)).Any(e => e > tolerance))
            {
                continue; // a kink or a branch boundary within the step: the gradient jumps there, and H·v means nothing
            }

            checkedPoints++;
            for (var k = 0; k < product.Length; k++)
            {
                Assert.True(FiniteDifference.RelativeError(product[k], fine[k]) <= tolerance,
                    $"{name} at ({string.Join(", ", args)}) along ({string.Join(", ", direction)}): (H·v)[{k}] is {product[k]:R}, the gradient's difference {fine[k]:R}");
            }
        }

        Assert.True(checkedPoints >= 2, $"{name}: only {checkedPoints} points where the gradient is smooth");
    }

    /// <summary>FHessian is symmetric, and its row k is FHessianVector along the k-th unit vector.</summary>
    [Theory]
    [MemberData(nameof(Functions))]
    public void Hessian_IsSymmetricAndMadeOfHessianVectorProducts(string name)
    {
        var function = Find(name);
        if (function.NoSecondDerivative is not null)
        {
            return;
        }

        var random = new Random(8642);
        var args = function.SampleArguments(random);
        var n = function.DifferentiableIndices.Count;
        var hessian = function.Hessian(args, out var value);
        function.AssertIsValueAt(args, value);
        var tolerance = function.DifferentiableIndices.Any(function.InvolvesFloat) ? 1e-4 : 1e-9;
        for (var k = 0; k < n; k++)
        {
            var unit = Enumerable.Range(0, n).Select(i => i == k ? 1.0 : 0.0).ToArray();
            var row = function.HessianVector(args, unit, out _);
            for (var j = 0; j < n; j++)
            {
                Assert.True(FiniteDifference.RelativeError(hessian[k * n + j], row[j]) <= tolerance, $"{name}: H[{k},{j}] = {hessian[k * n + j]:R}, (H·e{k})[{j}] = {row[j]:R}");
                Assert.True(FiniteDifference.RelativeError(hessian[k * n + j], hessian[j * n + k]) <= Math.Max(tolerance, 1e-7), $"{name}: H[{k},{j}] = {hessian[k * n + j]:R} but H[{j},{k}] = {hessian[j * n + k]:R}");
            }
        }
    }

    private static object[] Moved(ReflectedFunction function, object[] args, double[] direction, double t)
    {
        var moved = (object[])args.Clone();
        for (var k = 0; k < direction.Length; k++)
        {
            var index = function.DifferentiableIndices[k];
            var x = Convert.ToDouble(args[index]) + t * direction[k];
            moved[index] = args[index] is float ? (object)(float)x : x;
        }

        return moved;
    }

    private static IEnumerable<MethodInfo> AllFunctions() =>
        typeof(ScalarGradientTests).Assembly.GetTypes()
            .Where(t => t.Namespace == "Backprop.Generator.Tests.GradientChecks.Functions")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null && m.GetCustomAttribute<SampleAttribute>() is not null)
            .OrderBy(m => m.DeclaringType!.Name + "." + m.Name, StringComparer.Ordinal);

    private static ReflectedFunction Find(string name) =>
        new(AllFunctions().Single(m => m.DeclaringType!.Name + "." + m.Name == name));
}
