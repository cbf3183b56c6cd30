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
/// Random tensor methods through the real generator: every supported one is accepted, its generated code compiles with
/// no warning, and the gradient of every input matches central differences of F at a random point; every one with a
/// construct tensor code does not support gets a BP error (never a crash or silence). The bounded run here takes
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
        int checkedElements = 0, kinks = 0, rejected = 0;
        for (var batch = 0; batch * BatchSize < total; batch++)
        {
            var methods = Enumerable.Range(0, Math.Min(BatchSize, total - (batch * BatchSize))).Select(i => generator.Next($"T{batch}_{i}")).ToArray();
            var sources = methods.Select(m => m.Source).ToArray();
            var (result, _) = GeneratorHarness.Run(sources);
            for (var i = 0; i < methods.Length; i++)
            {
                var errors = result.Diagnostics.Where(d => d.Location.GetLineSpan().Path == $"Input{i}.cs" && d.Severity == DiagnosticSeverity.Error).ToList();
                var where = $"seed {seed}, batch {batch}, method {i}:\n{sources[i]}";
                Assert.All(errors, d => Assert.StartsWith("BP", d.Id, StringComparison.Ordinal));
                Assert.True(methods[i].Unsupported == errors.Count > 0, methods[i].Unsupported ? $"an unsupported construct was accepted ({where})" : $"a supported method was rejected: {string.Join("; ", errors)} ({where})");
                if (methods[i].Unsupported)
                {
                    Assert.DoesNotContain(result.GeneratedTrees, t => System.IO.Path.GetFileName(t.FilePath).StartsWith($"T{batch}_{i}.F.", StringComparison.Ordinal));
                }
            }

            rejected += methods.Count(m => m.Unsupported);
            var accepted = Enumerable.Range(0, methods.Length).Where(i => !methods[i].Unsupported).ToList();
            var generated = result.GeneratedTrees.Where(t => accepted.Any(i => System.IO.Path.GetFileName(t.FilePath).StartsWith($"T{batch}_{i}.", StringComparison.Ordinal)));
            var compilation = GeneratorHarness.CreateCompilation(accepted.Select(i => sources[i]).ToArray()).AddSyntaxTrees(generated);
            using var loaded = LoadedAssembly.Emit(compilation, $"tensorfuzz{batch}");
            var warnings = loaded.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(warnings.Count == 0, $"seed {seed}, batch {batch}: {string.Join("\n", warnings)}");
            var random = new Random(seed + batch);
            foreach (var i in accepted)
            {
                var type = loaded.Assembly.GetType($"T{batch}_{i}")!;
                var (elements, skipped) = Check(type, random, $"seed {seed}, batch {batch}, method {i}:\n{sources[i]}");
                checkedElements += elements;
                kinks += skipped;
            }
        }

        output.WriteLine($"seed {seed}: {total} methods, {rejected} rejected with a BP error, {checkedElements} gradient elements checked, {kinks} skipped where the difference is not steady");
        Assert.True(kinks <= checkedElements / 20, $"{kinks} of {checkedElements + kinks} elements skipped: more than kinks explain");
    }

    [Fact]
    public void Grammar_ReachesEveryGate()
    {
        var generator = new RandomTensorProgramGenerator(20261202);
        var sources = string.Join("\n", Enumerable.Range(0, 400).Select(i => generator.Next($"G{i}").Source));
        foreach (var gate in new[] { " + v", "Multiply(", "Tanh(", "Sigmoid(", " * (0.25f * ", "Layer(", "Sum(", "SumOfSquares(", " - ", "Relu(", "LeakyRelu(", "Elu(", "Gelu(", "Softmax(", "Maxout(", "Linear(", "Axpy(", "LayerNorm(", "ColumnSums(", "MeanSquaredError(", "SoftmaxCrossEntropy(", "MathF.Tanh(", "MathF.Sqrt(", "Soft(" })
        {
            Assert.Contains(gate, sources, StringComparison.Ordinal);
        }

        Assert.Matches(@"\n        (t\d+) = .*\b\1\b", sources); // a local reassigned from its own value
        foreach (var construct in new[] { " = s > ", "if (s < ", "} else { ", "if (Sum(", "{ return Sum(", "for (var i = 0; ", "{ for (var i = 0; i <= k; i++)", "{ for (var i = 0; i < ", "; i >= 0; i--)", "{ if (i == 1) continue; ", "for (var i = 1; i < 4; i *= 2)", "; i += ", "; i -= 2)", " + 0.1f * Sum(", "new[] { " })
        {
            Assert.Contains(construct, sources, StringComparison.Ordinal);
        }
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
                var numeric = TensorChecks.Extrapolated(offset => TensorChecks.At(tensor, i, offset, Value), out var steady, out var noise);
                if (!steady)
                {
                    skipped++;
                    continue;
                }

                Assert.True(TensorChecks.Close(analytic[i], numeric, noise), $"d{"abcv"[k]}[{i}] = {analytic[i]}, finite difference {numeric} ({where})");
                checkedCount++;
            }
        }

        var s = (float)inputs[4];
        var ds = (float)arguments[9];
        var ofS = TensorChecks.Extrapolated(offset => AlongS(inputs, s, offset, Value), out var sSteady, out var sNoise);
        if (!sSteady)
        {
            return (checkedCount, skipped + 1);
        }

        Assert.True(TensorChecks.Close(ds, ofS, sNoise), $"ds = {ds}, finite difference {ofS} ({where})");
        return (checkedCount + 1, skipped);
    }

    private static double AlongS(object[] inputs, float s, float offset, Func<float> value)
    {
        inputs[4] = s + offset;
        double result = value();
        inputs[4] = s;
        return result;
    }


    private static Tensor Fill(Tensor tensor, Random random) => TensorChecks.Fill(tensor, random, 0.8);
}
