using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Finds the variables that live for one loop iteration only: assigned once, at the top level of the loop body,
/// and read only after that inside the same iteration. Their adjoints start afresh every backward iteration,
/// and those made by plain arithmetic from values the loop does not change are recomputed by the backward
/// iteration instead of being saved on the tape (cheaper than a push and a pop).
/// </summary>
internal sealed class LoopLocals
{
    private static readonly HashSet<GateKind> s_cheap =
        [GateKind.Copy, GateKind.Add, GateKind.Subtract, GateKind.Multiply, GateKind.Negate, GateKind.Convert, GateKind.Inactive];

    private readonly Dictionary<string, (Gate Gate, int Position, StagedLoop Loop)> _definitions = [];
    private readonly Dictionary<string, List<(int Position, List<StagedLoop> Loops)>> _reads = [];
    private readonly Dictionary<string, List<Gate>> _assignments = [];
    private readonly Dictionary<StagedLoop, HashSet<string>> _assignedInLoop = [];
    private readonly List<StagedLoop> _stack = [];
    private int _position;

    /// <summary>Iteration-local variables, with their loop.</summary>
    public Dictionary<string, StagedLoop> IterationLocal { get; } = [];

    /// <summary>Iteration-local variables the backward iteration recomputes; per loop, their gates in forward order.</summary>
    public Dictionary<StagedLoop, List<Gate>> Recomputed { get; } = [];

    public HashSet<string> RecomputedNames { get; } = [];

    public static LoopLocals Find(List<Staged> body, string resultName, IEnumerable<string> parameters)
    {
        var locals = new LoopLocals();
        locals.Walk(body, loopBody: null);
        var excluded = new HashSet<string>(parameters) { resultName };
        foreach (var pair in locals._definitions)
        {
            var (name, (gate, position, loop)) = (pair.Key, pair.Value);
            var reads = locals._reads.TryGetValue(name, out var r) ? r : [];
            if (!excluded.Contains(name)
                && locals._assignments[name].Count == 1
                && reads.All(read => read.Position > position && read.Loops.Contains(loop)))
            {
                locals.IterationLocal[name] = loop;
            }
        }

        foreach (var pair in locals._definitions.OrderBy(p => p.Value.Position))
        {
            var (name, (gate, _, loop)) = (pair.Key, pair.Value);
            if (locals.IterationLocal.ContainsKey(name) && gate.Companion is null && locals.IsCheap(gate, loop) && !loop.Body.SelectMany(Exits.Escaping).Any())
            {
                locals.RecomputedNames.Add(name);
                if (!locals.Recomputed.TryGetValue(loop, out var gates))
                {
                    locals.Recomputed[loop] = gates = [];
                }

                gates.Add(gate);
            }
        }

        return locals;
    }

    /// <summary>Plain arithmetic over values that are the same when the backward iteration runs: loop invariants, the counter, other recomputed locals.</summary>
    private bool IsCheap(Gate gate, StagedLoop loop)
    {
        if (!s_cheap.Contains(gate.Kind) || gate.Value is NewArrayExpr || gate.Value is { } value && HasCall(value))
        {
            return false;
        }

        var inputs = gate.Operands.Concat(gate.Value is null ? [] : [gate.Value]).SelectMany(Stager.Reads);
        return inputs.All(name => RecomputedNames.Contains(name) || !_assignedInLoop[loop].Contains(name));
    }

    private static bool HasCall(Expr expr) =>
        expr is MathCallExpr or UserCallExpr || expr is not (VariableExpr or LiteralExpr or NumberExpr or OpaqueExpr or LengthExpr)
        && expr switch
        {
            UnaryExpr u => HasCall(u.Operand),
            BinaryExpr b => HasCall(b.Left) || HasCall(b.Right),
            CastExpr c => HasCall(c.Operand),
            ElementExpr e => HasCall(e.Index),
            _ => true,
        };

    private void Walk(List<Staged> statements, StagedLoop? loopBody)
    {
        foreach (var statement in statements)
        {
            _position++;
            switch (statement)
            {
                case Gate gate:
                    foreach (var name in gate.Operands.Concat(gate.Value is null ? [] : [gate.Value]).SelectMany(Stager.Reads))
                    {
                        Read(name);
                    }

                    if (gate.Target is ElementExpr element)
                    {
                        foreach (var name in Stager.Reads(element.Index))
                        {
                            Read(name);
                        }
                    }

                    foreach (var name in new[] { gate.TargetName, gate.Companion }.Where(n => n is not null).Select(n => n!))
                    {
                        Assign(name, gate, loopBody);
                    }

                    break;
                case StagedIf s:
                    foreach (var name in Stager.Reads(s.Condition))
                    {
                        Read(name);
                    }

                    Walk(s.Then, null);
                    Walk(s.Else, null);
                    break;
                case StagedLoop loop:
                    foreach (var name in Stager.Reads(loop.Condition).Concat(loop.Counted is null ? [] : Stager.Reads(loop.Counted.Start)))
                    {
                        Read(name);
                    }

                    _assignedInLoop[loop] = [];
                    _stack.Add(loop);
                    Walk(loop.Body, loop);
                    _stack.RemoveAt(_stack.Count - 1);
                    break;
            }
        }
    }

    private void Read(string name)
    {
        if (!_reads.TryGetValue(name, out var reads))
        {
            _reads[name] = reads = [];
        }

        reads.Add((_position, [.. _stack]));
    }

    private void Assign(string name, Gate gate, StagedLoop? loopBody)
    {
        if (!_assignments.TryGetValue(name, out var gates))
        {
            _assignments[name] = gates = [];
        }

        gates.Add(gate);
        foreach (var loop in _stack)
        {
            _assignedInLoop[loop].Add(name);
        }

        if (loopBody is not null && gate.Target is VariableExpr && !_definitions.ContainsKey(name))
        {
            _definitions[name] = (gate, _position, loopBody);
        }
    }
}
