using System.Globalization;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

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
    public static string Zero(DataType type) => type.Kind switch
    {
        DataKind.Float => "0f",
        DataKind.TypeParameter => type.Name + ".Zero",
        _ => "0.0",
    };

    /// <summary>
    /// −0, the additive identity of IEEE 754 numbers (−0 + x is x for every x, −0 and NaN included; 0 + x is not x when x
    /// is −0), from which a sum may start so that the JIT drops its first addition.
    /// </summary>
    public static string AdditiveIdentity(DataType type) => "-" + Zero(type);

    public static string One(DataType type) => type.Kind switch
    {
        DataKind.Float => "1f",
        DataKind.TypeParameter => type.Name + ".One",
        _ => "1.0",
    };

    /// <summary>
    /// A number of a gate's type in a derivative term: as written for double and float (an int literal converts), through
    /// <c>T.CreateChecked</c> for a generic floating-point type parameter.
    /// </summary>
    public static string Number(double value, DataType type)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return type.Kind == DataKind.TypeParameter ? $"{type.Name}.CreateChecked({WithPoint(text)})" : text;
    }

    /// <summary>
    /// A number Differentiate wrote, as its type writes it: <c>2f</c> for float, <c>2.0</c> for double (and 0.0 for an
    /// int operand's zero tangent, as its other zeros), <c>T.Zero</c>, <c>T.One</c> or <c>T.CreateChecked(2.0)</c> for a type parameter.
    /// </summary>
    public static string Number(NumberExpr number) => number.Type.Kind switch
    {
        DataKind.Float => Format((float)number.Value),
        DataKind.TypeParameter when number.Value == 0 => Zero(number.Type),
        DataKind.TypeParameter when number.Value == 1 => One(number.Type),
        DataKind.TypeParameter => Number(number.Value, number.Type),
        _ => Format(number.Value),
    };

    /// <summary>Zero as adjoints are cleared and signs tested: <c>0</c> (an int literal converts to double and float), <c>T.Zero</c> for a type parameter.</summary>
    public static string PlainZero(DataType type) => type.Kind == DataKind.TypeParameter ? Zero(type) : "0";

    /// <summary>The class whose functions a gate of <paramref name="type"/> calls: Math, MathF, or the type parameter itself (<c>T.Cos</c>).</summary>
    public static string MathClass(DataType type) => type.Kind switch
    {
        DataKind.Float => "global::System.MathF",
        DataKind.TypeParameter => type.Name!,
        _ => "global::System.Math",
    };

    /// <summary>The initial value of a hoisted local of <paramref name="type"/>: 0, false, an empty array, or default.</summary>
    private static string Default(DataType type) => type.Kind switch
    {
        DataKind.Double => "0.0",
        DataKind.Float => "0f",
        DataKind.Int or DataKind.Long => "0",
        DataKind.Bool => "false",
        DataKind.Array => $"global::System.Array.Empty<{Spell(type.Element!)}>()",
        DataKind.TypeParameter => Zero(type),
        _ => "default",
    };

    /// <summary>
    /// The declaration of a local hoisted to the top of a generated method, at its initial value. A span local (one the
    /// method stack-allocates later) is <c>scoped</c>, so that a <c>stackalloc</c> may be assigned to it.
    /// </summary>
    public static string Hoisted(DataType type, string name) =>
        $"{(type.Kind == DataKind.Span ? "scoped " : string.Empty)}{Spell(type)} {name} = {Default(type)};";

    private static string WithPoint(string text) =>
        text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 ? text : text + ".0";
}
