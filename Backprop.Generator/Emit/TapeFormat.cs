using Backprop.Generator.Model;

namespace Backprop.Generator.Emit;

/// <summary>
/// How a value of each type goes onto and comes off <c>global::Backprop.Tape</c>; enums travel as int, a generic
/// floating-point type parameter's values on a stack of their own.
/// </summary>
internal static class TapeFormat
{
    public static string Push(string tape, string type, string value) => type switch
    {
        _ when type is "double" or "float" or "int" or "bool" || Expr.IsTypeParameter(type) => $"{tape}.Push({value});",
        _ => $"{tape}.Push((int){value});",
    };

    /// <summary>Saves the whole array <paramref name="array"/> of <paramref name="elementType"/> values.</summary>
    public static string PushAll(string tape, string elementType, string array) =>
        Expr.IsTypeParameter(elementType) ? $"{tape}.PushAll<{elementType}>({array});" : $"{tape}.PushAll({array});";

    /// <summary>Restores the whole array <paramref name="array"/> of <paramref name="elementType"/> values.</summary>
    public static string PopAll(string tape, string elementType, string array) =>
        Expr.IsTypeParameter(elementType) ? $"{tape}.PopAll<{elementType}>({array});" : $"{tape}.PopAll({array});";

    public static string Pop(string tape, string type) => type switch
    {
        "double" => $"{tape}.PopDouble()",
        "float" => $"{tape}.PopFloat()",
        "bool" => $"{tape}.PopBool()",
        "int" => $"{tape}.PopInt()",
        _ when Expr.IsTypeParameter(type) => $"{tape}.Pop<{type}>()",
        _ => $"({type}){tape}.PopInt()",
    };
}
