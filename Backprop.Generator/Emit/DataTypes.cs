using Backprop.Generator.Model;

namespace Backprop.Generator.Emit;

/// <summary>Types of tensor code as C#: their names, their zeros, how a declaration spells them.</summary>
internal static class DataTypes
{
    public static string Spell(DataType type) => type.ExprType;

    /// <summary>The type of a declaration: <c>var</c> for a tensor (its name is long and says nothing the value does not).</summary>
    public static string Declared(DataType type) => type.IsTensor ? "var" : Spell(type);

    /// <summary>0 of a float or double.</summary>
    public static string Zero(DataType type) => Literals.Zero(Spell(type));

    /// <summary>The Math class of a float (<c>MathF</c>) or double (<c>Math</c>) gate.</summary>
    public static string MathClass(DataType type) => Literals.MathClass(Spell(type));
}
