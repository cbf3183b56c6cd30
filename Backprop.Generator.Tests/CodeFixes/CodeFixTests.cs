using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Backprop.Generator.CodeFixes;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Backprop.Generator.Tests.CodeFixes;

/// <summary>Each code fix, driven through the Roslyn workspace: source in, the generator's diagnostic, fixed source out — which then compiles clean.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public async Task MarkCalleeDifferentiable_AddsTheAttributeAndMakesTheTypePartial()
    {
        var fixedSource = await FixAsync(new MarkCalleeDifferentiableCodeFix(), "BP0004", """
            using Backprop;

            public static partial class Losses
            {
                [Differentiable]
                public static double F(double x) => Helpers.Square(x) + 1;
            }

            public static class Helpers
            {
                public static double Square(double v) => v * v;
            }
            """);

        Assert.Equal("""
            using Backprop;

            public static partial class Losses
            {
                [Differentiable]
                public static double F(double x) => Helpers.Square(x) + 1;
            }

            public static partial class Helpers
            {
                [Differentiable]
                public static double Square(double v) => v * v;
            }
            """, fixedSource);
    }

    [Fact]
    public async Task WrapInNoDiff_WrapsTheArgumentsThatCarryGradient()
    {
        var fixedSource = await FixAsync(new WrapInNoDiffCodeFix(), "BP0004", """
            using Backprop;

            public static partial class Losses
            {
                [Differentiable]
                public static double F(double x, int n) => x * Scale(x * 2, n);

                private static double Scale(double v, int n) => v * n;
            }
            """);

        Assert.Equal("""
            using Backprop;

            public static partial class Losses
            {
                [Differentiable]
                public static double F(double x, int n) => x * Scale(NoDiff.Value(x * 2), n);

                private static double Scale(double v, int n) => v * n;
            }
            """, fixedSource);
    }

    [Fact]
    public async Task WrapInNoDiff_MarksAnIntegerConversionAsIntended()
    {
        var fixedSource = await FixAsync(new WrapInNoDiffCodeFix(), "BP0011", """
            using Backprop;

            public static partial class Losses
            {
                [Differentiable]
                public static double F(double x) => (int)(x * 10) * x;
            }
            """);

        Assert.Contains("(int)NoDiff.Value(x * 10) * x", fixedSource, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkParameterNoDiff_MarksTheParameterPassedToTheCall()
    {
        var fixedSource = await FixAsync(new MarkParameterNoDiffCodeFix(), "BP0004", """
            using Backprop;

            public static partial class Losses
            {
                [Differentiable]
                public static double F(double x, double scale) => x * Helper(scale);

                private static double Helper(double v) => v * v;
            }
            """);

        Assert.Contains("public static double F(double x, [NoDiff] double scale) => x * Helper(scale);", fixedSource, System.StringComparison.Ordinal);
    }

    /// <summary>Applies the first action <paramref name="fix"/> offers for diagnostic <paramref name="id"/>, and checks the result compiles with no BP error.</summary>
    private static async Task<string> FixAsync(CodeFixProvider fix, string id, string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Fixes", "Fixes", LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CreateCompilation().Options,
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.CreateCompilation().References));
        var document = workspace.AddDocument(project.Id, "Input0.cs", SourceText.From(source));

        var diagnostic = await GeneratorDiagnosticAsync(document, id);
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var action = Assert.Single(actions);
        var operation = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
        var fixedDocument = operation.ChangedSolution.GetDocument(document.Id)!;
        var text = (await fixedDocument.GetTextAsync()).ToString();

        var (result, _) = GeneratorHarness.Run(text);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return text;
    }

    /// <summary>Runs the generator over the document and returns its diagnostic <paramref name="id"/>, located in the document as the IDE shows it.</summary>
    private static async Task<Diagnostic> GeneratorDiagnosticAsync(Document document, string id)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult();
        var found = result.Diagnostics.Single(d => d.Id == id);
        var tree = (await document.GetSyntaxTreeAsync())!;
        return Diagnostic.Create(found.Descriptor, Location.Create(tree, found.Location.SourceSpan), found.GetMessage());
    }
}
