using System;
using System.Linq;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Backprop.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// Types are a record in the model: Parse maps Roslyn's symbols onto it in one place (<see cref="KnownTypes.Of"/>), Emit
/// spells it in one place (<see cref="DataTypes.Spell"/>). These tests hold the pair to what the compiler writes.
/// </summary>
public sealed class DataTypesTests
{
    /// <summary>Locals of every type a differentiable body holds, in a generic method over T.</summary>
    private const string Source = """
        namespace N
        {
            public enum Phase { Train, Evaluate }
            public struct Point { public double X; }
            public static class C
            {
                public static void M<T>(T t, Backprop.Tensor tensor) where T : System.Numerics.IFloatingPointIeee754<T>
                {
                    T u = t; double a = 0; float b = 0; int c = 0; long d = 0; bool e = false;
                    double[] f = null!; float[] g = null!; T[] h = null!;
                    System.Span<double> i = default; System.Span<float> j = default;
                    System.ReadOnlySpan<double> k = default; System.ReadOnlySpan<T> l = default;
                    Phase m = default; Point n = default; System.Numerics.Complex o = default; int[] p = null!;
                    System.Collections.Generic.List<double> q = null!; double[,] r = null!; Backprop.Tensor[] s = null!;
                }
            }
        }
        """;

    [Fact]
    public void EveryLocalsType_SpelledFromTheModel_IsWhatRoslynWrites()
    {
        var locals = Locals();

        Assert.Equal(20, locals.Count);
        foreach (var local in locals)
        {
            var type = KnownTypes.Of(local.Type);

            var expected = local.Type is ITypeParameterSymbol ? local.Type.Name : local.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            Assert.Equal(expected, DataTypes.Spell(type));
        }
    }

    [Fact]
    public void TheModelKnowsWhatEachTypeIs()
    {
        var locals = Locals();
        DataType TypeOf(string name) => KnownTypes.Of(locals.Single(l => l.Name == name).Type);

        Assert.Equal(DataType.Parameter("T"), TypeOf("u"));
        Assert.Equal(DataType.Double, TypeOf("a"));
        Assert.Equal(DataType.Tensor, KnownTypes.Of(locals[0].ContainingSymbol is IMethodSymbol method ? method.Parameters[1].Type : null!));
        Assert.Equal(DataType.ArrayOf(DataType.Float), TypeOf("g"));
        Assert.Equal(DataType.ArrayOf(DataType.Parameter("T")), TypeOf("h"));
        Assert.Equal(DataType.SpanOf(DataType.Double), TypeOf("i"));
        Assert.Equal(DataType.ReadOnlySpanOf(DataType.Parameter("T")), TypeOf("l"));
        Assert.Equal(DataType.Named("global::N.Phase"), TypeOf("m"));
        Assert.True(TypeOf("a").IsFloating && TypeOf("b").IsFloating && TypeOf("h").Element!.IsFloating);
        Assert.False(TypeOf("c").IsFloating || TypeOf("m").IsFloating);
        Assert.True(TypeOf("c").IsInteger && TypeOf("d").IsInteger);
        Assert.True(TypeOf("f").IsIndexed && TypeOf("j").IsIndexed);
        Assert.False(TypeOf("k").IsIndexed);
    }

    /// <summary>A parameter keeps its nullable annotations, wherever they are: the generated members declare it as the user did.</summary>
    [Fact]
    public void AParametersDeclaredType_KeepsItsNullableAnnotations()
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            public static class C
            {
                public static void M(double[] a, double[]? b, Backprop.Tensor? c, System.Collections.Generic.IReadOnlyList<string?> d, double e) { }
            }
            """);
        var method = compilation.GetTypeByMetadataName("C")!.GetMembers("M").OfType<IMethodSymbol>().Single();
        var written = SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        var spelled = method.Parameters.Select(p => DataTypes.Spell(KnownTypes.Declared(p.Type))).ToList();

        Assert.Equal(method.Parameters.Select(p => p.Type.ToDisplayString(written)), spelled);
        Assert.Equal(["double[]", "double[]?", "global::Backprop.Tensor?", "global::System.Collections.Generic.IReadOnlyList<string?>", "double"], spelled);
        Assert.Equal(DataType.ArrayOf(DataType.Double), KnownTypes.Declared(method.Parameters[0].Type));
    }

    [Fact]
    public void EveryKind_IsSpelled_AndItsMessageNameIsNotCSharpForSpans()
    {
        foreach (var kind in Enum.GetValues<DataKind>())
        {
            var type = kind switch
            {
                DataKind.TypeParameter => DataType.Parameter("T"),
                DataKind.Other => DataType.Named("global::N.Phase"),
                DataKind.Array or DataKind.Span or DataKind.ReadOnlySpan => new DataType(kind, Element: DataType.Float),
                _ => new DataType(kind),
            };

            var spelled = DataTypes.Spell(type);

            Assert.False(string.IsNullOrEmpty(spelled));
            Assert.DoesNotContain("DataKind", spelled, StringComparison.Ordinal);
        }

        Assert.Equal("Span<float>", DataType.SpanOf(DataType.Float).ToString());
        Assert.Equal("global::System.Span<float>", DataTypes.Spell(DataType.SpanOf(DataType.Float)));
        Assert.Equal("var", DataTypes.Declared(DataType.Tensor));
        Assert.Equal("global::Backprop.Tensor", DataTypes.Spell(DataType.Tensor));
    }

    /// <summary>The locals of <see cref="Source"/>'s method, in order, from a compilation with no errors.</summary>
    private static System.Collections.Generic.List<ILocalSymbol> Locals()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return tree.GetRoot().DescendantNodes().OfType<LocalDeclarationStatementSyntax>()
            .SelectMany(d => d.Declaration.Variables)
            .Select(v => (ILocalSymbol)model.GetDeclaredSymbol(v)!)
            .ToList();
    }
}
