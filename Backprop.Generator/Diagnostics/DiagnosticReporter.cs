using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Diagnostics;

/// <summary>Reports what Parse found, on its own pipeline output so moving a line re-reports without re-emitting.</summary>
internal static class DiagnosticReporter
{
    /// <remarks>
    /// The compilation is used here only to put each diagnostic back into its syntax tree: a location in the tree
    /// is what lets <c>#pragma warning disable</c> suppress it and the IDE offer code fixes. This output re-runs on
    /// every edit, and all it does is loop over the (usually empty) diagnostics.
    /// </remarks>
    public static void Report(SourceProductionContext context, (EquatableArray<DiagnosticInfo> Diagnostics, Compilation Compilation) input)
    {
        foreach (var diagnostic in input.Diagnostics)
        {
            var tree = diagnostic.Location is { } location
                ? input.Compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == location.FilePath)
                : null;
            context.ReportDiagnostic(diagnostic.ToDiagnostic(tree));
        }
    }
}
