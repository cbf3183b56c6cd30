using System;
using System.Linq;
using System.Reflection;
using Backprop.Generator.Tests.GradientChecks.Tensors;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>
/// Random tensor methods through the real generator: every one is accepted, its generated code compiles with no warning,
/// and the gradient of every input matches central differences of F at a random point. The bounded run here takes
/// seconds; for a large run set BACKPROP_TENSOR_FUZZ_METHODS (e.g. 5000) and BACKPROP_TENSOR_FUZZ_SEED.
/// </summary>
public sealed class RandomTensorProgramTests(ITestOutputHelper output)
{
    private const int BatchSize = 25;

    [Fact]
    public void RandomTensorMethods_GenerateCompilingCodeWithFiniteDifferenceGradients()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_TENSOR_FUZZ_METHODS"), out var n) ? n : 150;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_TENSOR_FUZZ_SEED"), out var s) ? s : 20261201;
        var generator = new RandomTensorProgramGenerator(seed);
        int checkedElements = 0, kinks = 0;
        for (var batch = 0; batch * BatchSize < total; batch++)
        {
            var sources = Enumerable.Range(0, Math.Min(BatchSize, total - (batch * BatchSize))).Select(i => generator.Next($"T{batch}_{i}")).ToArray();
            var (result, compilation) = GeneratorHarness.Run(sources);
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                Assert.Fail($"seed {seed}, batch {batch}: {string.Join("\n", errors)}\n{Source(sources, errors[0])}");
            }
            using var loaded = LoadedAssembly.Emit(compilation, $"tensorfuzz{batch}");
            var warnings = loaded.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(warnings.Count == 0, $"seed {seed}, batch {batch}: {string.Join("\n", warnings)}");
            var random = new Random(seed + batch);
            for (var i = 0; i < sources.Length; i++)
            {
                var type = loaded.Assembly.GetType($"T{batch}_{i}")!;
                var (elements, skipped) = Check(type, random, $"seed {seed}, batch {batch}, method {i}:\n{sources[i]}");
                checkedElements += elements;
                kinks += skipped;
            }
        }

        output.WriteLine($"seed {seed}: {total} methods, {checkedElements} gradient elements checked, {kinks} skipped where the difference is not steady");
        Assert.True(kinks <= checkedElements / 20, $"{kinks} of {checkedElements + kinks} elements skipped: more than kinks explain");
    }

    [Fact]
    public void Grammar_ReachesEveryGate()
    {
        var generator = new RandomTensorProgramGenerator(20261202);
        var sources = string.Join("\n", Enumerable.Range(0, 100).Select(i => generator.Next($"G{i}")));
        foreach (var gate in new[] { " + v", "Multiply(", "Tanh(", "Sigmoid(", " * (0.25f * ", "Layer(", "Sum(", "SumOfSquares(", " - " })
        {
            Assert.Contains(gate, sources, StringComparison.Ordinal);
        }

        Assert.Matches(@"\n        (t\d+) = .*\b\1\b", sources); // a local reassigned from its own value
    }

    private static (int Checked, int Skipped) Check(Type type, Random random, string where)
    {
        var f = type.GetMethod("F")!;
        var gradient = type.GetMethod("FGradient")!;
        const int size = RandomTensorProgramGenerator.Size;
        var inputs = new object[] { Fill(Tensor.Matrix(size, size), random), Fill(Tensor.Matrix(size, size), random), Fill(Tensor.Matrix(size, size), random), Fill(Tensor.Vector(size), random), (float)(random.NextDouble() - 0.5) };
        var adjoints = inputs.Take(4).Select(t => (object)Tensor.ZerosLike((Tensor)t)).Append(0f).ToArray();
        var arguments = inputs.Concat(adjoints).ToArray();
        gradient.Invoke(null, arguments);
        float Value() => (float)f.Invoke(null, inputs)!;
        int checkedCount = 0, skipped = 0;
        for (var k = 0; k < 4; k++)
        {
            var tensor = (Tensor)inputs[k];
            var analytic = ((Tensor)arguments[5 + k]).ToArray();
            for (var i = 0; i < tensor.Length; i++)
            {
                var numeric = Extrapolated(h => TensorChecks.Central(tensor, i, Value, h), out var steady);
                if (!steady)
                {
                    skipped++;
                    continue;
                }

                Assert.True(Close(analytic[i], numeric), $"d{"abcv"[k]}[{i}] = {analytic[i]}, finite difference {numeric} ({where})");
                checkedCount++;
            }
        }

        var s = (float)inputs[4];
        var ds = (float)arguments[9];
        var ofS = Extrapolated(h => AlongS(inputs, s, h, Value), out var sSteady);
        inputs[4] = s;
        if (!sSteady)
        {
            return (checkedCount, skipped + 1);
        }

        Assert.True(Close(ds, ofS), $"ds = {ds}, finite difference {ofS} ({where})");
        return (checkedCount + 1, skipped);
    }

    /// <summary>
    /// The derivative from central differences at steps h and h/2, extrapolated (Richardson: (4·D(h/2) − D(h))/3, whose
    /// error is of order h⁴, not h²: products like t·t have third derivatives large enough to move D(h) by 1 %). It is
    /// steady when the two differences agree to 2 %, as they do away from where Tanh saturates in float.
    /// </summary>
    private static double Extrapolated(Func<float, double> central, out bool steady)
    {
        var coarse = central(1e-2f);
        var fine = central(5e-3f);
        var extrapolated = ((4 * fine) - coarse) / 3;
        steady = Math.Abs(fine - coarse) <= 2e-2 * Math.Max(1, Math.Abs(extrapolated));
        return extrapolated;
    }

    private static double AlongS(object[] inputs, float s, float h, Func<float> value)
    {
        inputs[4] = s + h;
        double plus = value();
        inputs[4] = s - h;
        double minus = value();
        return (plus - minus) / (2 * h);
    }

    private static bool Close(double analytic, double numeric) => Math.Abs(analytic - numeric) <= 5e-3 * Math.Max(1, Math.Abs(numeric));

    private static Tensor Fill(Tensor tensor, Random random) => TensorChecks.Fill(tensor, random, 0.8);

    private static string Source(string[] sources, Diagnostic diagnostic) =>
        int.TryParse(diagnostic.Location.GetLineSpan().Path.Replace("Input", string.Empty, StringComparison.Ordinal).Replace(".cs", string.Empty, StringComparison.Ordinal), out var index) && index < sources.Length
            ? sources[index] : string.Empty;
}
