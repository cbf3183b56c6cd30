using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Writes the backward sweep: the staged statements in reverse, each gate's rule, loops replayed from their
/// iteration counts, branches from their records, and statements an early exit skipped guarded by its id.
/// Records what the forward sweep must keep in order for this to work (<see cref="SweepPlan"/>).
/// </summary>
/// <param name="rows">
/// True for a Jacobian's rows (<see cref="Differentiator.Pullback.Rows"/>): the backward sweep runs once per row after one
/// forward sweep, and changes no value the forward sweep left (else the rows are not built this way), so every divisor
/// outside its loops is the same in each row: <see cref="RowsReciprocals"/>.
/// </param>
internal sealed class BackwardBuilder(MethodModel method, Analysis analysis, SweepPlan plan, NameBuilder names, Dictionary<string, DataType> types, bool rows = false)
{
    private readonly Dictionary<string, string> _adjoints = [];

    /// <summary>Adjoint elements a loop being gone back through adds into at an index it does not change, and the locals that add them up.</summary>
    private readonly Dictionary<ElementExpr, string> _summedInLocal = [];

    /// <summary>Arrays of <see cref="Analysis.PassReaders"/> whose reading loop's first contributions set their adjoint's elements.</summary>
    private readonly HashSet<string> _setByReader = [];

    /// <summary>The locals of <see cref="_summedInLocal"/> a contribution went into.</summary>
    private readonly HashSet<string> _summedInto = [];

    /// <summary>The loop being gone back through whose saves come from a block (<see cref="Analysis.SavesInBlock"/>), and how many it read.</summary>
    private (StagedLoop? Loop, int Reads) _block;

    /// <summary>
    /// The loops being gone back through, innermost on top: what each writes going forward (null when it calls a method,
    /// which may write anything), and the reciprocals of divisors it does not write, worked out once before it.
    /// </summary>
    private readonly Stack<(HashSet<string>? Written, List<Code> Before, Dictionary<string, VariableExpr> Reciprocals, bool Rows)> _loops = [];

    /// <summary>For a Jacobian's rows, the reciprocals the divide gates outside loops multiply by, worked out once after the forward sweep.</summary>
    public List<Code> RowsReciprocals { get; } = [];

    /// <summary>Local adjoints (and their types) the final pass may need to declare.</summary>
    public Dictionary<string, DataType> LocalAdjointTypes { get; } = [];

    /// <summary>Names the forward sweep assigns with non-inactive gates: they carry gradient.</summary>
    public HashSet<string> ActiveNames { get; } = [];

    /// <summary>The backward step of one iteration of the fused loop (<see cref="Analysis.FusedLoop"/>), which the forward sweep runs in it.</summary>
    public List<Code> FusedIteration { get; private set; } = [];

    /// <summary>The reciprocals the divide gates of <see cref="FusedIteration"/> multiply by, worked out before the fused loop.</summary>
    public List<Code> FusedReciprocals { get; private set; } = [];

    /// <summary>
    /// The steps back through <see cref="Analysis.MergedSum"/> and <see cref="Analysis.MergedPullback"/>, which the forward
    /// sweep runs in place of the call: <c>dg = ds; g = GBackward(…, dg, …);</c>.
    /// </summary>
    public List<Code> MergedStep { get; private set; } = [];

    public List<Code> Build(List<Staged> body)
    {
        ActiveNames.UnionWith(StagedBody.ActiveNames(method, body));
        var scope = new Scope(null, plan);
        if (rows)
        {
            _loops.Push(([], RowsReciprocals, [], true));
        }

        var code = Reverse(body, scope);
        if (rows)
        {
            _loops.Pop();
        }

        plan.MethodStop = scope.StopName;

        // Built before the forward sweep is written: the adjoints it uses (a local array's) are declared there.
        if (analysis.FusedLoop is { } fused)
        {
            if (analysis.MergedPullback is { } call)
            {
                MergedStep = [CodeStep.Blank(), .. GateBackward(analysis.MergedSum!), CodeStep.Blank(), .. GateBackward(call)];
            }

            _loops.Push((StagedBody.WrittenIn(fused.Body), [], [], false));
            FusedIteration = Reverse(fused.Body, new Scope(fused, plan));
            FusedReciprocals = _loops.Pop().Before;
            if (FusedIteration.Count > 0)
            {
                FusedIteration.Insert(0, new CodeStep(new SweepFusedStepComment(analysis.FusedNegated)));
            }
        }

        return code;
    }

    /// <summary>
    /// <c>inverseB</c>, holding <c>1 / b</c> worked out once before the innermost loop being gone back through — or, for a
    /// Jacobian's rows outside loops, once before the rows — for a divisor <paramref name="divisor"/> that loop does not
    /// write (a variable; before the rows, also an element at a constant index); null outside loops, or for any other
    /// divisor. A division costs 4–5 multiplies' time: divide gates that run again and again multiply by it instead.
    /// </summary>
    public VariableExpr? LoopInvariantReciprocal(Expr divisor)
    {
        if (_loops.Count == 0 || _loops.Peek() is not { Written: { } written } loop)
        {
            return null;
        }

        // An element only before the rows, where the backward pass reads what the forward pass left: in a loop, a write
        // through another name for the same array would change it between iterations where the loop's writes name another.
        var (name, key) = divisor switch
        {
            VariableExpr v => (v.Name, v.Name),
            ElementExpr { Index: LiteralExpr index } e when loop.Rows => (e.Array, e.Array + index.Text),
            _ => (null, null),
        };
        if (name is null || key is null || written.Contains(name))
        {
            return null;
        }

        if (!loop.Reciprocals.TryGetValue(key, out var reciprocal))
        {
            reciprocal = new VariableExpr(names.Unique("inverse" + char.ToUpperInvariant(key[0]) + key.Substring(1)), divisor.Type);
            loop.Reciprocals[key] = reciprocal;
            loop.Before.Add(new CodeStep(new SweepReciprocal(reciprocal, divisor, loop.Rows)));
        }

        return reciprocal;
    }

    /// <summary>A fresh name for a local a rule works out going back (not an adjoint).</summary>
    public string Temporary(string name) => names.Unique(name);

    /// <summary>
    /// True when operand <paramref name="index"/> of <paramref name="gate"/> takes the gate's contribution: it is active,
    /// and it is not the fused loop's sum read by the gate after the loop that starts its way to the result — the sum
    /// has that gradient from the start (fuzz seed 20261306, batch 18, method 44: skipping every contribution into the
    /// sum lost a Sin(x) before the loop's, x being the sum).
    /// </summary>
    public bool TakesContribution(Gate gate, int index) =>
        IsActiveOperand(gate.Operands[index])
        && !(gate == analysis.FusedSumReader && gate.Operands[index] is VariableExpr { Name: var name } && name == analysis.FusedAccumulator);

    /// <summary>True for the call whose pullback runs in place of its forward call and returns its value (<see cref="Analysis.MergedPullback"/>).</summary>
    public bool IsMergedPullback(Gate gate) => gate == analysis.MergedPullback;

    public bool IsActiveOperand(Expr operand) => operand switch
    {
        VariableExpr v => ActiveNames.Contains(v.Name),
        ElementExpr e => ActiveNames.Contains(e.Array),
        _ => false,
    };

    /// <summary>The adjoint of a variable: dResult for the result, the gradient parameter, or a local "d" + name.</summary>
    public string AdjointOf(string name)
    {
        if (name == plan.ResultName)
        {
            return "dResult";
        }

        if (_adjoints.TryGetValue(name, out var adjoint))
        {
            return adjoint;
        }

        var parameter = method.Parameters.FirstOrDefault(p => p.Name == name && p.HasGradient);
        if (parameter is not null && !analysis.ParametersSummedLocally.Contains(name))
        {
            adjoint = parameter.GradientName!;
        }
        else
        {
            adjoint = names.Unique(parameter is null ? "d" + name : parameter.GradientName + "Local");
            if (!types[name].IsIndexed)
            {
                LocalAdjointTypes[adjoint] = types[name]; // an array's adjoint is made where the array is
            }
        }

        _adjoints[name] = adjoint;
        return adjoint;
    }

    public bool HasAdjoint(string name) => _adjoints.ContainsKey(name);

    /// <summary>True for adjoints the final pass declares (locals), false for gradient parameters and arrays.</summary>
    public bool IsLocalAdjoint(string adjoint) => LocalAdjointTypes.ContainsKey(adjoint);

    /// <summary>The code that adds a gate's <paramref name="terms"/> into <paramref name="operand"/>'s adjoint; null when no gradient flows into it.</summary>
    public Code? Contribution(Expr operand, IEnumerable<RuleTerm> terms, GateNames gate, List<string> uses)
    {
        if (!IsActiveOperand(operand))
        {
            return null;
        }

        switch (operand)
        {
            case VariableExpr v:
                var adjoint = AdjointOf(v.Name);
                if (IsLocalAdjoint(adjoint))
                {
                    return new CodeContribution(adjoint, terms, gate, uses);
                }

                return new CodeStep(new SweepContribute(new VariableExpr(adjoint, v.Type), Declare: false, terms.ToEquatableArray(), gate), uses.ToArray());
            case ElementExpr e:
                var element = AdjointElement(e);
                if (_summedInLocal.TryGetValue(element, out var sum))
                {
                    _summedInto.Add(sum);
                    return new CodeStep(new SweepContribute(new VariableExpr(sum, e.Type), Declare: false, terms.ToEquatableArray(), gate), uses.ToArray());
                }

                return new CodeStep(new SweepContribute(element, Declare: false, terms.ToEquatableArray(), gate), uses.ToArray());
            default:
                return null;
        }
    }

    /// <summary>The element of an array's adjoint that an element of the array adds into: <c>dA[i]</c>.</summary>
    private ElementExpr AdjointElement(ElementExpr element) => new(AdjointOf(element.Array), element.Index, element.Type);

    /// <summary>What to pass by ref for a callee's scalar gradient: the operand's adjoint, or a scratch local.</summary>
    public Expr AdjointReference(Expr operand, List<string> uses)
    {
        switch (operand)
        {
            case VariableExpr v when IsActiveOperand(v):
                var adjoint = AdjointOf(v.Name);
                if (IsLocalAdjoint(adjoint))
                {
                    uses.Add(adjoint);
                }

                return new VariableExpr(adjoint, v.Type);
            case ElementExpr e when IsActiveOperand(e):
                return AdjointElement(e);
            default:
                return new VariableExpr(plan.Scratch(operand.Type, names), operand.Type);
        }
    }

    /// <summary>The span a callee adds an array's gradient into: its adjoint, or a throw-away array when it carries none.</summary>
    public CallAdjoint SequenceAdjoint(VariableExpr array, DataType typeHint)
    {
        if (IsActiveOperand(array))
        {
            return new AdjointSpan(AdjointOf(array.Name));
        }

        var sequence = types.TryGetValue(array.Name, out var type) ? type : typeHint;
        return new ThrowAwaySpan(sequence.Element?.Kind == DataKind.Float ? DataType.Float : DataType.Double, array.Name);
    }

    /// <summary>The statements of one list in reverse; a statement after an exit runs only if no earlier exit was taken.</summary>
    private List<Code> Reverse(List<Staged> statements, Scope scope)
    {
        var guards = new int[statements.Count];
        var lastExit = 0;
        for (var i = 0; i < statements.Count; i++)
        {
            guards[i] = lastExit;
            lastExit = System.Math.Max(lastExit, Exits.Escaping(statements[i]).DefaultIfEmpty(0).Max());
        }

        var result = new List<Code>();
        for (var i = statements.Count - 1; i >= 0;)
        {
            var guard = guards[i];
            var group = new List<Code>();
            for (; i >= 0 && guards[i] == guard; i--)
            {
                var code = Backward(statements[i], scope);
                if (group.Count > 0 && code.Count > 0)
                {
                    group.Add(CodeStep.Blank());
                }

                group.AddRange(code);
            }

            if (group.Count == 0)
            {
                continue;
            }

            if (result.Count > 0)
            {
                result.Add(CodeStep.Blank());
            }

            if (guard > 0)
            {
                var notTaken = new CompareCondition(new VariableExpr(scope.Stop(names), DataType.Int), BinaryOp.GreaterThan, LiteralExpr.Int(guard));
                result.Add(new CodeStep(new SweepExitGuardComment(guard)));
                result.Add(new CodeBlock(new IfHeader(notTaken), group));
            }
            else
            {
                result.AddRange(group);
            }
        }

        ElementContributions.Merge(result);
        return result;
    }

    /// <summary>Adjoints that belong to one iteration of <paramref name="loop"/>.</summary>
    public HashSet<string> IterationAdjoints(StagedLoop loop) =>
        [.. analysis.LoopLocals.IterationLocal.Where(p => p.Value == loop && _adjoints.ContainsKey(p.Key)).Select(p => _adjoints[p.Key])];

    private List<Code> Backward(Staged statement, Scope scope) => statement switch
    {
        Gate gate when analysis.FusedLoop is not null && gate.Kind == GateKind.Copy && gate.Target is VariableExpr { Name: var name } && name == plan.ResultName
            && gate.Operands[0] is VariableExpr { Name: var sum } && sum == analysis.FusedAccumulator => [],
        StagedLoop loop when loop == analysis.FusedLoop => [],
        Gate gate when gate == analysis.MergedPullback || gate == analysis.MergedSum => [],
        Gate gate => GateBackward(gate),
        StagedIf s => IfBackward(s, scope),
        StagedLoop loop => LoopBackward(loop),
        _ => [],
    };

    private List<Code> IfBackward(StagedIf s, Scope scope)
    {
        var before = _block.Reads;
        var then = Reverse(s.Then, scope);
        var thenReads = _block.Reads - before;
        _block.Reads = before;
        var otherwise = Reverse(s.Else, scope);
        var elseReads = _block.Reads - before;
        _block.Reads = before + System.Math.Max(thenReads, elseReads);
        if (thenReads != elseReads)
        {
            // In a loop whose saves are one block, each iteration takes as many slots: the arm that keeps fewer skips the rest.
            var (fewer, skip) = thenReads < elseReads ? (then, elseReads - thenReads) : (otherwise, thenReads - elseReads);
            fewer.Insert(0, new CodeStep(new SweepSkipSlots(plan.SaveBlock(_block.Loop!, names).KeptAt, skip, Forward: false)));
            plan.BlockSkips[s] = thenReads < elseReads ? (skip, 0) : (0, skip);
        }

        if (then.Count == 0 && otherwise.Count == 0)
        {
            return [];
        }

        // Which arm ran: the condition again where it reads only what never changes, else its record (a local, or the tape in a loop).
        var recomputed = analysis.RecomputedConditions.Contains(s);
        var record = recomputed ? null : plan.RecordBranch(s, names);
        SweepCondition taken = recomputed ? new ExprCondition(s.Condition) : s.InLoop ? new TapeCondition(plan.Tape(names)) : new RecordCondition(record!);
        var result = new List<Code> { new CodeStep(s.Text is { } text ? new SweepBackwardOf(text, ConditionAgain: recomputed) : new SweepBackwardOfChoice(s.Condition, ConditionAgain: recomputed)) };
        if (then.Count > 0)
        {
            result.Add(new CodeBlock(new IfHeader(taken), then));
            if (otherwise.Count > 0)
            {
                result.Add(new CodeBlock(new ElseHeader(), otherwise));
            }
        }
        else
        {
            result.Add(new CodeBlock(new IfHeader(new NotCondition(taken)), otherwise));
        }

        return result;
    }

    private List<Code> LoopBackward(StagedLoop loop)
    {
        var scope = new Scope(loop, plan);
        var sums = new List<(ElementExpr Element, string Local, DataType Type)>();
        foreach (var element in analysis.InvariantAdjointElements(loop).Where(IsActiveOperand))
        {
            var adjoint = AdjointElement(element);
            if (!_summedInLocal.ContainsKey(adjoint))
            {
                var local = names.Unique(AdjointOf(element.Array) + "Sum");
                _summedInLocal[adjoint] = local;
                sums.Add((adjoint, local, element.Type));
            }
        }

        var outer = _block;
        _block = (analysis.SavesInBlock(loop) ? loop : null, 0);
        _loops.Push((StagedBody.WrittenIn(loop.Body), [], [], false));
        var body = Reverse(loop.Body, scope);
        foreach (var array in analysis.PassReaders.Where(p => p.Value == loop && ActiveNames.Contains(p.Key)).Select(p => p.Key))
        {
            if (PassAdjoints.SetFirst(body, AdjointOf(array), loop.Counted!.Variable))
            {
                _setByReader.Add(array);
            }
        }

        var reciprocals = _loops.Pop().Before;
        var blockReads = _block.Reads;
        _block = outer;
        var block = blockReads > 0 ? plan.SaveBlocks[loop] : null;
        if (block is not null)
        {
            block.PerIteration = blockReads;
        }

        foreach (var sum in sums)
        {
            _summedInLocal.Remove(sum.Element);
        }

        var savedBefore = analysis.SavedBeforeLoop.TryGetValue(loop, out var saved) ? saved : [];
        var restores = savedBefore.AsEnumerable().Reverse()
            .Select(v => (Code)new CodeStep(v.WholeArray
                ? new SweepRestoreArray(plan.Tape(names), v.Type, v.Name)
                : new SweepRestore(new VariableExpr(v.Name, v.Type), loop.InLoop ? new KeptOnTape(plan.Tape(names), v.Type) : new KeptInLocal(plan.LoopEntrySave(loop, v.Name, names)), BeforeLoop: true)))
            .ToList();
        if (body.Count == 0)
        {
            return restores;
        }

        var used = sums.Where(sum => _summedInto.Contains(sum.Local)).ToList();

        var recounted = analysis.RecountedLoops.Contains(loop);
        var count = recounted ? null : plan.CountIterations(loop, names);
        var result = new List<Code> { new CodeStep(new SweepBackwardOf(loop.Text)) };
        if (loop.InLoop && !recounted)
        {
            result.Add(new CodeStep(new SweepRestore(new VariableExpr(count!, DataType.Int), new KeptOnTape(plan.Tape(names), DataType.Int))));
        }

        body.InsertRange(0, Recompute(loop));
        if (analysis.IterationArrays.TryGetValue(loop, out var arrays))
        {
            // Each pass filled rows of its own (Analysis.IterationArrays): going back, a pass reads its own again.
            body.Insert(0, CodeStep.Blank());
            body.InsertRange(0, arrays.Select(array => (Code)new CodeStep(new SweepTakeRow(array.Array, plan.Rows(array.Array, names), array.Counter, array.ElementType, Length: null))));
        }
        if (scope.StopName is { } stop)
        {
            body.Insert(0, new CodeStep(new SweepRestore(new VariableExpr(stop, DataType.Int), new KeptOnTape(plan.Tape(names), DataType.Int), DeclaredType: DataType.Int)));
            plan.LoopStops[loop] = stop;
        }

        SweepHeader header = recounted
            ? new BackFromBoundHeader(loop.Counted!.Variable, loop.Counted.Comparison, loop.Counted.Start, loop.Condition)
            : loop.Counted is { } counted
                ? new BackByCountHeader(counted.Variable, counted.Start, counted.Ascending, count!)
                : new BackIterationsHeader(names.Unique("iteration"), count!);
        foreach (var (_, local, type) in used)
        {
            result.Add(new CodeStep(new SweepDeclareZero(local, type, ZeroRole.SummedElement)));
        }

        if (block is not null)
        {
            result.Add(new CodeStep(new SweepSaveBlock(block.Kept, block.KeptAt, plan.Tape(names), SaveBlock.Iterations(loop), block.PerIteration, Forward: false)));
        }

        result.AddRange(reciprocals);
        result.Add(new CodeBlock(header, body) { HomeAdjoints = IterationAdjoints(loop) });
        foreach (var (element, local, _) in used)
        {
            result.Add(new CodeStep(new SweepAddLocal(element, local)));
        }

        if (block is not null)
        {
            result.Add(new CodeStep(new SweepDropBlock(plan.Tape(names), block.Kept)));
        }

        result.AddRange(restores);
        return result;
    }

    /// <summary>The gates that rebuild this iteration's locals the backward body reads, in forward order.</summary>
    private List<Code> Recompute(StagedLoop loop)
    {
        if (!analysis.LoopLocals.Recomputed.TryGetValue(loop, out var gates))
        {
            return [];
        }

        var recomputed = gates.Where(g => analysis.RecomputesNeeded.Contains(g.TargetName)).ToList();
        if (recomputed.Count == 0)
        {
            return [];
        }

        return
        [
            new CodeStep(new SweepRecomputeComment(recomputed.Select(g => g.TargetName).ToEquatableArray())),
            .. recomputed.Select(g => new CodeStep(new SweepRecompute(g.TargetName, g.Target.Type, GateStatements.ValueOf(g)))),
            CodeStep.Blank(),
        ];
    }

    private List<Code> GateBackward(Gate gate)
    {
        var result = new List<Code>();
        var isResult = gate.Target is VariableExpr { Name: var n } && n == plan.ResultName;
        if (analysis.IsUseful(gate))
        {
            var commentAt = result.Count;
            Expr output;
            var outputUses = new List<string>();
            var reset = false;
            switch (gate.Target)
            {
                case ElementExpr e when gate.IsAccumulation:
                    output = AdjointElement(e);
                    break;
                case ElementExpr e:
                    // Read and clear the element's adjoint first: an operand may be another element of the same array.
                    var local = names.Unique("d" + e.Array + "Element");
                    output = new VariableExpr(local, e.Type);
                    var element = AdjointElement(e);
                    var leftAsIs = analysis.PassFills.TryGetValue(gate, out var filled) && _setByReader.Contains(filled);
                    result.Add(new CodeStep(new SweepTakeElement(local, e.Type, element, leftAsIs)));
                    if (!leftAsIs)
                    {
                        result.Add(new CodeStep(new SweepZero(element)));
                    }

                    break;
                default:
                    var adjoint = AdjointOf(gate.TargetName);
                    output = new VariableExpr(adjoint, gate.Target.Type);
                    if (IsLocalAdjoint(adjoint))
                    {
                        outputUses.Add(adjoint);
                    }

                    reset = !isResult && !gate.IsAccumulation && analysis.NeedsReset(gate, gate.TargetName, IsParameter(gate.TargetName));
                    break;
            }

            var context = new RuleContext(gate, output, outputUses, this);
            var rule = DivideRule.TryApply(context, this) ?? TableRule.TryApply(context) ?? MaxMinRule.TryApply(context) ?? CallRule.TryApply(context, this)
                ?? throw new System.InvalidOperationException($"no derivative rule handles the {gate.Kind} gate that writes {gate.TargetName}");
            result.Insert(commentAt, new CodeStep(new SweepGateComment(GateStatements.Of(gate), rule)));
            result.AddRange(context.Code);
            if (reset)
            {
                result.Add(output is VariableExpr { Name: var name } && IsLocalAdjoint(name) ? new CodeReset(name) : new CodeStep(new SweepZero(output)));
            }
        }

        else if (!isResult && gate.Kind == GateKind.Inactive && IsActiveOperand(gate.Target) && analysis.Useful.Contains(gate.TargetName))
        {
            // A constant overwrites a value that carried gradient: the older value's adjoint starts afresh.
            switch (gate.Target)
            {
                case VariableExpr v when analysis.NeedsReset(gate, v.Name, IsParameter(v.Name)) && AdjointOf(v.Name) is var adjoint:
                    result.Add(new CodeStep(new SweepGateComment(GateStatements.Of(gate), Constant)));
                    result.Add(IsLocalAdjoint(adjoint) ? new CodeReset(adjoint) : new CodeStep(new SweepZero(new VariableExpr(adjoint, v.Type))));
                    break;
                case ElementExpr e:
                    result.Add(new CodeStep(new SweepGateComment(GateStatements.Of(gate), Constant)));
                    result.Add(new CodeStep(new SweepZero(AdjointElement(e))));
                    break;
            }
        }

        // The result is written once per call, so it is never saved; a companion (the cos of its sin) may be.
        AddRestores(gate, result, includeTarget: !isResult);

        return result;
    }

    private void AddRestores(Gate gate, List<Code> into, bool includeTarget)
    {
        var restores = new List<(string Name, DataType Type, Expr Target)>();
        switch (gate.Target)
        {
            case var _ when !includeTarget:
                break;
            case VariableExpr v when analysis.NeedsSave(gate, v.Name, IsParameter(v.Name)):
                restores.Add((v.Name, v.Type, v));
                break;
            case ElementExpr e when analysis.NeedsSave(gate, e.Array, isParameter: false):
                restores.Add((e.Array, e.Type, e));
                break;
        }

        if (gate.Companion is { } companion && analysis.NeedsSave(gate, companion, isParameter: false))
        {
            restores.Add((companion, types[companion], new VariableExpr(companion, types[companion])));
        }

        if (includeTarget && analysis.UndoneCounts.Contains(gate) && Analysis.CountStep(gate) is var (adds, by))
        {
            into.Add(new CodeStep(new SweepUndoCount(gate.TargetName, adds, by, GateStatements.Of(gate))));
        }

        // The forward sweep saved target then companion; restore in the reverse order.
        for (var i = restores.Count - 1; i >= 0; i--)
        {
            var (name, type, target) = restores[i];
            KeptSource source = !gate.InLoop ? new KeptInLocal(plan.SaveLocal(gate, name, names))
                : _block.Loop is { } loop && type == DataType.Double ? ReadFromBlock(loop)
                : new KeptOnTape(plan.Tape(names), type);
            into.Add(new CodeStep(new SweepRestore(target, source)));
        }
    }

    private KeptInBlock ReadFromBlock(StagedLoop loop)
    {
        _block.Reads++;
        var block = plan.SaveBlock(loop, names);
        return new KeptInBlock(block.Kept, block.KeptAt);
    }

    private const string Constant = "a constant, so no gradient flows on";

    private bool IsParameter(string name) => method.Parameters.Any(p => p.Name == name);

    /// <summary>The exit scope a list belongs to: the method, or a loop's iteration; its stop variable is named on first use.</summary>
    private sealed class Scope(StagedLoop? loop, SweepPlan plan)
    {
        public string? StopName { get; private set; }

        public string Stop(NameBuilder names) =>
            StopName ??= loop is null ? plan.MethodStopName(names) : names.Unique("stoppedAt");
    }
}
