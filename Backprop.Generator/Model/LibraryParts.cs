using System.Collections.Generic;

namespace Backprop.Generator.Model;

/// <summary>
/// Library structs whose fields are private but whose whole value is a few read-only properties that their constructor
/// takes in order: <c>System.Numerics.Complex</c> is its <c>Real</c> and <c>Imaginary</c>, made by
/// <c>new Complex(real, imaginary)</c>. Such a struct is held as a local per property, like a struct of one's own;
/// generated code makes one with its constructor.
/// </summary>
internal static class LibraryParts
{
    private static readonly Dictionary<string, string[]> s_parts = new()
    {
        ["global::System.Numerics.Complex"] = ["Real", "Imaginary"],
    };

    /// <summary>The properties that hold a value of <paramref name="type"/> (global-qualified), in its constructor's order; null for any other type.</summary>
    public static IReadOnlyList<string>? Of(string type) => s_parts.TryGetValue(type, out var parts) ? parts : null;
}
