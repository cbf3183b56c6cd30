using Backprop.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Model;

/// <summary>A diagnostic found by Parse, reported without holding on to the compilation.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        new(descriptor.Id, location is null ? null : LocationInfo.From(location), arguments.ToEquatableArray());

    /// <summary>The diagnostic, located in <paramref name="tree"/> when it is the tree the position came from.</summary>
    public Diagnostic ToDiagnostic(SyntaxTree? tree = null) =>
        Diagnostic.Create(
            DiagnosticDescriptors.ById(Id),
            tree is not null && Location is { } location ? Microsoft.CodeAnalysis.Location.Create(tree, location.Span) : Location?.ToLocation(),
            System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Cast<object>(Arguments)));
}
