using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Parsing;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Backprop.Generator.Tests.Diagnostics;

/// <summary>
/// BP0014 at the rule's declaration: a [DerivativeRule] whose rule is missing or has the wrong signature is reported
/// once, at the attribute, whether anything calls the function or not; a matching rule is not reported.
/// </summary>
public sealed class DerivativeRuleAnalyzerTests
{
    [Fact]
    public async Task WrongSignature_IsReportedAtTheAttribute_EvenWhenNothingCallsTheFunction()
    {
        var diagnostic = Assert.Single(await Analyze("""
            public static class C
            {
                [Backprop.DerivativeRule(nameof(CubeBackward))]
                public static double Cube(double x) => x * x * x;

                public static void CubeBackward(double x, double dResult, ref double dx) => dx += 3 * x * x * dResult;
            }
            """, out var source));

        Assert.Equal("BP0014", diagnostic.Id);
        Assert.Equal("Backprop.DerivativeRule(nameof(CubeBackward))", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(
            "The derivative rule of 'C.Cube(double)' cannot be used: 'C.CubeBackward' has another signature. It must be: static void CubeBackward(double x, double result, double dResult, ref double dx).",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task MissingRule_InAnotherType_IsReportedAtTheAttribute()
    {
        var diagnostic = Assert.Single(await Analyze("""
            public static class Rules { }
            public static class C
            {
                [Backprop.DerivativeRule(typeof(Rules), "OpBackward")]
                public static Backprop.Tensor Op(Backprop.Tensor a, [Backprop.NoDiff] float scale) => a;
            }
            """, out _));

        Assert.Contains(
            "'Rules' has no method 'OpBackward'. It must be: static void OpBackward(Tensor a, float scale, Tensor result, Tensor dResult, Tensor? da).",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharesGradient_OnAnAdjointThatIsNotATensor_IsReportedAtTheAttribute()
    {
        var diagnostic = Assert.Single(await Analyze("""
            public static class C
            {
                [Backprop.DerivativeRule(nameof(ShiftBackward))]
                public static Backprop.Tensor Shift(Backprop.Tensor a, float by) => a;

                public static void ShiftBackward(Backprop.Tensor a, float by, Backprop.Tensor result, Backprop.Tensor dResult, Backprop.Tensor? da, [Backprop.SharesGradient] ref float dby) { }
            }
            """, out _));

        Assert.Equal("BP0014", diagnostic.Id);
        Assert.Contains("[SharesGradient] marks 'dby', which is not a Tensor? adjoint", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatchingRule_IsNotReported()
    {
        Assert.Empty(await Analyze("""
            public static class C
            {
                [Backprop.DerivativeRule(nameof(CubeBackward))]
                public static double Cube(double x) => x * x * x;

                public static void CubeBackward(double x, double result, double dResult, ref double dx) => dx += 3 * x * x * dResult;
            }
            """, out _));
    }

    [Fact]
    public async Task CalledFromADifferentiableMethod_TheCallSiteSaysWhyThereIsNoGradient()
    {
        const string Source = """
            public static partial class C
            {
                [Backprop.DerivativeRule(nameof(CubeBackward))]
                public static double Cube(double x) => x * x * x;

                public static void CubeBackward(double x, ref double dx) => dx += 3 * x * x;

                [Backprop.Differentiable]
                public static double F(double x) => Cube(x) + x;
            }
            """;
        var atDeclaration = Assert.Single(await Analyze(Source, out _));
        var atCall = Assert.Single(GeneratorHarness.Run(Source).Result.Diagnostics);

        Assert.Equal(atDeclaration.GetMessage(System.Globalization.CultureInfo.InvariantCulture), atCall.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(atDeclaration.Location, atCall.Location);
    }

    /// <summary>Every rule the runtime declares for its own operations resolves (the analyzer only sees source, so check the metadata here).</summary>
    [Fact]
    public void EveryRuleOfTheRuntime_HasTheSignatureItMustHave()
    {
        var compilation = GeneratorHarness.CreateCompilation();
        var runtime = compilation.GetTypeByMetadataName("Backprop.Nn")!.ContainingAssembly;
        var functions = AllTypes(runtime.GlobalNamespace)
            .SelectMany(t => t.GetMembers().OfType<IMethodSymbol>())
            .Where(m => m.GetAttributes().Any(a => a.AttributeClass?.Name == "DerivativeRuleAttribute"))
            .ToList();

        Assert.True(functions.Count >= 10, $"only {functions.Count} runtime functions declare a rule");
        Assert.All(functions, f => Assert.Null(DerivativeRules.Problem(f)));
    }

    private static Task<ImmutableArray<Diagnostic>> Analyze(string source, out string text)
    {
        text = source;
        var compilation = GeneratorHarness.CreateCompilation(source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation.WithAnalyzers([new DerivativeRuleAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }

    private static System.Collections.Generic.IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns) =>
        ns.GetTypeMembers().Concat(ns.GetNamespaceMembers().SelectMany(AllTypes));
}
