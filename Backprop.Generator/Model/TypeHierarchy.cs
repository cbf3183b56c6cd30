namespace Backprop.Generator.Model;

/// <summary>The namespace and the chain of partial types (outermost first) that contain a method, as text.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="TypeDeclarations">Each containing type's declaration line, e.g. "partial class Model".</param>
/// <param name="TypeNames">Each containing type's name (with arity), for file names.</param>
/// <param name="SkipsLocalsInit">
/// True when a containing type or the module is <c>[SkipLocalsInit]</c>: the generated members' <c>stackalloc</c> is then not
/// zeroed, so adjoints on the stack are cleared where they are made.
/// </param>
internal sealed record TypeHierarchy(string? Namespace, EquatableArray<string> TypeDeclarations, EquatableArray<string> TypeNames, bool SkipsLocalsInit = false)
{
    /// <summary>A name for the generated file, unique per containing type.</summary>
    public string HintPrefix => (Namespace is null ? string.Empty : Namespace + ".") + string.Join(".", TypeNames);

    /// <summary>The innermost type's metadata name (<c>Ns.Outer+Inner`1</c>), to find it again in a compilation.</summary>
    public string MetadataName => (Namespace is null ? string.Empty : Namespace + ".") + string.Join("+", TypeNames);
}
