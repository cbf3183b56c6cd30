using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.CodeFixes;

/// <summary>How to write a Backprop name in a file: short under <c>using Backprop;</c>, global-qualified otherwise.</summary>
internal static class NoDiffName
{
    public static string Of(SyntaxNode root, string name) =>
        root is CompilationUnitSyntax unit && unit.Usings.Any(u => u.Name?.ToString() == "Backprop") ? name : "global::Backprop." + name;
}
