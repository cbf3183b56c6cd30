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

    /// <summary>
    /// Reports BP0001 from Differentiate at the method it happened in, found again in the compilation by its type, name
    /// and parameter names. This output runs only for methods that failed, so the compilation costs nothing otherwise.
    /// </summary>
    public static void ReportInternalError(SourceProductionContext context, (InternalError Error, Compilation Compilation) input)
    {
        var error = input.Error;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Locate(input.Compilation, error), error.MethodName, error.Message));
    }

    /// <summary>Where the method of <paramref name="error"/> is declared (its name), or null when it is no longer there.</summary>
    public static Location? Locate(Compilation compilation, InternalError error) =>
        compilation.GetTypeByMetadataName(error.Containing.MetadataName)?
            .GetMembers(error.MethodName)
            .OfType<IMethodSymbol>()
            .FirstOrDefault(m => m.Parameters.Select(p => p.Name).SequenceEqual(error.ParameterNames))?
            .Locations.FirstOrDefault(l => l.IsInSource);
}
