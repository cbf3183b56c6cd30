using System.Globalization;

namespace Backprop.Generator.Emit;

/// <summary>Constants as C# source text, in the invariant culture so no locale's minus sign reaches our output.</summary>
internal static class Literals
{
    public static string Format(object? value) => value switch
    {
        double d when double.IsNaN(d) => "double.NaN",
        double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
        double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
        double d => WithPoint(d.ToString("R", CultureInfo.InvariantCulture)),
        float f when float.IsNaN(f) => "float.NaN",
        float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
        float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        bool b => b ? "true" : "false",
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "default",
    };

    /// <summary>The literal 0 or 1 of a floating type: "0.0"/"1.0" for double, "0f"/"1f" for float.</summary>
    public static string Zero(string type) => type == "float" ? "0f" : "0.0";

    public static string One(string type) => type == "float" ? "1f" : "1.0";

    /// <summary>The initial value of a hoisted local of <paramref name="type"/>: 0, false, an empty array, or default.</summary>
    public static string Default(string type) => type switch
    {
        "double" => "0.0",
        "float" => "0f",
        "int" or "long" => "0",
        "bool" => "false",
        _ when type.EndsWith("[]", System.StringComparison.Ordinal) => $"global::System.Array.Empty<{type.Substring(0, type.Length - 2)}>()",
        _ => "default",
    };

    private static string WithPoint(string text) =>
        text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 ? text : text + ".0";
}
