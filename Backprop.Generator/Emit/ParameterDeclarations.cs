using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>How the generated members declare the parameters they share with the user's method, and how a cref lists them.</summary>
internal static class ParameterDeclarations
{
    /// <summary>
    /// The parameter types of a cref to <paramref name="method"/>: the user's method's as Parse found them, then those
    /// Differentiate added (a scalar direction's type, <c>System.ReadOnlySpan&lt;double&gt;</c> for an array's).
    /// </summary>
    public static string CrefSignature(MethodModel method) => string.Join(", ", new[] { method.Signature }
        .Concat(method.AddedToSignature.Select(t => t.Kind == DataKind.ReadOnlySpan ? $"System.ReadOnlySpan<{Spell(t.Element!)}>" : Spell(t)))
        .Where(s => s.Length > 0));

    /// <summary>The parameter as the generated methods declare it: <c>double x</c>, <c>in double x</c>, <c>out double r</c>.</summary>
    public static string Declaration(this ParameterModel parameter) =>
        (parameter.IsIn ? "in " : parameter.IsOutParameter ? "out " : string.Empty) + Spell(parameter.Type) + " " + parameter.Name;
}
