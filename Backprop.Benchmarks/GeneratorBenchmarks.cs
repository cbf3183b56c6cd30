using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Backprop.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Benchmarks;

/// <summary>
/// The generator's own cost, which the IDE pays on every keystroke: Roslyn's CSharpGeneratorDriver over 100
/// [Differentiable] methods in 10 files (scalar code with loops, branches, Math calls and calls between methods, and
/// tensor models) — cold (a new driver), after an edit in an unrelated file, and after a one-line edit in one method.
/// Target: warm ≤ 1 ms per method, and an edit re-running only the edited method.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class GeneratorBenchmarks
{
    private const int Files = 10;
    private const int MethodsPerFile = 10;

    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warm = null!;
    private CSharpCompilation _unrelatedEdit = null!;
    private CSharpCompilation _methodEdit = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll")
            .Append(typeof(Tensor).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var trees = Enumerable.Range(0, Files).Select(f => CSharpSyntaxTree.ParseText(File(f), parse, path: $"File{f}.cs")).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("public static class Unrelated { public static int Answer => 42; }", parse, path: "Unrelated.cs"));
        _compilation = CSharpCompilation.Create("GeneratorBenchmark", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _warm = NewDriver().RunGenerators(_compilation);

        var unrelated = trees[^1];
        _unrelatedEdit = _compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("public static class Unrelated { public static int Answer => 43; }")));
        var first = trees[0];
        var text = File(0);
        var at = text.IndexOf("x * y + 1.0", StringComparison.Ordinal); // F0 only
        _methodEdit = _compilation.ReplaceSyntaxTree(first, first.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text.Remove(at, 11).Insert(at, "x * y + 2.0"))));

        var generated = _warm.GetRunResult().GeneratedTrees.Length;
        if (generated < Files * MethodsPerFile || _warm.GetRunResult().Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException($"the benchmark input is wrong: {generated} files generated, {string.Join("; ", _warm.GetRunResult().Diagnostics)}");
        }
    }

    /// <summary>A new driver over the whole compilation: the first build, or opening the solution.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver Cold() => NewDriver().RunGenerators(_compilation);

    /// <summary>A keystroke in a file without [Differentiable] methods: nothing should be differentiated or emitted again.</summary>
    [Benchmark]
    public GeneratorDriver WarmUnrelatedEdit() => _warm.RunGenerators(_unrelatedEdit);

    /// <summary>A one-line edit in one method (F0 of the first file): only it should be differentiated again (F3 calls its pullback, whose signature stays).</summary>
    [Benchmark]
    public GeneratorDriver WarmOneMethodEdited() => _warm.RunGenerators(_methodEdit);

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new DifferentiableGenerator().AsSourceGenerator()], parseOptions: new CSharpParseOptions(LanguageVersion.Latest));

    /// <summary>One file: a partial class with ten [Differentiable] methods of different shapes (one of them tensor code).</summary>
    private static string File(int index)
    {
        var text = new StringBuilder($$"""
            using System;
            using Backprop;

            public sealed partial class Model{{index}}
            {
                public Tensor W = Tensor.Matrix(4, 3), b = Tensor.Vector(3);

            """);
        for (var m = 0; m < MethodsPerFile; m++)
        {
            var name = $"F{m}";
            text.AppendLine((m % 5) switch
            {
                0 => $$"""    [Differentiable] public static double {{name}}(double x, double y) { double q = x * y + 1.0; return Math.Exp(q) / (1 + q * q); }""",
                1 => $$"""    [Differentiable] public static double {{name}}(double[] x) { double s = 0; for (int i = 0; i + 1 < x.Length; i++) { double t = x[i + 1] - x[i] * x[i]; s += 100 * t * t + (1 - x[i]) * (1 - x[i]); } return s; }""",
                2 => $$"""    [Differentiable] public static double {{name}}(double x, int n) { double s = x; for (int i = 0; i < n; i++) { s = Math.Sin(s) * x; if (s > 0.5) { break; } } return s; }""",
                3 => $$"""    [Differentiable] public static double {{name}}(double x, double y) => F0(x, y) * Math.Tanh(x - y) + Math.Max(x, y);""",
                _ => $$"""    [Differentiable] public float {{name}}([NoDiff] Tensor X, int[] labels) => Nn.SoftmaxCrossEntropy(Nn.Relu(X * W + b), labels);""",
            });
        }

        return text.Append('}').AppendLine().ToString();
    }
}
