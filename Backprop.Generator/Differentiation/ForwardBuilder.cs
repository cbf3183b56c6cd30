using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Writes the forward sweep: the staged statements in order, plus what the backward sweep asked to keep —
/// overwritten values (in locals, or on the tape inside loops), branch records, iteration counts, and at
/// each early exit the records of every construct it leaves.
/// </summary>
internal sealed class ForwardBuilder(MethodModel method, Analysis analysis, SweepPlan plan, BackwardBuilder backward, NameBuilder names, Dictionary<string, string> types)
{
    private readonly bool _canDeclareInline = analysis.EarlyReturns.Count == 0;
    private readonly List<Staged> _frames = [];
    private readonly HashSet<string> _declaredInline = [];
    private readonly List<(string Name, string Type)> _hoisted = [];
    private readonly HashSet<string> _hoistedNames = [];

    /// <summary>The sines and cosines the forward sweep has computed and still holds, so that one angle costs one SinCos.</summary>
    private readonly HeldSinCos _held = new();

    private readonly List<(string Adjoint, bool OnStack, bool InLoop)> _arrayAdjoints = [];

    /// <summary>The loop being written whose saves go into a block of the tape (<see cref="SweepPlan.SaveBlocks"/>), and how many it wrote.</summary>
    private (StagedLoop? Loop, int Writes) _block;

    /// <summary>The adjoints of the local arrays the forward sweep makes: each a span on the stack or an array, and made in a loop or not.</summary>
    public IReadOnlyList<(string Adjoint, bool OnStack, bool InLoop)> ArrayAdjoints => _arrayAdjoints;

    /// <summary>Locals declared at the top of the method because their first assignment is nested or may be jumped over.</summary>
    public IReadOnlyList<(string Name, string Type)> Hoisted => _hoisted;

    public const string BackwardLabel = "backward";

    /// <summary>True when an early return jumps to the backward pass.</summary>
    public bool UsesBackwardLabel => analysis.EarlyReturns.Count > 0;

    public List<Code> Build(List<Staged> body)
    {
        var code = Forward(body);
        foreach (var local in method.Locals.Where(l => !l.IsCountedLoopVariable))
        {
            if (analysis.AssignCount.ContainsKey(local.Name) && !_declaredInline.Contains(local.Name))
            {
                Hoist(local.Name, local.Type);
            }
        }

        return code;
    }

    private List<Code> Forward(List<Staged> statements)
    {
        var result = new List<Code>();
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Gate gate:
                    GateForward(gate, result);
                    break;
                case StagedIf s:
                    IfForward(s, result);
                    break;
                case StagedLoop loop:
                    LoopForward(loop, result);
                    break;
                case StagedExit exit:
                    ExitForward(exit, result);
                    break;
            }
        }

        return result;
    }

    private void GateForward(Gate gate, List<Code> into)
    {
        if (backward.IsMergedPullback(gate))
        {
            // g = G(…); s += g; with ds known: dg = ds; g = GBackward(…, dg, …); s += g;
            Hoist(gate.TargetName, types[gate.TargetName]);
            _held.Forget(null);
            into.AddRange(backward.MergedStep);
            into.Add(new CodeLine(string.Empty));
            return;
        }

        switch (gate.Target)
        {
            case VariableExpr v when v.Name != plan.ResultName && analysis.NeedsSave(gate, v.Name, IsParameter(v.Name)):
                Save(gate, v.Name, v.Type, v.Name, into);
                break;
            case ElementExpr e when analysis.NeedsSave(gate, e.Array, isParameter: false):
                Save(gate, e.Array, e.Type, ExprPrinter.Print(e), into);
                break;
        }

        if (gate.Companion is { } companion && analysis.NeedsSave(gate, companion, isParameter: false))
        {
            Save(gate, companion, types[companion], companion, into);
        }

        var target = ExprPrinter.Print(gate.Target);
        if (gate.IsAccumulation)
        {
            into.Add(new CodeLine(GatePrinter.Print(gate) + ";"));
        }
        else if (gate.Companion is { } other)
        {
            var resultFirst = GateRules.For(gate)!.Companion!.ResultFirst;
            var (sin, cos) = resultFirst ? (Declared(gate, target), Declared(gate, other)) : (Declared(gate, other), Declared(gate, target));
            var (sinValue, cosValue) = resultFirst ? (target, other) : (other, target);
            into.Add(new CodeLine(_held.Assign(gate, sin, cos, sinValue, cosValue)));
        }
        else
        {
            into.Add(new CodeLine($"{Declared(gate, target)} = {GatePrinter.Value(gate)};"));
        }

        if (gate.Companion is null)
        {
            _held.Forget(gate.Kind == GateKind.Call ? null : gate.Written);
        }

        if (gate.Value is NewArrayExpr array && backward.HasAdjoint(target))
        {
            var adjoint = backward.AdjointOf(target);
            _arrayAdjoints.Add((adjoint, array.OnStack, gate.InLoop));
            var declared = _declaredInline.Contains(target) ? $"{array.Type} {adjoint}" : HoistAs(adjoint, array.Type);
            into.Add(new CodeLine($"{declared} = {array.Creation(target + ".Length")};"));
        }
    }

    /// <summary>The target as written on the left of its first assignment: with its type where it is declared there.</summary>
    private string Declared(Gate gate, string name)
    {
        if (_declaredInline.Contains(name) || IsParameter(name) || !types.ContainsKey(name))
        {
            return name;
        }

        if (analysis.LoopLocals.RecomputedNames.Contains(name)
            || _canDeclareInline && gate.AtTop && analysis.FirstGate.TryGetValue(name, out var first) && first == gate)
        {
            _declaredInline.Add(name);
            return $"{types[name]} {name}";
        }

        return HoistAs(name, types[name]);
    }

    private string HoistAs(string name, string type)
    {
        Hoist(name, type);
        return name;
    }

    private void Hoist(string name, string type)
    {
        if (_hoistedNames.Add(name))
        {
            _hoisted.Add((name, type));
        }
    }

    private void Save(Gate gate, string name, string type, string value, List<Code> into) =>
        Keep(gate, () => plan.SaveLocal(gate, name, names), type, value, string.Empty, into);

    /// <summary>
    /// Keeps <paramref name="value"/> for the backward sweep where <paramref name="at"/> runs: on the tape inside a loop,
    /// else in a local of its own (named by <paramref name="local"/> only then).
    /// </summary>
    private void Keep(Staged at, System.Func<string> local, string type, string value, string comment, List<Code> into)
    {
        if (at.InLoop && _block.Loop is { } loop && type == "double")
        {
            var block = plan.SaveBlocks[loop];
            _block.Writes++;
            into.Add(new CodeLine($"{block.Keep}[{block.KeepAt}++] = {value};{comment}"));
            return;
        }

        if (at.InLoop)
        {
            into.Add(new CodeLine(TapeFormat.Push(plan.Tape(names), type, value) + comment));
            return;
        }

        var save = local();
        var declared = _canDeclareInline && at.AtTop ? $"{type} {save}" : HoistAs(save, type);
        into.Add(new CodeLine($"{declared} = {value};{comment}"));
    }

    private void IfForward(StagedIf s, List<Code> into)
    {
        var condition = ExprPrinter.Print(s.Condition);
        var header = $"if ({condition})";
        var recorded = plan.RecordedBranches.TryGetValue(s, out var branch);
        if (recorded)
        {
            var declared = !s.InLoop && _canDeclareInline && s.AtTop ? $"bool {branch}" : HoistAs(branch!, "bool");
            into.Add(new CodeLine($"{declared} = {condition};"));
            header = $"if ({branch})";
        }

        _frames.Add(s);
        var (then, otherwise) = (new List<Code>(), new List<Code>());
        var skips = plan.BlockSkips.TryGetValue(s, out var skip) ? skip : (Then: 0, Else: 0);
        var (before, thenEnd) = (_block.Writes, 0);
        _held.InBlock(
            [.. s.Then, .. s.Else],
            loop: false,
            () => (then, thenEnd, _block.Writes) = (ArmForward(s.Then, skips.Then), _block.Writes, before),
            () => otherwise = ArmForward(s.Else, skips.Else));
        if (_block.Loop is not null && thenEnd != _block.Writes)
        {
            throw new System.InvalidOperationException($"the arms of '{s.Text}' keep {thenEnd - before} and {_block.Writes - before} values going forward");
        }

        into.Add(new CodeBlock(header, then));
        if (otherwise.Count > 0)
        {
            into.Add(new CodeBlock("else", otherwise));
        }

        _frames.RemoveAt(_frames.Count - 1);
        if (recorded && s.InLoop && !(Exits.EndsWithExit(s.Then) && Exits.EndsWithExit(s.Else)))
        {
            into.Add(new CodeLine(TapeFormat.Push(plan.Tape(names), "bool", branch!)));
        }
    }

    /// <summary>
    /// One arm of an if; in a loop whose saves are one block, it takes as many slots as the other arm, skipping
    /// <paramref name="skip"/> after its own (the backward arm skips them first).
    /// </summary>
    private List<Code> ArmForward(List<Staged> arm, int skip)
    {
        var code = Forward(arm);
        if (skip > 0)
        {
            code.Add(new CodeLine($"{plan.SaveBlocks[_block.Loop!].KeepAt} += {skip}; // the other arm keeps {skip} more"));
            _block.Writes += skip;
        }

        return code;
    }

    private void LoopForward(StagedLoop loop, List<Code> into)
    {
        var fused = loop == analysis.FusedLoop;
        if (fused)
        {
            var sum = backward.AdjointOf(analysis.FusedAccumulator!);
            var gradient = analysis.FusedNegated ? "-dResult" : "dResult";
            into.Add(new CodeLine($"// {analysis.FusedAccumulator} only sums into the result: its gradient is {gradient}, so each iteration's backward step runs right after it"));
            into.Add(new CodeContribution(sum, "dResult", subtract: analysis.FusedNegated, []));
        }

        if (analysis.SavedBeforeLoop.TryGetValue(loop, out var savedBefore))
        {
            foreach (var (name, type, wholeArray) in savedBefore)
            {
                if (wholeArray)
                {
                    into.Add(new CodeLine($"{TapeFormat.PushAll(plan.Tape(names), type, name)} // the loop only adds to {name}'s elements, which the backward pass does not read inside it: the array is kept as it was before the loop"));
                    continue;
                }

                var note = $" // the loop only adds to {name}, which the backward pass does not read inside it: its value before the loop is kept";
                Keep(loop, () => plan.LoopEntrySave(loop, name, names), type, name, note, into);
            }
        }

        var counted = plan.Counters.TryGetValue(loop, out var count);
        if (counted)
        {
            var declared = loop.AtTop && _canDeclareInline ? $"int {count}" : HoistAs(count!, "int");
            into.Add(new CodeLine($"{declared} = 0;"));
        }

        _frames.Add(loop);
        var body = new List<Code>();
        if (counted)
        {
            body.Add(new CodeLine($"{count}++;"));
        }

        var block = plan.SaveBlocks.TryGetValue(loop, out var saves) ? saves : null;
        var outer = _block;
        _block = (block is null ? null : loop, 0);
        _held.InBlock(loop.Body, loop: true, () => body.AddRange(Forward(loop.Body)));
        if (block is not null && _block.Writes != block.PerIteration)
        {
            throw new System.InvalidOperationException($"the loop '{loop.Text}' keeps {_block.Writes} values an iteration going forward but reads {block.PerIteration} back");
        }

        _block = outer;
        if (fused && backward.FusedIteration.Count > 0)
        {
            body.Add(new CodeLine(string.Empty));
            body.AddRange(backward.FusedIteration);
        }

        if (plan.LoopStops.ContainsKey(loop) && !Exits.EndsWithExit(loop.Body))
        {
            body.Add(new CodeLine($"{TapeFormat.Push(plan.Tape(names), "int", "int.MaxValue")} // this iteration ran to its end"));
        }

        _frames.RemoveAt(_frames.Count - 1);
        var condition = ExprPrinter.Print(loop.Condition);
        var header = loop.IsDo ? "do" : $"while ({condition})";
        if (loop.Counted is { } c)
        {
            var step = c.Ascending ? "++" : "--";
            header = $"for (int {c.Variable} = {ExprPrinter.Print(c.Start)}; {c.Variable} {Operators.Symbol(c.Comparison)} {condition}; {c.Variable}{step})";
        }

        var home = fused ? backward.IterationAdjoints(loop) : [];
        if (block is not null)
        {
            var each = block.PerIteration == 1 ? "1 value" : $"{block.PerIteration} values";
            into.Add(new CodeLine($"global::System.Span<double> {block.Keep} = {plan.Tape(names)}.PushDoubles({SaveBlock.Iterations(loop)}, {block.PerIteration}); // the loop's saves, {each} an iteration, kept in one block"));
            into.Add(new CodeLine($"int {block.KeepAt} = 0;"));
        }

        into.Add(new CodeBlock(header, body, loop.IsDo ? $"while ({condition});" : null) { HomeAdjoints = home });

        if (counted && loop.InLoop && !Exits.NeverCompletes(loop))
        {
            into.Add(new CodeLine(TapeFormat.Push(plan.Tape(names), "int", count!)));
        }
    }

    private void ExitForward(StagedExit exit, List<Code> into)
    {
        for (var i = _frames.Count - 1; i >= 0; i--)
        {
            if (_frames[i] is StagedIf s)
            {
                if (s.InLoop && plan.RecordedBranches.TryGetValue(s, out var branch))
                {
                    into.Add(new CodeLine(TapeFormat.Push(plan.Tape(names), "bool", branch)));
                }

                continue;
            }

            var loop = (StagedLoop)_frames[i];
            if (plan.LoopStops.ContainsKey(loop))
            {
                into.Add(new CodeLine($"{TapeFormat.Push(plan.Tape(names), "int", exit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))} // this iteration stopped at exit {exit.Id}"));
            }

            if (exit.Kind != ExitKind.Return)
            {
                break;
            }

            if (loop.InLoop && plan.Counters.TryGetValue(loop, out var count))
            {
                into.Add(new CodeLine(TapeFormat.Push(plan.Tape(names), "int", count)));
            }
        }

        switch (exit.Kind)
        {
            case ExitKind.Break:
                into.Add(new CodeLine("break;"));
                break;
            case ExitKind.Continue:
                into.Add(new CodeLine("continue;"));
                break;
            default:
                if (analysis.EarlyReturns.Contains(exit))
                {
                    if (plan.MethodStop is { } stop)
                    {
                        into.Add(new CodeLine($"{stop} = {exit.Id};"));
                    }

                    into.Add(new CodeLine($"goto {BackwardLabel};"));
                }

                break;
        }
    }

    private bool IsParameter(string name) => method.Parameters.Any(p => p.Name == name);
}
