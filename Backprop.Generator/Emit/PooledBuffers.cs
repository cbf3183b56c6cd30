using System.Collections.Generic;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>
/// Scratch spans a generated member rents from the shared <c>ArrayPool</c> and gives back before it returns, so a warm
/// call allocates nothing (the Hessian's directions, the Jacobian's unit vectors).
/// </summary>
internal sealed class PooledBuffers(SourceWriter writer, NameBuilder names)
{
    private readonly List<string> _returns = [];

    /// <summary>Declares <paramref name="name"/>, a zeroed span as long as <paramref name="primal"/>; returns its name.</summary>
    public string Rent(string name, ParameterModel primal, string comment)
    {
        var array = names.Unique(Identifier.Bare(name) + "Array");
        writer.Line($"{Spell(primal.ElementType!)}[] {array} = global::System.Buffers.ArrayPool<{Spell(primal.ElementType!)}>.Shared.Rent({primal.Name}.Length); // {comment}");
        writer.Line($"global::System.Span<{Spell(primal.ElementType!)}> {name} = new global::System.Span<{Spell(primal.ElementType!)}>({array}, 0, {primal.Name}.Length);");
        writer.Line($"{name}.Clear();");
        _returns.Add($"global::System.Buffers.ArrayPool<{Spell(primal.ElementType!)}>.Shared.Return({array});");
        return name;
    }

    /// <summary>Gives back every buffer rented since the last call.</summary>
    public void ReturnAll()
    {
        foreach (var line in _returns)
        {
            writer.Line(line);
        }

        _returns.Clear();
    }
}
