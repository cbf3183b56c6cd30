using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace Backprop.Generator.Tests.Docs;

/// <summary>
/// The examples of README.md and of every page in docs/ compile, with the generator, without an error or a warning:
/// every <c>```csharp</c> block that starts with <c>using</c> is a whole file (its statements may follow its types, as a reader reads them: they are
/// moved first). Blocks that start otherwise — the generated code shown, excerpts — are only read. (Found on trial: a
/// README example called a NativeMath that does not exist.)
/// </summary>
public sealed partial class DocsExampleTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, line, _) in Blocks())
        {
            data.Add(file, line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_Compiles_WithoutErrorsOrWarnings(string file, int line)
    {
        var code = Blocks().Single(b => b.File == file && b.Line == line).Code;
        // A file with top-level statements is a program; one without, a library.
        var input = GeneratorHarness.CreateCompilation(StatementsFirst(code))
            .AddReferences(
                MetadataReference.CreateFromFile(typeof(Backprop.Onnx.OnnxExport).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(Backprop.Distributed.MpiWorld).Assembly.Location));
        input = input.WithOptions(input.Options.WithOutputKind(HasStatements(code) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, $"{file} line {line}:\n{string.Join("\n", problems)}\n{code}");
    }

    [Fact]
    public void EveryGuide_HasCompiledExamples()
    {
        var files = Blocks().Select(b => b.File).ToHashSet();
        Assert.Superset(new HashSet<string> { "README.md", "docs/getting-started.md", "docs/tensors.md", "docs/interop.md", "docs/contract.md", "docs/distributed.md" }, files);
    }

    private static IEnumerable<(string File, int Line, string Code)> Blocks() =>
        new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(Repository.Root(), "docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p)).Order(StringComparer.Ordinal))
            .SelectMany(file => Blocks(file));

    private static IEnumerable<(string File, int Line, string Code)> Blocks(string file) =>
        Repository.CsharpBlocks(file)
            .Where(b => b.Lines.Length > 0 && b.Lines[0].StartsWith("using ", StringComparison.Ordinal))
            .Select(b => (file, b.Start, string.Join("\n", b.Lines)));

    /// <summary>The file with its top-level statements ahead of its type declarations, where C# wants them.</summary>
    private static string StatementsFirst(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, GeneratorHarness.ParseOptions).GetCompilationUnitRoot();
        var members = root.Members.OfType<GlobalStatementSyntax>().Cast<MemberDeclarationSyntax>()
            .Concat(root.Members.Where(m => m is not GlobalStatementSyntax));
        return root.WithMembers(SyntaxFactory.List(members)).ToFullString();
    }

    private static bool HasStatements(string code) =>
        CSharpSyntaxTree.ParseText(code, GeneratorHarness.ParseOptions).GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
}
