using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Backprop.Generator.Tests.Docs;

/// <summary>
/// docs/diagnostics.md's examples say what they claim: each line marked <c>// BPnnnn</c> gets that diagnostic from the
/// generator or its analyzer, each line marked <c>// fixed</c> compiles without an error and without that diagnostic. A line is
/// compiled with the block's unmarked lines (its context, such as a helper it calls) inside a partial class.
/// </summary>
public sealed partial class DiagnosticsDocTests
{
    public static TheoryData<int> MarkedLines()
    {
        var data = new TheoryData<int>();
        foreach (var example in Examples())
        {
            data.Add(example.Line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MarkedLines))]
    public void Example_SaysWhatItClaims(int line)
    {
        var example = Examples().Single(e => e.Line == line);
        var diagnostics = Compile(example.Code, example.Context);
        if (example.Fixed)
        {
            if (diagnostics.Any(d => d.Id is "CS0111" or "CS0101" or "CS0102"))
            {
                diagnostics = Compile(example.Code, []); // the fix replaces a line of the context (a helper made [Differentiable])
            }

            Assert.True(diagnostics.All(d => d.Severity != DiagnosticSeverity.Error && d.Id != example.Id),
                $"docs/diagnostics.md line {line} is marked fixed but gets: {string.Join("; ", diagnostics)}");
        }
        else
        {
            Assert.True(diagnostics.Any(d => d.Id == example.Id), $"docs/diagnostics.md line {line} should get {example.Id} but gets: {string.Join("; ", diagnostics)}");
        }
    }

    [Fact]
    public void EveryDiagnosticWithAnExample_HasAFailingAndAFixedLine()
    {
        var examples = Examples().ToList();
        Assert.True(examples.Count(e => !e.Fixed) >= 12, $"only {examples.Count(e => !e.Fixed)} failing examples found");
        Assert.All(examples.GroupBy(e => e.Id), g => Assert.True(g.Any(e => e.Fixed) && g.Any(e => !e.Fixed), $"{g.Key} lacks a failing or a fixed line"));
    }

    private static List<Diagnostic> Compile(string line, IReadOnlyList<string> context)
    {
        var members = string.Join("\n", context.Append(line));
        var source = members.Contains(" class ", StringComparison.Ordinal)
            ? $"using System;\nusing System.Linq;\nusing Backprop;\n{members}\n"
            : $"using System;\nusing System.Linq;\nusing Backprop;\npublic partial class Example\n{{\n    private double _total;\n{members}\n}}\n";
        var (result, output) = GeneratorHarness.Run(source);
        var analyzer = output.WithAnalyzers([new DerivativeRuleAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return [.. result.Diagnostics, .. analyzer, .. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS0169" && d.Id != "CS0414")];
    }

    /// <summary>Each marked line of each csharp block, with the block's diagnostic id and its unmarked lines.</summary>
    private static IEnumerable<(int Line, string Id, bool Fixed, string Code, IReadOnlyList<string> Context)> Examples()
    {
        foreach (var (start, lines) in Repository.CsharpBlocks("docs/diagnostics.md"))
        {
            var block = lines.Where(l => l.Trim().Length > 0).ToList();
            var context = block.Where(l => !Marker().IsMatch(l)).ToList();
            var id = block.Select(l => Marker().Match(l)).First(m => m.Success && m.Groups["id"].Success).Groups["id"].Value;
            for (var k = 0; k < lines.Length; k++)
            {
                if (Marker().Match(lines[k]) is { Success: true } marker)
                {
                    yield return (start + k + 1, id, !marker.Groups["id"].Success, lines[k], context);
                }
            }
        }
    }

    [GeneratedRegex(@"//\s*(?:(?<id>BP\d{4})|fixed)")]
    private static partial Regex Marker();
}
