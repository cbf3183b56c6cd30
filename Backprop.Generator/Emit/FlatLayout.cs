using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Emit;

/// <summary>
/// Parameters flattened in declaration order into one index — the rows and columns of a Hessian or a Jacobian
/// (<c>x, y, a[0], a[1], …</c>) — as the generated code spells it: offsets are text ("2 + a.Length").
/// </summary>
internal static class FlatLayout
{
    /// <summary>Offset k is where parameter k starts (a scalar takes one place, a sequence its length); the last is their count.</summary>
    public static List<string> Offsets(IReadOnlyList<ParameterModel> parameters)
    {
        var offsets = new List<string>();
        var scalars = 0;
        var lengths = new List<string>();
        for (var i = 0; ; i++)
        {
            offsets.Add(string.Join(" + ", (scalars > 0 || lengths.Count == 0 ? new[] { scalars.ToString(CultureInfo.InvariantCulture) } : []).Concat(lengths)));
            if (i == parameters.Count)
            {
                return offsets;
            }

            if (parameters[i].Shape == ParameterShape.Scalar)
            {
                scalars++;
            }
            else
            {
                lengths.Add(parameters[i].Name + ".Length");
            }
        }
    }

    /// <summary>An offset ready to be added to or multiplied: parenthesised when it is a sum.</summary>
    public static string Grouped(string offset) => offset.Contains(" + ") ? $"({offset})" : offset;

    /// <summary>The test that index <paramref name="k"/> falls in [start, end).</summary>
    public static string InRange(string k, string start, string end) => start == "0" ? $"if ({k} < {end})" : $"if ({k} >= {start} && {k} < {end})";

    /// <summary><paramref name="k"/> − <paramref name="offset"/>: the index within the parameter.</summary>
    public static string Minus(string k, string offset) => offset == "0" ? k : $"{k} - {Grouped(offset)}";

    /// <summary>Throws ArgumentException unless the span <paramref name="name"/> is as long as <paramref name="primal"/>.</summary>
    public static void LengthCheck(SourceWriter writer, string name, string primal)
    {
        writer.Open($"if ({name}.Length != {primal}.Length)");
        writer.Line($"throw new global::System.ArgumentException($\"{name} has length {{{name}.Length}} but {primal} has length {{{primal}.Length}}; they must match.\", nameof({name}));");
        writer.Close();
    }
}
