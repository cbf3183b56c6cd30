using System.Globalization;
using static Backprop.Generator.Model.Expr;

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

    /// <summary>The literal 0 or 1 of a floating type: "0.0"/"1.0" for double, "0f"/"1f" for float, T.Zero/T.One for a type parameter.</summary>
    public static string Zero(string type) => type switch
    {
        "float" => "0f",
        "double" => "0.0",
        _ when IsTypeParameter(type) => type + ".Zero",
        _ => "0.0",
    };

    public static string One(string type) => type switch
    {
        "float" => "1f",
        "double" => "1.0",
        _ when IsTypeParameter(type) => type + ".One",
        _ => "1.0",
    };

    /// <summary>
    /// A number of a gate's type in a derivative term: as written for double and float (an int literal converts), through
    /// <c>T.CreateChecked</c> for a generic floating-point type parameter.
    /// </summary>
    public static string Number(double value, string type)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return IsTypeParameter(type) ? $"{type}.CreateChecked({WithPoint(text)})" : text;
    }

    /// <summary>Zero as adjoints are cleared and signs tested: <c>0</c> (an int literal converts to double and float), <c>T.Zero</c> for a type parameter.</summary>
    public static string PlainZero(string type) => IsTypeParameter(type) ? Zero(type) : "0";

    /// <summary>The class whose functions a gate of <paramref name="type"/> calls: Math, MathF, or the type parameter itself (<c>T.Cos</c>).</summary>
    public static string MathClass(string type) => type switch
    {
        "float" => "global::System.MathF",
        _ when IsTypeParameter(type) => type,
        _ => "global::System.Math",
    };

    /// <summary>The initial value of a hoisted local of <paramref name="type"/>: 0, false, an empty array, or default.</summary>
    private static string Default(string type) => type switch
    {
        "double" => "0.0",
        "float" => "0f",
        "int" or "long" => "0",
        "bool" => "false",
        _ when type.EndsWith("[]", System.StringComparison.Ordinal) => $"global::System.Array.Empty<{type.Substring(0, type.Length - 2)}>()",
        _ when IsTypeParameter(type) => Zero(type),
        _ => "default",
    };

    /// <summary>
    /// The declaration of a local hoisted to the top of a generated method, at its initial value. A span local (one the
    /// method stack-allocates later) is <c>scoped</c>, so that a <c>stackalloc</c> may be assigned to it.
    /// </summary>
    public static string Hoisted(string type, string name) =>
        $"{(IsSpan(type) ? "scoped " : string.Empty)}{type} {name} = {Default(type)};";

    private static string WithPoint(string text) =>
        text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 ? text : text + ".0";
}
