using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>How the generated members declare the parameters they share with the user's method.</summary>
internal static class ParameterDeclarations
{
    /// <summary>The parameter as the generated methods declare it: <c>double x</c>, <c>in double x</c>, <c>out double r</c>.</summary>
    public static string Declaration(this ParameterModel parameter) =>
        (parameter.IsIn ? "in " : parameter.IsOutParameter ? "out " : string.Empty) + Spell(parameter.Type) + " " + parameter.Name;
}
