using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Writes the backward sweep: the staged statements in reverse, each gate's rule, loops replayed from their
/// iteration counts, branches from their records, and statements an early exit skipped guarded by its id.
/// Records what the forward sweep must keep in order for this to work (<see cref="SweepPlan"/>).
/// </summary>
internal sealed class BackwardBuilder(MethodModel method, Analysis analysis, SweepPlan plan, NameBuilder names, Dictionary<string, string> types)
{
    private readonly Dictionary<string, string> _adjoints = [];

    /// <summary>Adjoint elements a loop being gone back through adds into at an index it does not change, and the locals that add them up.</summary>
    private readonly Dictionary<string, string> _summedInLocal = [];

    /// <summary>The locals of <see cref="_summedInLocal"/> a contribution went into.</summary>
    private readonly HashSet<string> _summedInto = [];

    /// <summary>The loop being gone back through whose saves come from a block (<see cref="Analysis.SavesInBlock"/>), and how many it read.</summary>
    private (StagedLoop? Loop, int Reads) _block;

    /// <summary>Local adjoints (and their types) the final pass may need to declare.</summary>
    public Dictionary<string, string> LocalAdjointTypes { get; } = [];

    /// <summary>Names the forward sweep assigns with non-inactive gates: they carry gradient.</summary>
    public HashSet<string> ActiveNames { get; } = [];

    /// <summary>The backward step of one iteration of the fused loop (<see cref="Analysis.FusedLoop"/>), which the forward sweep runs in it.</summary>
    public List<Code> FusedIteration { get; private set; } = [];

    /// <summary>
    /// The steps back through <see cref="Analysis.MergedSum"/> and <see cref="Analysis.MergedPullback"/>, which the forward
    /// sweep runs in place of the call: <c>dg = ds; g = GBackward(…, dg, …);</c>.
    /// </summary>
    public List<Code> MergedStep { get; private set; } = [];

    public List<Code> Build(List<Staged> body)
    {
        ActiveNames.UnionWith(StagedBody.ActiveNames(method, body));
        var scope = new Scope(null, plan);
        var code = Reverse(body, scope);
        plan.MethodStop = scope.StopName;

        // Built before the forward sweep is written: the adjoints it uses (a local array's) are declared there.
        if (analysis.FusedLoop is { } fused)
        {
            if (analysis.MergedPullback is { } call)
            {
                MergedStep = [new CodeLine(string.Empty), .. GateBackward(analysis.MergedSum!), new CodeLine(string.Empty), .. GateBackward(call)];
            }

            FusedIteration = Reverse(fused.Body, new Scope(fused, plan));
            if (FusedIteration.Count > 0)
            {
                FusedIteration.Insert(0, new CodeLine($"// backward step of this iteration (the sum's gradient is {(analysis.FusedNegated ? "-dResult" : "dResult")} throughout)"));
            }
        }

        return code;
    }

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
            if (!types[name].EndsWith("[]", System.StringComparison.Ordinal) && !Literals.IsSpan(types[name]))
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

    /// <summary>The code that adds <paramref name="value"/> into <paramref name="operand"/>'s adjoint; null when no gradient flows into it.</summary>
    public Code? Contribution(Expr operand, string value, bool subtract, List<string> uses)
    {
        if (!IsActiveOperand(operand))
        {
            return null;
        }

        var op = subtract ? "-=" : "+=";
        switch (operand)
        {
            case VariableExpr v:
                var adjoint = AdjointOf(v.Name);
                if (IsLocalAdjoint(adjoint))
                {
                    return new CodeContribution(adjoint, value, subtract, uses);
                }

                return new CodeLine($"{adjoint} {op} {value};", uses.ToArray());
            case ElementExpr e:
                var element = $"{AdjointOf(e.Array)}[{ExprPrinter.Print(e.Index)}]";
                if (_summedInLocal.TryGetValue(element, out var sum))
                {
                    _summedInto.Add(sum);
                    element = sum;
                }

                return new CodeLine($"{element} {op} {value};", uses.ToArray());
            default:
                return null;
        }
    }

    /// <summary>What to pass by ref for a callee's scalar gradient: the operand's adjoint, or a scratch local.</summary>
    public string AdjointReference(Expr operand, List<string> uses)
    {
        switch (operand)
        {
            case VariableExpr v when IsActiveOperand(v):
                var adjoint = AdjointOf(v.Name);
                if (IsLocalAdjoint(adjoint))
                {
                    uses.Add(adjoint);
                }

                return adjoint;
            case ElementExpr e when IsActiveOperand(e):
                return $"{AdjointOf(e.Array)}[{ExprPrinter.Print(e.Index)}]";
            default:
                return plan.Scratch(operand.Type, names);
        }
    }

    /// <summary>The span a callee adds an array's gradient into: its adjoint, or a throw-away array when it carries none.</summary>
    public string SequenceAdjoint(VariableExpr array, string elementTypeHint)
    {
        if (IsActiveOperand(array))
        {
            return AdjointOf(array.Name);
        }

        var element = types.TryGetValue(array.Name, out var type) ? type : elementTypeHint;
        element = element.Contains("float") ? "float" : "double";
        return $"new {element}[{array.Name}.Length]";
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
                    group.Add(new CodeLine(string.Empty));
                }

                group.AddRange(code);
            }

            if (group.Count == 0)
            {
                continue;
            }

            if (result.Count > 0)
            {
                result.Add(new CodeLine(string.Empty));
            }

            if (guard > 0)
            {
                result.Add(new CodeLine($"// only if no exit numbered {guard} or lower was taken before this point"));
                result.Add(new CodeBlock($"if ({scope.Stop(names)} > {guard})", group));
            }
            else
            {
                result.AddRange(group);
            }
        }

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
            fewer.Insert(0, new CodeLine($"{plan.SaveBlock(_block.Loop!, names).KeptAt} -= {skip}; // the other arm keeps {skip} more"));
            plan.BlockSkips[s] = thenReads < elseReads ? (skip, 0) : (0, skip);
        }

        if (then.Count == 0 && otherwise.Count == 0)
        {
            return [];
        }

        // Which arm ran: the condition again where it reads only what never changes, else its record (a local, or the tape in a loop).
        var recomputed = analysis.RecomputedConditions.Contains(s);
        var record = recomputed ? null : plan.RecordBranch(s, names);
        var taken = recomputed ? ExprPrinter.Print(s.Condition) : s.InLoop ? $"{plan.Tape(names)}.PopBool()" : record!;
        var result = new List<Code> { new CodeLine($"// backward of: {s.Text}{(recomputed ? " (its condition evaluated again)" : string.Empty)}") };
        if (then.Count > 0)
        {
            result.Add(new CodeBlock($"if ({taken})", then));
            if (otherwise.Count > 0)
            {
                result.Add(new CodeBlock("else", otherwise));
            }
        }
        else
        {
            result.Add(new CodeBlock(recomputed ? $"if (!({taken}))" : $"if (!{taken})", otherwise));
        }

        return result;
    }

    private List<Code> LoopBackward(StagedLoop loop)
    {
        var scope = new Scope(loop, plan);
        var sums = new List<(string Element, string Local, string Type)>();
        foreach (var element in analysis.InvariantAdjointElements(loop).Where(IsActiveOperand))
        {
            var adjoint = $"{AdjointOf(element.Array)}[{ExprPrinter.Print(element.Index)}]";
            if (!_summedInLocal.ContainsKey(adjoint))
            {
                var local = names.Unique(AdjointOf(element.Array) + "Sum");
                _summedInLocal[adjoint] = local;
                sums.Add((adjoint, local, element.Type));
            }
        }

        var outer = _block;
        _block = (analysis.SavesInBlock(loop) ? loop : null, 0);
        var body = Reverse(loop.Body, scope);
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
            .Select(v => (Code)new CodeLine(v.WholeArray
                ? $"{TapeFormat.PopAll(plan.Tape(names), v.Type, v.Name)} // as it was before the loop"
                : $"{v.Name} = {(loop.InLoop ? TapeFormat.Pop(plan.Tape(names), v.Type) : plan.LoopEntrySave(loop, v.Name, names))}; // as it was before the loop"))
            .ToList();
        if (body.Count == 0)
        {
            return restores;
        }

        var used = sums.Where(sum => _summedInto.Contains(sum.Local)).ToList();

        var recounted = analysis.RecountedLoops.Contains(loop);
        var count = recounted ? null : plan.CountIterations(loop, names);
        var result = new List<Code> { new CodeLine($"// backward of: {loop.Text}") };
        if (loop.InLoop && !recounted)
        {
            result.Add(new CodeLine($"{count} = {plan.Tape(names)}.PopInt();"));
        }

        body.InsertRange(0, Recompute(loop));
        if (scope.StopName is { } stop)
        {
            body.Insert(0, new CodeLine($"int {stop} = {plan.Tape(names)}.PopInt();"));
            plan.LoopStops[loop] = stop;
        }

        string header;
        if (recounted)
        {
            // The loop ran from its start to its bound, which still hold their values: back from the bound to the start.
            var (i, start, end) = (loop.Counted!.Variable, ExprPrinter.Print(loop.Counted.Start), loop.Condition);
            header = loop.Counted.Comparison switch
            {
                BinaryOp.LessThan => $"for (int {i} = {ExprPrinter.Plus(end, -1)}; {i} >= {start}; {i}--)",
                BinaryOp.LessThanOrEqual => $"for (int {i} = {ExprPrinter.Plus(end, 0)}; {i} >= {start}; {i}--)",
                BinaryOp.GreaterThan => $"for (int {i} = {ExprPrinter.Plus(end, 1)}; {i} <= {start}; {i}++)",
                _ => $"for (int {i} = {ExprPrinter.Plus(end, 0)}; {i} <= {start}; {i}++)",
            };
        }
        else if (loop.Counted is { } counted)
        {
            var i = counted.Variable;
            var start = ExprPrinter.Operand(counted.Start);
            header = (counted.Ascending, start) switch
            {
                (true, "0") => $"for (int {i} = {count} - 1; {i} >= 0; {i}--)",
                (true, _) => $"for (int {i} = {start} + {count} - 1; {i} >= {start}; {i}--)",
                (false, _) => $"for (int {i} = {start} - {count} + 1; {i} <= {start}; {i}++)",
            };
        }
        else
        {
            var iteration = names.Unique("iteration");
            header = $"for (int {iteration} = {count}; {iteration} > 0; {iteration}--)";
        }

        foreach (var (_, local, type) in used)
        {
            result.Add(new CodeLine($"{type} {local} = {Literals.Zero(type)}; // what the loop adds into one element, added into it once after"));
        }

        if (block is not null)
        {
            result.Add(new CodeLine($"global::System.ReadOnlySpan<double> {block.Kept} = {plan.Tape(names)}.PeekDoubles({SaveBlock.Iterations(loop)}, {block.PerIteration}); // the loop's saves, kept in one block"));
            result.Add(new CodeLine($"int {block.KeptAt} = {block.Kept}.Length;"));
        }

        result.Add(new CodeBlock(header, body) { HomeAdjoints = IterationAdjoints(loop) });
        foreach (var (element, local, _) in used)
        {
            result.Add(new CodeLine($"{element} += {local};"));
        }

        if (block is not null)
        {
            result.Add(new CodeLine($"{plan.Tape(names)}.DropDoubles({block.Kept}.Length);"));
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

        var needed = analysis.RecomputesNeeded;
        var lines = gates.Where(g => needed.Contains(g.TargetName))
            .Select(g => (Code)new CodeLine($"{g.Target.Type} {g.TargetName} = {GatePrinter.Value(g)};"))
            .ToList();
        if (lines.Count > 0)
        {
            lines.Insert(0, new CodeLine($"// recompute this iteration's {string.Join(", ", gates.Where(g => needed.Contains(g.TargetName)).Select(g => g.TargetName))} (cheaper than saving them)"));
            lines.Add(new CodeLine(string.Empty));
        }

        return lines;
    }

    private List<Code> GateBackward(Gate gate)
    {
        var result = new List<Code>();
        var isResult = gate.Target is VariableExpr { Name: var n } && n == plan.ResultName;
        if (analysis.IsUseful(gate))
        {
            var commentAt = result.Count;
            string output;
            var outputUses = new List<string>();
            var reset = false;
            switch (gate.Target)
            {
                case ElementExpr e when gate.IsAccumulation:
                    output = $"{AdjointOf(e.Array)}[{ExprPrinter.Print(e.Index)}]";
                    break;
                case ElementExpr e:
                    // Read and clear the element's adjoint first: an operand may be another element of the same array.
                    output = names.Unique("d" + e.Array + "Element");
                    var element = $"{AdjointOf(e.Array)}[{ExprPrinter.Print(e.Index)}]";
                    result.Add(new CodeLine($"{e.Type} {output} = {element};"));
                    result.Add(new CodeLine($"{element} = {Literals.PlainZero(e.Type)};"));
                    break;
                default:
                    output = AdjointOf(gate.TargetName);
                    if (IsLocalAdjoint(output))
                    {
                        outputUses.Add(output);
                    }

                    reset = !isResult && !gate.IsAccumulation && analysis.NeedsReset(gate, gate.TargetName, IsParameter(gate.TargetName));
                    break;
            }

            var context = new RuleContext(gate, output, outputUses, this);
            var rule = TableRule.TryApply(context) ?? MaxMinRule.TryApply(context) ?? CallRule.TryApply(context, this)
                ?? throw new System.InvalidOperationException($"no derivative rule handles '{GatePrinter.Print(gate)}'");
            result.Insert(commentAt, new CodeLine($"// {GatePrinter.Print(gate)}: {rule}"));
            result.AddRange(context.Code);
            if (reset)
            {
                result.Add(IsLocalAdjoint(output) ? new CodeReset(output) : new CodeLine($"{output} = {Literals.PlainZero(gate.Target.Type)};"));
            }
        }

        else if (!isResult && gate.Kind == GateKind.Inactive && IsActiveOperand(gate.Target) && analysis.Useful.Contains(gate.TargetName))
        {
            // A constant overwrites a value that carried gradient: the older value's adjoint starts afresh.
            switch (gate.Target)
            {
                case VariableExpr v when analysis.NeedsReset(gate, v.Name, IsParameter(v.Name)) && AdjointOf(v.Name) is var adjoint:
                    result.Add(new CodeLine($"// {GatePrinter.Print(gate)}: a constant, so no gradient flows on"));
                    result.Add(IsLocalAdjoint(adjoint) ? new CodeReset(adjoint) : new CodeLine($"{adjoint} = {Literals.PlainZero(v.Type)};"));
                    break;
                case ElementExpr e:
                    result.Add(new CodeLine($"// {GatePrinter.Print(gate)}: a constant, so no gradient flows on"));
                    result.Add(new CodeLine($"{AdjointOf(e.Array)}[{ExprPrinter.Print(e.Index)}] = {Literals.PlainZero(e.Type)};"));
                    break;
            }
        }

        // The result is written once per call, so it is never saved; a companion (the cos of its sin) may be.
        AddRestores(gate, result, includeTarget: !isResult);

        return result;
    }

    private void AddRestores(Gate gate, List<Code> into, bool includeTarget)
    {
        var restores = new List<(string Name, string Type, string Target)>();
        switch (gate.Target)
        {
            case var _ when !includeTarget:
                break;
            case VariableExpr v when analysis.NeedsSave(gate, v.Name, IsParameter(v.Name)):
                restores.Add((v.Name, v.Type, v.Name));
                break;
            case ElementExpr e when analysis.NeedsSave(gate, e.Array, isParameter: false):
                restores.Add((e.Array, e.Type, ExprPrinter.Print(e)));
                break;
        }

        if (gate.Companion is { } companion && analysis.NeedsSave(gate, companion, isParameter: false))
        {
            restores.Add((companion, types[companion], companion));
        }

        if (includeTarget && analysis.UndoneCounts.Contains(gate) && Analysis.CountStep(gate) is var (adds, by))
        {
            into.Add(new CodeLine($"{gate.TargetName} {(adds ? "-=" : "+=")} {ExprPrinter.Print(by)}; // undoes {GatePrinter.Print(gate)}: nothing kept"));
        }

        // The forward sweep saved target then companion; restore in the reverse order.
        for (var i = restores.Count - 1; i >= 0; i--)
        {
            var (name, type, target) = restores[i];
            var source = !gate.InLoop ? plan.SaveLocal(gate, name, names)
                : _block.Loop is { } loop && type == "double" ? ReadFromBlock(loop)
                : TapeFormat.Pop(plan.Tape(names), type);
            into.Add(new CodeLine($"{target} = {source};"));
        }
    }

    private string ReadFromBlock(StagedLoop loop)
    {
        _block.Reads++;
        var block = plan.SaveBlock(loop, names);
        return $"{block.Kept}[--{block.KeptAt}]";
    }

    private bool IsParameter(string name) => method.Parameters.Any(p => p.Name == name);

    /// <summary>The exit scope a list belongs to: the method, or a loop's iteration; its stop variable is named on first use.</summary>
    private sealed class Scope(StagedLoop? loop, SweepPlan plan)
    {
        public string? StopName { get; private set; }

        public string Stop(NameBuilder names) =>
            StopName ??= loop is null ? plan.MethodStopName(names) : names.Unique("stoppedAt");
    }
}
