using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Writes the forward sweep: the staged statements in order, plus what the backward sweep asked to keep —
/// overwritten values (in locals, or on the tape inside loops), branch records, iteration counts, and at
/// each early exit the records of every construct it leaves.
/// </summary>
internal sealed class ForwardBuilder(MethodModel method, Analysis analysis, SweepPlan plan, BackwardBuilder backward, NameBuilder names, Dictionary<string, DataType> types)
{
    private readonly bool _canDeclareInline = analysis.EarlyReturns.Count == 0;
    private readonly List<Staged> _frames = [];
    private readonly HashSet<string> _declaredInline = [];
    private readonly List<(string Name, DataType Type)> _hoisted = [];
    private readonly HashSet<string> _hoistedNames = [];

    /// <summary>The sines and cosines the forward sweep has computed and still holds, so that one angle costs one SinCos.</summary>
    private readonly HeldSinCos _held = new();

    private readonly List<(string Adjoint, bool OnStack, bool InLoop, string Array)> _arrayAdjoints = [];

    /// <summary>The loop being written whose saves go into a block of the tape (<see cref="SweepPlan.SaveBlocks"/>), and how many it wrote.</summary>
    private (StagedLoop? Loop, int Writes) _block;

    /// <summary>The adjoints of the local arrays the forward sweep makes: each a span on the stack or an array, and made in a loop or not.</summary>
    public IReadOnlyList<(string Adjoint, bool OnStack, bool InLoop, string Array)> ArrayAdjoints => _arrayAdjoints;

    /// <summary>Locals declared at the top of the method because their first assignment is nested or may be jumped over.</summary>
    public IReadOnlyList<(string Name, DataType Type)> Hoisted => _hoisted;

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
            into.Add(CodeStep.Blank());
            return;
        }

        switch (gate.Target)
        {
            case VariableExpr v when v.Name != plan.ResultName && analysis.NeedsSave(gate, v.Name, IsParameter(v.Name)):
                Save(gate, v.Name, v.Type, v, into);
                break;
            case ElementExpr e when analysis.NeedsSave(gate, e.Array, isParameter: false):
                Save(gate, e.Array, e.Type, e, into);
                break;
        }

        if (gate.Companion is { } companion && analysis.NeedsSave(gate, companion, isParameter: false))
        {
            Save(gate, companion, types[companion], new VariableExpr(companion, types[companion]), into);
        }

        var target = gate.Target is VariableExpr { Name: var name } ? name : null;
        if (gate.IsAccumulation)
        {
            into.Add(new CodeStep(new SweepGate(GateStatements.Of(gate))));
        }
        else if (gate.Companion is { } other)
        {
            var resultFirst = GateRules.For(gate)!.Companion!.ResultFirst;
            Expr otherValue = new VariableExpr(other, types[other]);
            var (sinValue, cosValue) = resultFirst ? (gate.Target, otherValue) : (otherValue, gate.Target);
            var (sinName, cosName) = resultFirst ? (target, other) : (other, target);
            var sinType = DeclaredType(gate, sinName); // the sine's first: a hoisted pair is declared in that order
            var cosType = DeclaredType(gate, cosName);
            into.Add(new CodeStep(_held.Assign(gate, (sinValue, sinType), (cosValue, cosType), sinValue, cosValue)));
        }
        else
        {
            into.Add(new CodeStep(new SweepAssign(gate.Target, GateStatements.ValueOf(gate), DeclaredType(gate, target))));
        }

        if (gate.Companion is null)
        {
            _held.Forget(gate.Kind == GateKind.Call ? null : gate.Written);
        }

        if (gate.Value is NewArrayExpr array && target is not null && backward.HasAdjoint(target))
        {
            var adjoint = backward.AdjointOf(target);
            _arrayAdjoints.Add((adjoint, array.OnStack, gate.InLoop, target));
            var declared = _declaredInline.Contains(target) ? array.Type : HoistedType(adjoint, array.Type);
            into.Add(new CodeStep(new SweepNewAdjoint(adjoint, declared, array, target, Clear: array.OnStack && method.Containing.SkipsLocalsInit)));
        }

        if (analysis.IterationArrayMade.TryGetValue(gate, out var rows))
        {
            into.Add(new CodeStep(new SweepIterationRows(plan.Rows(rows.Array, names), rows.ElementType, rows.Count, rows.Array, rows.Counter)));
        }
    }

    /// <summary>The type a gate's target is declared with where the gate first assigns it; null where it is declared elsewhere (hoisted, a parameter).</summary>
    private DataType? DeclaredType(Gate gate, string? name)
    {
        if (name is null || _declaredInline.Contains(name) || IsParameter(name) || !types.ContainsKey(name))
        {
            return null;
        }

        if (analysis.LoopLocals.RecomputedNames.Contains(name)
            || _canDeclareInline && gate.AtTop && analysis.FirstGate.TryGetValue(name, out var first) && first == gate)
        {
            _declaredInline.Add(name);
            return types[name];
        }

        return HoistedType(name, types[name]);
    }

    /// <summary>Hoists <paramref name="name"/> to the top of the method: it is not declared where it is assigned (null).</summary>
    private DataType? HoistedType(string name, DataType type)
    {
        Hoist(name, type);
        return null;
    }

    private void Hoist(string name, DataType type)
    {
        if (_hoistedNames.Add(name))
        {
            _hoisted.Add((name, type));
        }
    }

    private void Save(Gate gate, string name, DataType type, Expr value, List<Code> into) =>
        Keep(gate, () => plan.SaveLocal(gate, name, names), type, value, KeepReason.None, into);

    /// <summary>
    /// Keeps <paramref name="value"/> for the backward sweep where <paramref name="at"/> runs: on the tape inside a loop,
    /// else in a local of its own (named by <paramref name="local"/> only then).
    /// </summary>
    private void Keep(Staged at, System.Func<string> local, DataType type, Expr value, KeepReason reason, List<Code> into)
    {
        if (at.InLoop && _block.Loop is { } loop && type == DataType.Double)
        {
            var block = plan.SaveBlocks[loop];
            _block.Writes++;
            into.Add(new CodeStep(new SweepKeep(new KeepInBlock(block.Keep, block.KeepAt), value, reason)));
            return;
        }

        if (at.InLoop)
        {
            into.Add(new CodeStep(new SweepKeep(new KeepOnTape(plan.Tape(names), type), value, reason)));
            return;
        }

        var save = local();
        var declared = _canDeclareInline && at.AtTop ? type : HoistedType(save, type);
        into.Add(new CodeStep(new SweepKeep(new KeepInLocal(save, declared), value, reason)));
    }

    /// <summary>A value pushed on the tape: a branch's record, an iteration count, an exit's id.</summary>
    private CodeStep Push(DataType type, Expr value, KeepReason reason = KeepReason.None) =>
        new(new SweepKeep(new KeepOnTape(plan.Tape(names), type), value, reason));

    private void IfForward(StagedIf s, List<Code> into)
    {
        SweepCondition condition = new ExprCondition(s.Condition);
        var recorded = plan.RecordedBranches.TryGetValue(s, out var branch);
        if (recorded)
        {
            var declared = !s.InLoop && _canDeclareInline && s.AtTop ? DataType.Bool : HoistedType(branch!, DataType.Bool);
            into.Add(new CodeStep(new SweepAssign(new VariableExpr(branch!, DataType.Bool), s.Condition, declared)));
            condition = new RecordCondition(branch!);
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
            throw new System.InvalidOperationException($"the arms of '{s.Text ?? "a conditional expression"}' keep {thenEnd - before} and {_block.Writes - before} values going forward");
        }

        into.Add(new CodeBlock(new IfHeader(condition), then));
        if (otherwise.Count > 0)
        {
            into.Add(new CodeBlock(new ElseHeader(), otherwise));
        }

        _frames.RemoveAt(_frames.Count - 1);
        if (recorded && s.InLoop && !(Exits.EndsWithExit(s.Then) && Exits.EndsWithExit(s.Else)))
        {
            into.Add(Push(DataType.Bool, new VariableExpr(branch!, DataType.Bool)));
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
            code.Add(new CodeStep(new SweepSkipSlots(plan.SaveBlocks[_block.Loop!].KeepAt, skip, Forward: true)));
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
            var seed = new VariableExpr("dResult", method.ReturnType);
            into.Add(new CodeStep(new SweepFusedSumComment(analysis.FusedAccumulator!, analysis.FusedNegated)));
            into.Add(new CodeContribution(sum, [new RuleTerm(analysis.FusedNegated, Term.G)], new GateNames(seed, seed, EquatableArray<Expr>.Empty), []));
        }

        if (analysis.SavedBeforeLoop.TryGetValue(loop, out var savedBefore))
        {
            foreach (var (name, type, wholeArray) in savedBefore)
            {
                if (wholeArray)
                {
                    into.Add(new CodeStep(new SweepKeepArray(plan.Tape(names), type, name)));
                    continue;
                }

                Keep(loop, () => plan.LoopEntrySave(loop, name, names), type, new VariableExpr(name, type), KeepReason.BeforeLoop, into);
            }
        }

        var counted = plan.Counters.TryGetValue(loop, out var count);
        if (counted)
        {
            var declared = loop.AtTop && _canDeclareInline ? DataType.Int : HoistedType(count!, DataType.Int);
            into.Add(new CodeStep(new SweepAssign(new VariableExpr(count!, DataType.Int), LiteralExpr.Int(0), declared)));
        }

        _frames.Add(loop);
        var body = new List<Code>();
        if (counted)
        {
            body.Add(new CodeStep(new SweepCount(count!)));
        }

        foreach (var array in analysis.IterationArrays.TryGetValue(loop, out var arrays) ? arrays : [])
        {
            body.Add(new CodeStep(new SweepTakeRow(array.Array, plan.Rows(array.Array, names), array.Counter, array.ElementType, array.Length)));
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
            body.Add(CodeStep.Blank());
            body.AddRange(backward.FusedIteration);
        }

        if (plan.LoopStops.ContainsKey(loop) && !Exits.EndsWithExit(loop.Body))
        {
            body.Add(Push(DataType.Int, new LiteralExpr("int.MaxValue", DataType.Int), KeepReason.RanToEnd));
        }

        _frames.RemoveAt(_frames.Count - 1);
        SweepHeader header = loop.Counted is { } c ? new ForHeader(c.Variable, c.Start, c.Comparison, loop.Condition, c.Ascending)
            : loop.IsDo ? new DoHeader()
            : new WhileHeader(loop.Condition);
        var home = fused ? backward.IterationAdjoints(loop) : [];
        if (block is not null)
        {
            into.Add(new CodeStep(new SweepSaveBlock(block.Keep, block.KeepAt, plan.Tape(names), SaveBlock.Iterations(loop), block.PerIteration, Forward: true)));
        }

        if (fused && backward.FusedIteration.Count > 0)
        {
            into.AddRange(backward.FusedReciprocals);
        }

        into.Add(new CodeBlock(header, body, loop.IsDo ? loop.Condition : null) { HomeAdjoints = home });

        if (counted && loop.InLoop && !Exits.NeverCompletes(loop))
        {
            into.Add(Push(DataType.Int, new VariableExpr(count!, DataType.Int)));
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
                    into.Add(Push(DataType.Bool, new VariableExpr(branch, DataType.Bool)));
                }

                continue;
            }

            var loop = (StagedLoop)_frames[i];
            if (plan.LoopStops.ContainsKey(loop))
            {
                into.Add(Push(DataType.Int, LiteralExpr.Int(exit.Id), KeepReason.StoppedAt));
            }

            if (exit.Kind != ExitKind.Return)
            {
                break;
            }

            if (loop.InLoop && plan.Counters.TryGetValue(loop, out var count))
            {
                into.Add(Push(DataType.Int, new VariableExpr(count, DataType.Int)));
            }
        }

        switch (exit.Kind)
        {
            case ExitKind.Break:
                into.Add(new CodeStep(new SweepJump(JumpKind.Break)));
                break;
            case ExitKind.Continue:
                into.Add(new CodeStep(new SweepJump(JumpKind.Continue)));
                break;
            default:
                if (analysis.EarlyReturns.Contains(exit))
                {
                    if (plan.MethodStop is { } stop)
                    {
                        into.Add(new CodeStep(new SweepAssign(new VariableExpr(stop, DataType.Int), LiteralExpr.Int(exit.Id))));
                    }

                    into.Add(new CodeStep(new SweepJump(JumpKind.ToBackward)));
                }

                break;
        }
    }

    private bool IsParameter(string name) => method.Parameters.Any(p => p.Name == name);
}
