using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>Runs the generator in memory over source text, the way the compiler does, with step tracking on.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(DifferentiableAttribute).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Backprop.HarnessInput",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Input{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new DifferentiableGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns its result and the compilation with the generated files added.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.DoesNotContain(generatorDiagnostics, d => d.Id == "CS8785");
        var result = driver.GetRunResult();
        AssertNoCompilerObjectsInModels(result);
        return (result, output);
    }

    /// <summary>The files generated for methods: every generated file but the System.Numerics definitions every run adds.</summary>
    public static IEnumerable<SyntaxTree> MethodTrees(GeneratorDriverRunResult result) =>
        result.GeneratedTrees.Where(t => Path.GetFileName(t.FilePath) != "Backprop.NumericsDefinitions.g.cs");

    /// <summary>The text of the one file generated for <paramref name="methodName"/>.</summary>
    public static string GeneratedFor(GeneratorDriverRunResult result, string methodName) =>
        result.GeneratedTrees.Single(t => Path.GetFileName(t.FilePath).Contains("." + methodName + ".", StringComparison.Ordinal)).ToString();

    /// <summary>Errors and warnings of the input plus generated code (informational and hidden ones aside).</summary>
    public static ImmutableArray<Diagnostic> ErrorsAndWarnings(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>
    /// Walks every tracked step output by reflection and fails on a symbol, syntax node, compilation or
    /// location: any of them would pin a compilation in the cache and defeat incremental generation.
    /// </summary>
    private static void AssertNoCompilerObjectsInModels(GeneratorDriverRunResult result)
    {
        var ours = new[] { TrackingNames.Parse, TrackingNames.Differentiate };
        foreach (var step in result.Results.SelectMany(r => r.TrackedSteps).Where(s => ours.Contains(s.Key)).SelectMany(s => s.Value))
        {
            foreach (var (output, _) in step.Outputs)
            {
                Walk(output, step.Name ?? "step", new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or Location or SemanticModel,
            $"{path} holds a {value.GetType().Name}: models must carry values, not compiler objects");
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                Walk(item, $"{path}[{i++}]", seen);
            }

            return;
        }

        if (value.GetType().Namespace?.StartsWith("Backprop", StringComparison.Ordinal) != true)
        {
            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            Walk(property.GetValue(value), path + "." + property.Name, seen);
        }
    }
}
