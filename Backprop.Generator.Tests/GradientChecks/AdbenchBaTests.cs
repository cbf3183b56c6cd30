using System;
using Backprop.Benchmarks.Adbench;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// ADBench's bundle adjustment as the benchmark runs it (Backprop.Benchmarks/Adbench): the generated Jacobian blocks, the
/// hand-written Manual ones and central differences of the objective agree — so the benchmark compares two right answers.
/// </summary>
public sealed class AdbenchBaTests
{
    [Theory]
    [InlineData(3, 5, 12)]
    [InlineData(1, 2, 4)]
    public void GeneratedJacobian_EqualsManual_AndCentralDifferences(int n, int m, int p)
    {
        var problem = new BaProblem(n, m, p, seed: n + (10 * m) + (100 * p));
        var (generated, manual) = (new Result(p), new Result(p));
        Ba.Jacobian(problem, generated.Errors, generated.WeightErrors, generated.Blocks, generated.WeightDerivatives);
        BaManual.Jacobian(problem, manual.Errors, manual.WeightErrors, manual.Blocks, manual.WeightDerivatives);

        var objective = new Result(p);
        Ba.Objective(problem, objective.Errors, objective.WeightErrors);
        AssertClose(objective.Errors, generated.Errors, 1e-12);
        AssertClose(objective.Errors, manual.Errors, 1e-12);
        AssertClose(objective.WeightErrors, generated.WeightErrors, 0);
        AssertClose(manual.Blocks, generated.Blocks, 1e-10);
        AssertClose(manual.WeightDerivatives, generated.WeightDerivatives, 0);

        for (var i = 0; i < p; i++)
        {
            AssertClose(CentralDifferences(problem, i), generated.Blocks.AsSpan(2 * Ba.BlockColumns * i, 2 * Ba.BlockColumns).ToArray(), 1e-6);
        }
    }

    /// <summary>A camera that does not rotate takes Rodrigues' other branch (first order in r): the blocks still agree.</summary>
    [Fact]
    public void ZeroRotation_TakesTheFirstOrderBranch_AndStillAgrees()
    {
        var problem = new BaProblem(2, 3, 6, seed: 7);
        problem.Cams.AsSpan(0, 3).Clear(); // camera 0: observations 0, 2 and 4
        var (generated, manual) = (new Result(6), new Result(6));
        Ba.Jacobian(problem, generated.Errors, generated.WeightErrors, generated.Blocks, generated.WeightDerivatives);
        BaManual.Jacobian(problem, manual.Errors, manual.WeightErrors, manual.Blocks, manual.WeightDerivatives);

        AssertClose(manual.Errors, generated.Errors, 1e-12);
        AssertClose(manual.Blocks, generated.Blocks, 1e-10);
        Assert.NotEqual(0, generated.Blocks[0]); // ∂err₀/∂r₀ = −f·… ≠ 0 through −[p]×
    }

    [Fact]
    public void ReprojectionErrorJacobian_AllocatesNothingWarm()
    {
        var problem = new BaProblem(2, 3, 50, seed: 3);
        var result = new Result(50);
        Ba.Jacobian(problem, result.Errors, result.WeightErrors, result.Blocks, result.WeightDerivatives);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Ba.Jacobian(problem, result.Errors, result.WeightErrors, result.Blocks, result.WeightDerivatives);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Observation i's block by central differences of its error in each of its 15 inputs (row-major 2 × 15).</summary>
    private static double[] CentralDifferences(BaProblem problem, int i)
    {
        var inputs = new double[Ba.BlockColumns];
        problem.Camera(i).CopyTo(inputs);
        problem.Point(i).CopyTo(inputs.AsSpan(Ba.CameraParameters));
        inputs[^1] = problem.W[i];
        var block = new double[2 * Ba.BlockColumns];
        Span<double> plus = stackalloc double[2];
        Span<double> minus = stackalloc double[2];
        for (var column = 0; column < Ba.BlockColumns; column++)
        {
            var h = 1e-6 * Math.Max(1, Math.Abs(inputs[column]));
            var saved = inputs[column];
            inputs[column] = saved + h;
            Error(inputs, problem.Features[2 * i], problem.Features[(2 * i) + 1], plus);
            inputs[column] = saved - h;
            Error(inputs, problem.Features[2 * i], problem.Features[(2 * i) + 1], minus);
            inputs[column] = saved;
            block[column] = (plus[0] - minus[0]) / (2 * h);
            block[Ba.BlockColumns + column] = (plus[1] - minus[1]) / (2 * h);
        }

        return block;
    }

    private static void Error(double[] inputs, double featureX, double featureY, Span<double> err) =>
        Ba.ReprojectionError(inputs.AsSpan(0, Ba.CameraParameters), inputs.AsSpan(Ba.CameraParameters, 3), inputs[^1], featureX, featureY, err);

    /// <summary>|expected − actual| ≤ tolerance · max(1, |expected|), element by element, naming the first that is not.</summary>
    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i} (row {i / Ba.BlockColumns % 2}, column {i % Ba.BlockColumns}): expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    private sealed class Result(int p)
    {
        public double[] Errors { get; } = new double[2 * p];

        public double[] WeightErrors { get; } = new double[p];

        public double[] Blocks { get; } = new double[2 * Ba.BlockColumns * p];

        public double[] WeightDerivatives { get; } = new double[p];
    }
}
