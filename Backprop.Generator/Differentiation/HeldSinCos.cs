using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The sines and cosines a sweep has computed and still holds, so that each angle gets one <c>Math.SinCos</c> whatever
/// order <c>Sin</c> and <c>Cos</c> are written in; what a gate overwrites, or a call (which may write through what it is
/// given), lets go of the values that read it. Used by the reverse sweep's forward pass and by forward mode.
/// </summary>
internal sealed class HeldSinCos
{
    private List<Held> _held = [];

    /// <summary>
    /// The step a sin or cos gate (with its companion) becomes: (<paramref name="sin"/>, <paramref name="cos"/>) from the
    /// values held for its angle, or one SinCos call, each side declared where its type is given; the values
    /// <paramref name="sinValue"/> and <paramref name="cosValue"/> are then held for it.
    /// </summary>
    public SweepSinCos Assign(Gate gate, (Expr Value, DataType? Type) sin, (Expr Value, DataType? Type) cos, Expr sinValue, Expr cosValue)
    {
        var angle = new Angle(gate.Math!.Class, gate.Math.Type, gate.Operands[0]);
        var held = _held.FirstOrDefault(h => h.Angle == angle) is { } h ? new HeldValues(h.Sin, h.Cos) : null;
        Forget(gate.Written);
        _held.Add(new Held(angle, sinValue, cosValue, [.. Stager.Reads(gate.Operands[0]), .. Stager.Reads(gate.Target), gate.Companion!]));
        return new SweepSinCos(sin.Value, sin.Type, cos.Value, cos.Type, gate.Math, gate.Operands[0], held);
    }

    /// <summary>
    /// Drops the held sines and cosines that read any of <paramref name="written"/> (all of them for null: a call, which may
    /// write through what it is given).
    /// </summary>
    public void Forget(IEnumerable<string>? written)
    {
        if (written is null)
        {
            _held.Clear();
            return;
        }

        var names = written.ToList();
        _held.RemoveAll(h => names.Any(h.DependsOn.Contains));
    }

    /// <summary>
    /// Runs each of <paramref name="writes"/> (a branch's arms, or a loop's body when <paramref name="loop"/>) with the sines
    /// and cosines held before them — for a loop only those it does not overwrite, since its later iterations see its
    /// writes. Afterwards only those that <paramref name="block"/> (both arms of a branch) does not overwrite are held: it
    /// may not have run, and what it computed is not held either.
    /// </summary>
    public void InBlock(List<Staged> block, bool loop, params System.Action[] writes)
    {
        var before = _held;
        var written = StagedBody.WrittenIn(block);
        var kept = written is null ? [] : before.Where(h => !written.Any(h.DependsOn.Contains)).ToList();
        foreach (var write in writes)
        {
            _held = loop ? [.. kept] : [.. before];
            write();
        }

        _held = kept;
    }

    /// <summary>The angle of a SinCos call, and the class it goes to (Math, MathF, a type parameter).</summary>
    private sealed record Angle(string Class, DataType Type, Expr Value);

    /// <summary>A sine and cosine the sweep computed: the angle, the values holding them, and what they read.</summary>
    private sealed record Held(Angle Angle, Expr Sin, Expr Cos, HashSet<string> DependsOn);
}
