using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>What a member over spans checks first: lengths, and outputs that share memory with what it still reads.</summary>
internal static class SpanChecks
{
    /// <summary>
    /// The length and aliasing checks every member starts with: each tangent or adjoint as long as its primal, and no output
    /// sharing memory with another output or with an input (the body would read what it already overwrote).
    /// </summary>
    public static void Write(SourceWriter writer, MethodModel method, IEnumerable<(string Span, string Primal)> lengths)
    {
        foreach (var (span, primal) in lengths)
        {
            FlatLayout.LengthCheck(writer, span, primal);
        }

        var outputs = method.Parameters.Where(p => p.IsOutput && !p.IsOutParameter).ToList();
        var sequences = method.Parameters.Where(p => p.Shape == ParameterShape.Sequence).ToList();
        for (var i = 0; i < outputs.Count; i++)
        {
            foreach (var other in sequences.Where(s => s.ElementType == outputs[i].ElementType && s != outputs[i] && (!s.IsOutput || sequences.IndexOf(s) > sequences.IndexOf(outputs[i]))))
            {
                var element = outputs[i].ElementType!;
                writer.Open($"if (global::System.MemoryExtensions.Overlaps((global::System.ReadOnlySpan<{Spell(element)}>){outputs[i].Name}, (global::System.ReadOnlySpan<{Spell(element)}>){other.Name}))");
                writer.Line($"throw new global::System.ArgumentException(\"{outputs[i].Name} and {other.Name} share memory: {method.Name} writes {outputs[i].Name} while it still reads {other.Name}. Pass separate spans.\", nameof({outputs[i].Name}));");
                writer.Close();
            }
        }
    }
}
