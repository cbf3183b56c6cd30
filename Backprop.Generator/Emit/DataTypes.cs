using Backprop.Generator.Model;

namespace Backprop.Generator.Emit;

/// <summary>The model's types as C#: their names, how a declaration and a new array spell them.</summary>
internal static class DataTypes
{
    public const string Tensor = "global::Backprop.Tensor";

    /// <summary>The type as C#: a keyword, a type parameter's name, or a global-qualified name.</summary>
    public static string Spell(DataType type) => type.Kind switch
    {
        DataKind.Tensor => Tensor,
        DataKind.TypeParameter or DataKind.Other => type.Name!,
        DataKind.Array => Spell(type.Element!) + "[]",
        DataKind.Span => $"global::System.Span<{Spell(type.Element!)}>",
        DataKind.ReadOnlySpan => $"global::System.ReadOnlySpan<{Spell(type.Element!)}>",
        _ => type.Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>What follows a generic callee's name: <c>&lt;T&gt;</c> for its type argument; nothing when it has none.</summary>
    public static string TypeArguments(UserCallExpr call) => call.TypeArgument is { } argument ? $"<{Spell(argument)}>" : string.Empty;

    /// <summary>The type of a declaration: <c>var</c> for a tensor (its name is long and says nothing the value does not).</summary>
    public static string Declared(DataType type) => type.IsTensor ? "var" : Spell(type);

    /// <summary>How another array like <paramref name="array"/>, <paramref name="length"/> long, is made: a tangent's or adjoint's.</summary>
    public static string Creation(NewArrayExpr array, string length) => $"{(array.OnStack ? "stackalloc" : "new")} {Spell(array.ElementType)}[{length}]";
}
