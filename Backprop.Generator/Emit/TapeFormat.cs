using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>
/// How a value of each type goes onto and comes off <c>global::Backprop.Tape</c>; enums travel as int, a generic
/// floating-point type parameter's values on a stack of their own.
/// </summary>
internal static class TapeFormat
{
    public static string Push(string tape, DataType type, string value) => type.Kind switch
    {
        DataKind.Double or DataKind.Float or DataKind.Int or DataKind.Bool or DataKind.TypeParameter => $"{tape}.Push({value});",
        _ => $"{tape}.Push((int){value});",
    };

    /// <summary>Saves the whole array <paramref name="array"/> of <paramref name="elementType"/> values.</summary>
    public static string PushAll(string tape, DataType elementType, string array) =>
        elementType.Kind == DataKind.TypeParameter ? $"{tape}.PushAll<{elementType.Name}>({array});" : $"{tape}.PushAll({array});";

    /// <summary>Restores the whole array <paramref name="array"/> of <paramref name="elementType"/> values.</summary>
    public static string PopAll(string tape, DataType elementType, string array) =>
        elementType.Kind == DataKind.TypeParameter ? $"{tape}.PopAll<{elementType.Name}>({array});" : $"{tape}.PopAll({array});";

    public static string Pop(string tape, DataType type) => type.Kind switch
    {
        DataKind.Double => $"{tape}.PopDouble()",
        DataKind.Float => $"{tape}.PopFloat()",
        DataKind.Bool => $"{tape}.PopBool()",
        DataKind.Int => $"{tape}.PopInt()",
        DataKind.TypeParameter => $"{tape}.Pop<{type.Name}>()",
        _ => $"({Spell(type)}){tape}.PopInt()",
    };
}
