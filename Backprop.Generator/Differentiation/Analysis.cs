using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Facts about the staged body that decide what the forward sweep must keep for the backward sweep:
/// how often each variable is assigned and where, which gates feed the result, which values the
/// backward sweep reads, and which returns leave early.
/// </summary>
internal sealed partial class Analysis
{
    public Dictionary<string, int> AssignCount { get; } = [];

    /// <summary>The textually first gate that assigns each variable.</summary>
    public Dictionary<string, Gate> FirstGate { get; } = [];

    /// <summary>Variables and arrays whose adjoint reaches the result.</summary>
    public HashSet<string> Useful { get; } = [];

    /// <summary>Variables and arrays whose values the backward sweep reads.</summary>
    public HashSet<string> BackwardReads { get; } = [];

    /// <summary>Scalar parameters read inside loops or reassigned: their adjoint is summed in a local first.</summary>
    public HashSet<string> ParametersSummedLocally { get; } = [];

    /// <summary>Returns that are not the last thing the method does: they jump to the backward pass.</summary>
    public HashSet<StagedExit> EarlyReturns { get; } = [];

    /// <summary>
    /// A final loop that only sums into the returned variable (<c>for (...) { ...; s += e; } return s;</c>): the sum's
    /// adjoint is dResult throughout, so each iteration's backward step runs right after its forward step, and
    /// nothing is saved or recomputed. Null when the method does not end this way.
    /// </summary>
    public StagedLoop? FusedLoop { get; private set; }

    /// <summary>The variable the fused loop sums into.</summary>
    public string? FusedAccumulator { get; private set; }

    /// <summary>
    /// Per loop, the locals it changes only by adding to them (<c>acc += q[idx] * x[k]</c>, or a local array's elements:
    /// <c>qx[j] += l[m] * x[i]</c>) and that nothing else in it reads: the add gate's rule reads no value, so the backward
    /// sweep never reads them inside the loop, and their value from before the loop — saved once (an array whole),
    /// restored once after going back through it — is all it needs, instead of every iteration's (Tapenade's "to be
    /// recorded" analysis, for the case that fills tapes: a dot product or a triangular matrix-vector product in a loop).
    /// </summary>
    public Dictionary<StagedLoop, List<SavedValue>> SavedBeforeLoop { get; } = [];

    /// <summary>Variables that live for one loop iteration, and which of them the backward iteration recomputes.</summary>
    public LoopLocals LoopLocals { get; private set; } = null!;

    private readonly List<Gate> _gates = [];

    /// <summary>(gate, variable) pairs where the variable may already hold a value when the gate runs (outside loops).</summary>
    private readonly HashSet<(Gate, string)> _overwrites = [];
    private readonly List<StagedLoop> _loops = [];
    private readonly HashSet<Gate> _fusedGates = [];

    /// <summary>
    /// Counts stepped in a loop (<c>idx++</c>, <c>k += stride</c>: an int or long added to by a value that never changes):
    /// going back, the step is undone (<c>idx -= 1</c>) instead of the old value being kept — integers add exactly.
    /// </summary>
    public HashSet<Gate> UndoneCounts { get; } = [];

    /// <summary>
    /// Counted loops that run to their bound — no break or return — whose start and bound read only values that never
    /// change (parameters never assigned, locals assigned once outside loops, other loops' counters, array lengths): the
    /// backward sweep goes back through them from the bounds (<c>for (int j = d - 1; j >= i + 1; j--)</c>), with no
    /// iteration count kept.
    /// </summary>
    public HashSet<StagedLoop> RecountedLoops { get; } = [];

    /// <summary>The (accumulation, variable) pairs whose saves <see cref="SavedBeforeLoop"/> replaces.</summary>
    private readonly HashSet<(Gate, string)> _savedBeforeLoop = [];

    public static Analysis Run(List<Staged> body, MethodModel method, Activity activity, string resultName)
    {
        var analysis = new Analysis();
        analysis._outParameters.UnionWith(method.Parameters.Where(p => p.IsOutParameter).Select(p => p.Name));
        analysis._parameters.UnionWith(method.Parameters.Select(p => p.Name));
        analysis.Walk(body);
        analysis.LoopLocals = LoopLocals.Find(body, resultName, method.Parameters.Select(p => p.Name));
        analysis.FindOverwrites(body, []);
        analysis.FindFreshWrites(body, method.Parameters.Where(p => p.IsOutput).Select(p => p.Name));
        analysis.FindEarlyReturns(body, tail: true);
        analysis.FindUseful(method.Parameters.Where(p => p.IsOutput).Select(p => p.Name).Prepend(resultName), activity);
        analysis.FindBackwardReads(StagedBody.ActiveNames(method, body));
        analysis.FindRecomputesNeeded();
        analysis.FindFusedLoop(body, resultName);
        if (analysis.FusedLoop is null)
        {
            analysis.FindIndependentSumLoop(body, resultName, activity);
        }

        analysis.FindMergedPullback(body);
        analysis.FindSavedBeforeLoop(body, [], new HashSet<string>(method.Parameters.Select(p => p.Name)) { resultName });
        analysis.FindUndoneCounts(new HashSet<string>(method.Parameters.Select(p => p.Name)) { resultName });
        analysis.FindRecountedLoops();
        analysis.FindIterationArrays(body);
        analysis.FindWrittenFirst(body, method.Parameters.Where(p => p.IsOutput).Select(p => p.Name));
        analysis.FindPassAdjoints(body);
        analysis.FindRecomputedConditions(body);
        // An output's adjoint is seeded before the backward pass starts: it is never summed into a local.
        foreach (var parameter in method.Parameters.Where(p => p.Shape == ParameterShape.Scalar && !p.IsOutput))
        {
            var usedInLoop = analysis._gates.Any(g => g.InLoop && g.Kind != GateKind.Inactive && g.Operands.Any(o => o is VariableExpr v && v.Name == parameter.Name));
            if (usedInLoop || analysis.AssignCount.ContainsKey(parameter.Name))
            {
                analysis.ParametersSummedLocally.Add(parameter.Name);
            }
        }

        return analysis;
    }

    public bool IsUseful(Gate gate) => gate.Kind != GateKind.Inactive && Useful.Contains(gate.TargetName);

    /// <summary>The method's parameters: one assigned anywhere in the method changes (its first value is the caller's).</summary>
    private readonly HashSet<string> _parameters = [];

    /// <summary>The method's <c>out</c> parameters: C# lets nothing read one before it is first assigned.</summary>
    private readonly HashSet<string> _outParameters = [];

    /// <summary>True when the value this gate overwrites may still be read by the backward sweep.</summary>
    /// <remarks>An <c>out</c> parameter's first assignment, at the top level, overwrites a value nothing reads (C#'s definite assignment).</remarks>
    public bool NeedsSave(Gate gate, string name, bool isParameter) =>
        BackwardReads.Contains(name)
        && !(_outParameters.Contains(name) && gate.AtTop && FirstGate.TryGetValue(name, out var first) && first == gate)
        && !_fusedGates.Contains(gate)
        && !LoopLocals.RecomputedNames.Contains(name)
        && !_savedBeforeLoop.Contains((gate, name))
        && !UndoneCounts.Contains(gate)
        && !(gate.Target is ElementExpr fresh && fresh.Array == name && _freshWrites.Contains(gate))
        && (gate.Target is ElementExpr e && e.Array == name || isParameter || gate.InLoop || _overwrites.Contains((gate, name)));

    public bool HasLoops => _loops.Count > 0;

    /// <summary>Recomputed locals the backward sweep needs: read by a rule, or by the recompute of another (perhaps in an inner loop).</summary>
    public HashSet<string> RecomputesNeeded { get; } = [];

    /// <summary>Every gate, in forward order.</summary>
    public IReadOnlyList<Gate> Gates => _gates;

    /// <summary>True when the adjoint of <paramref name="name"/> must restart at zero after this gate's step.</summary>
    /// <remarks>An iteration-local variable's adjoint is declared afresh in every backward iteration instead.</remarks>
    public bool NeedsReset(Gate gate, string name, bool isParameter) =>
        !LoopLocals.IterationLocal.ContainsKey(name) && (isParameter || gate.InLoop || _overwrites.Contains((gate, name)));

    /// <summary>The gates (and companions) whose rules read the target's value.</summary>
    public static bool ReadsResult(Gate gate) =>
        GateRules.For(gate) is { } rule ? rule.ReadsResult : gate.Kind == GateKind.Call && gate.Call!.Rule is not null;

    /// <summary>True when the gate's rule reads operand <paramref name="index"/>'s value (routers and calls read them all).</summary>
    private static bool ReadsOperand(Gate gate, int index) =>
        GateRules.For(gate) is { } rule ? rule.ReadsOperand(index) : gate.Kind is GateKind.Math or GateKind.Call;

    private void Walk(List<Staged> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Gate gate:
                    _gates.Add(gate);
                    if (gate.Target is VariableExpr v)
                    {
                        Count(v.Name, gate);
                    }

                    if (gate.Companion is not null)
                    {
                        Count(gate.Companion, gate);
                    }

                    break;
                case StagedIf s:
                    Walk(s.Then);
                    Walk(s.Else);
                    break;
                case StagedLoop loop:
                    _loops.Add(loop);
                    Walk(loop.Body);
                    break;
            }
        }
    }

    private void Count(string name, Gate gate)
    {
        AssignCount[name] = AssignCount.TryGetValue(name, out var count) ? count + 1 : 1;

        if (!FirstGate.ContainsKey(name))
        {
            FirstGate[name] = gate;
        }
    }

    /// <summary>
    /// Which assignments (outside loops) may overwrite an earlier value: a forward pass over the body with the
    /// set of variables that may be assigned so far; the two arms of an if start from the same set.
    /// </summary>
    private HashSet<string> FindOverwrites(List<Staged> statements, HashSet<string> assigned)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Gate gate:
                    foreach (var name in new[] { (gate.Target as VariableExpr)?.Name, gate.Companion })
                    {
                        if (name is not null && !assigned.Add(name))
                        {
                            _overwrites.Add((gate, name));
                        }
                    }

                    break;
                case StagedIf s:
                    var then = FindOverwrites(s.Then, [.. assigned]);
                    var otherwise = FindOverwrites(s.Else, [.. assigned]);
                    assigned.UnionWith(then);
                    assigned.UnionWith(otherwise);
                    break;
                case StagedLoop loop:
                    assigned.UnionWith(AssignedIn(loop.Body));
                    break;
            }
        }

        return assigned;
    }

    /// <summary>
    /// Finds <see cref="UndoneCounts"/>: in a loop, <c>v = v ± e</c> of an integer local whose every later write is restored
    /// going back (each is saved, undone or kept before its loop), with <c>e</c> a constant, a parameter never assigned or a
    /// local assigned once outside loops: at the step's turn going back, v holds what the step made, and subtracting
    /// <c>e</c> gives what it was (a loop's counter counts as never changing: the backward loop counts it again).
    /// </summary>
    private void FindUndoneCounts(HashSet<string> excluded)
    {
        foreach (var gate in _gates.Where(g => g.InLoop && g.Companion is null))
        {
            var name = gate.TargetName;
            if (CountStep(gate) is { } step && BackwardReads.Contains(name) && !excluded.Contains(name) && !_savedBeforeLoop.Contains((gate, name))
                && !LoopLocals.IterationLocal.ContainsKey(name) && !LoopLocals.RecomputedNames.Contains(name)
                && step.By is LiteralExpr or VariableExpr && Stager.Reads(step.By).All(NeverChanges))
            {
                UndoneCounts.Add(gate);
            }
        }
    }

    /// <summary>
    /// Ifs in loops whose condition reads only parameters never assigned and the counters of the loops around it
    /// (<c>if (layer == 0)</c>): the backward sweep evaluates it again, where those hold the same values, instead of
    /// taking which arm ran off the tape.
    /// </summary>
    public HashSet<StagedIf> RecomputedConditions { get; } = [];

    /// <summary>Finds <see cref="RecomputedConditions"/>.</summary>
    private void FindRecomputedConditions(List<Staged> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case StagedIf s:
                    if (s.InLoop && Recomputable(s.Condition))
                    {
                        RecomputedConditions.Add(s);
                    }

                    FindRecomputedConditions(s.Then);
                    FindRecomputedConditions(s.Else);
                    break;
                case StagedLoop loop:
                    FindRecomputedConditions(loop.Body);
                    break;
            }
        }

        bool Recomputable(Expr condition) => condition switch
        {
            LiteralExpr or NumberExpr => true,
            // A parameter assigned anywhere changes (seed 1701: `y /= …` after the loop, y not restored going back).
            VariableExpr v => _parameters.Contains(v.Name) ? NeverChanges(v.Name) : _loops.Any(l => l.Counted?.Variable == v.Name),
            LengthExpr length => _parameters.Contains(length.Array) && NeverChanges(length.Array),
            UnaryExpr u => Recomputable(u.Operand),
            BinaryExpr b => Recomputable(b.Left) && Recomputable(b.Right),
            _ => false,
        };
    }

    /// <summary>
    /// True for a loop whose saves go into one block of the tape (<see cref="SaveBlock"/>): its iterations are counted again
    /// going back (<see cref="RecountedLoops"/>), so both sweeps know the block's size, and its body is gates that call no
    /// [Differentiable] method, so nothing else uses the tape while the forward loop writes the block, and ifs of such gates
    /// (no loop, no exit: every iteration keeps as many values, an arm that keeps fewer than the other skipping the rest).
    /// </summary>
    public bool SavesInBlock(StagedLoop loop) => RecountedLoops.Contains(loop) && OnlyGates(loop.Body);

    private static bool OnlyGates(List<Staged> statements) => statements.All(statement => statement switch
    {
        Gate gate => gate.Kind != GateKind.Call,
        StagedIf s => OnlyGates(s.Then) && OnlyGates(s.Else),
        _ => false,
    });

    /// <summary>Finds <see cref="RecountedLoops"/>.</summary>
    private void FindRecountedLoops()
    {
        foreach (var loop in _loops.Where(l => l.Counted is not null && l != FusedLoop && !LeavesEarly(l.Body, nested: false)))
        {
            var bounds = new[] { loop.Counted!.Start, loop.Condition };
            if (bounds.All(IsPlainCount) && bounds.SelectMany(Stager.Reads).All(NeverChanges))
            {
                RecountedLoops.Add(loop);
            }
        }

        static bool IsPlainCount(Expr bound) => bound switch
        {
            LiteralExpr or NumberExpr or LengthExpr => true,
            VariableExpr v => v.Type.Kind == DataKind.Int,
            UnaryExpr { Op: UnaryOp.Negate } u => IsPlainCount(u.Operand),
            BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => IsPlainCount(b.Left) && IsPlainCount(b.Right),
            _ => false,
        };

        // A loop's break or any return stops it short of its bound.
        static bool LeavesEarly(List<Staged> statements, bool nested) => statements.Any(statement => statement switch
        {
            StagedExit exit => exit.Kind == ExitKind.Return || exit.Kind == ExitKind.Break && !nested,
            StagedIf s => LeavesEarly(s.Then, nested) || LeavesEarly(s.Else, nested),
            StagedLoop inner => LeavesEarly(inner.Body, nested: true),
            _ => false,
        });
    }

    /// <summary>
    /// True for a name of the user's method that keeps one value wherever the sweeps read it: a parameter never assigned,
    /// or a local assigned once outside loops (not a loop's counter, not a local the sweeps make).
    /// </summary>
    internal bool HoldsOneValue(string name) => _parameters.Contains(name)
        ? !AssignCount.ContainsKey(name)
        : AssignCount.TryGetValue(name, out var count) && count == 1 && !FirstGate[name].InLoop;

    /// <summary>
    /// True when nothing assigns <paramref name="name"/> after its declaration: a parameter never assigned, a local assigned
    /// once outside loops, a counted loop's counter (the backward loop counts it again). A parameter's one assignment is a
    /// change: it holds the caller's value before it (an array made with d elements, then d = d - 1 and a fill up to d).
    /// </summary>
    private bool NeverChanges(string name) => !AssignCount.TryGetValue(name, out var count)
        || count == 1 && !FirstGate[name].InLoop && !_parameters.Contains(name);

    /// <summary>
    /// <c>v = v + by</c> or <c>v = v - by</c> of an int or long local (integers carry no gradient: the gate takes no rule and
    /// holds the expression as its value); null for any other gate.
    /// </summary>
    public static (bool Adds, Expr By)? CountStep(Gate gate) => gate switch
    {
        { Target: VariableExpr { Type.IsInteger: true } v, Value: BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } step } when step.Left == v => (step.Op == BinaryOp.Add, step.Right),
        { Target: VariableExpr { Type.IsInteger: true } v, Kind: GateKind.Add or GateKind.Subtract } when gate.Operands[0] == v => (gate.Kind == GateKind.Add, gate.Operands[1]),
        _ => null,
    };

    /// <summary>Finds <see cref="SavedBeforeLoop"/>, the outermost loop first (one save there serves the loops inside it).</summary>
    private void FindSavedBeforeLoop(List<Staged> statements, HashSet<string> savedAbove, HashSet<string> excluded)
    {
        for (var at = 0; at < statements.Count; at++)
        {
            switch (statements[at])
            {
                case StagedIf s:
                    FindSavedBeforeLoop(s.Then, savedAbove, excluded);
                    FindSavedBeforeLoop(s.Else, savedAbove, excluded);
                    break;
                case StagedLoop fused when fused == FusedLoop:
                    FindSavedBeforeLoop(fused.Body, savedAbove, excluded); // its loops may still keep a value once
                    break;
                case StagedLoop loop:
                    var gates = GatesIn(loop.Body).ToList();
                    var saved = gates
                        .Where(g => g.IsAccumulation && (g.Target is VariableExpr || g.Target is ElementExpr { IsFloating: true }))
                        .Select(g => new SavedValue(g.TargetName, g.Target.Type, WholeArray: g.Target is ElementExpr))
                        .GroupBy(v => v.Name).Select(v => v.First())
                        .Where(v => BackwardReads.Contains(v.Name) && !savedAbove.Contains(v.Name) && !excluded.Contains(v.Name)
                            && !LoopLocals.IterationLocal.ContainsKey(v.Name) && !LoopLocals.RecomputedNames.Contains(v.Name)
                            && OnlyAccumulates(loop, gates, v.Name))
                        .ToList();
                    if (saved.Count > 0)
                    {
                        // acc = 0.0 right before the loop: restoring it going back restores what came before, and nothing
                        // between reads the value the loop starts from, so that value need not be kept.
                        // So is an array a loop just before fills element by element (GMM's Q·(x − μ): qxCentered[id] = …,
                        // then the triangular loop adds into it): its element restores put back what came before.
                        SavedBeforeLoop[loop] = saved.Where(v => !SetJustBefore(statements, at, v.Name) && !(v.WholeArray && FilledJustBefore(statements, at, v.Name))).ToList();
                        foreach (var gate in gates.Where(g => saved.Any(v => v.Name == g.TargetName)))
                        {
                            _savedBeforeLoop.Add((gate, gate.TargetName));
                        }
                    }

                    FindSavedBeforeLoop(loop.Body, [.. savedAbove, .. saved.Select(v => v.Name)], excluded);
                    break;
            }
        }
    }

    /// <summary>
    /// True when the statement list sets <paramref name="name"/> shortly before its statement <paramref name="loop"/>, by a
    /// gate whose rule does not read the value it makes, with only gates that do not read it in between: going back, nothing
    /// reads the value the loop starts from before that gate's own restore.
    /// </summary>
    private static bool SetJustBefore(List<Staged> statements, int loop, string name)
    {
        for (var i = loop - 1; i >= 0; i--)
        {
            if (statements[i] is not Gate gate)
            {
                return false;
            }

            if (gate.TargetName == name && gate.Target is VariableExpr)
            {
                return !ReadsResult(gate) && gate.Companion != name;
            }

            if (gate.Companion == name || Reads(gate).Contains(name))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// True when, going back from the statement list's loop <paramref name="loop"/>, the nearest statement that touches the
    /// array <paramref name="name"/> is a counted loop from 0 up to the array's length, of gates only, that writes element
    /// [i] (i its counter) once per pass and reads the array nowhere: going back, that loop's element restores put back
    /// every element as it was before it, and nothing in between reads the array.
    /// </summary>
    private bool FilledJustBefore(List<Staged> statements, int loop, string name)
    {
        for (var i = loop - 1; i >= 0; i--)
        {
            if (!Touches(statements[i], name))
            {
                continue;
            }

            if (statements[i] is not StagedLoop { Counted: { Start: LiteralExpr { Text: "0" }, Comparison: BinaryOp.LessThan, Ascending: true } counted } filler
                || !filler.Body.All(s => s is Gate) || !Covers(counted.Bound, name))
            {
                return false;
            }

            var gates = filler.Body.Cast<Gate>().ToList();
            var writes = gates.Where(g => g.TargetName == name).ToList();
            return writes.Count == 1 && writes[0] is { IsAccumulation: false, Target: ElementExpr { Index: VariableExpr { Name: var index } } } && index == counted.Variable
                && !gates.Any(g => Reads(g).Contains(name)) && !Stager.ValuesRead(filler.Condition).Contains(name);
        }

        return false;
    }

    /// <summary>True when a loop up to <paramref name="bound"/> passes every element of the array: its length, or the length it was made with (made once).</summary>
    private bool Covers(Expr bound, string array) =>
        bound is LengthExpr { Array: var of } && of == array
        || AssignCount.TryGetValue(array, out var count) && count == 1 && FirstGate[array].Value is NewArrayExpr made
            && made.Length.Equals(bound)
            && Stager.ValuesRead(bound).All(NeverChanges);

    /// <summary>Every variable whose value a gate reads: operands, arguments, its value and the index of an element it writes (an array's length is no value of it).</summary>
    private static IEnumerable<string> Reads(Gate gate, bool skipAccumulated = false) =>
        gate.Operands.Skip(skipAccumulated ? 1 : 0).SelectMany(Stager.ValuesRead)
            .Concat(gate.Target is ElementExpr e ? Stager.ValuesRead(e.Index) : [])
            .Concat(gate.Value is null ? [] : Stager.ValuesRead(gate.Value))
            .Concat(gate.Call?.Arguments.SelectMany(a => Stager.ValuesRead(a.Value)) ?? []);

    /// <summary>
    /// True when every write of <paramref name="name"/> in the loop adds to it by a rule that reads no value, and nothing
    /// else in the loop reads it — no operand, argument, index, condition or bound.
    /// </summary>
    private static bool OnlyAccumulates(StagedLoop loop, List<Gate> gates, string name)
    {
        foreach (var gate in gates)
        {
            var accumulates = gate.IsAccumulation && gate.TargetName == name;
            if (!accumulates && (gate.TargetName == name || gate.Companion == name))
            {
                return false;
            }

            if (accumulates && (ReadsResult(gate) || ReadsOperand(gate, 0) || ReadsOperand(gate, 1)))
            {
                return false;
            }

            if (Reads(gate, skipAccumulated: accumulates).Contains(name))
            {
                return false;
            }
        }

        return !ConditionsIn([loop]).SelectMany(Stager.ValuesRead).Contains(name);
    }

    /// <summary>
    /// The elements of arrays whose adjoints the backward sweep of <paramref name="loop"/> adds into at an index that does
    /// not change in it (<c>dx[i] += icf[l] * dq</c> going back over j): added up in a local and into the element once
    /// after the loop — no gate in the loop writes the array, so nothing in it reads that adjoint.
    /// </summary>
    public IEnumerable<ElementExpr> InvariantAdjointElements(StagedLoop loop)
    {
        var gates = GatesIn(loop.Body).ToList();
        var changing = new HashSet<string>(gates.SelectMany(g => g.Written));
        changing.UnionWith(Counters([loop]));
        return gates.Where(IsUseful)
            .SelectMany(g => g.Operands.Skip(g.IsAccumulation ? 1 : 0))
            .OfType<ElementExpr>()
            .Where(e => !changing.Contains(e.Array) && Stager.Reads(e.Index).All(r => !changing.Contains(r)))
            .Distinct();

        static IEnumerable<string> Counters(IEnumerable<Staged> statements) => statements.SelectMany(statement => statement switch
        {
            StagedLoop inner => Counters(inner.Body).Concat(inner.Counted is { } counted ? [counted.Variable] : []),
            StagedIf s => Counters(s.Then).Concat(Counters(s.Else)),
            _ => [],
        });
    }

    private static IEnumerable<Gate> GatesIn(List<Staged> statements) => statements.SelectMany(statement => statement switch
    {
        Gate gate => [gate],
        StagedIf s => GatesIn(s.Then).Concat(GatesIn(s.Else)),
        StagedLoop loop => GatesIn(loop.Body),
        _ => [],
    });

    /// <summary>The conditions and bounds of the ifs and loops among <paramref name="statements"/>, nested ones too.</summary>
    private static IEnumerable<Expr> ConditionsIn(IEnumerable<Staged> statements) => statements.SelectMany(statement => statement switch
    {
        StagedIf s => ConditionsIn(s.Then).Concat(ConditionsIn(s.Else)).Prepend(s.Condition),
        StagedLoop loop => ConditionsIn(loop.Body).Prepend(loop.Condition).Concat(loop.Counted is { } counted ? [counted.Start] : []),
        _ => [],
    });

    private static IEnumerable<string> AssignedIn(List<Staged> statements) =>
        GatesIn(statements).SelectMany(gate => new[] { (gate.Target as VariableExpr)?.Name, gate.Companion }).Where(n => n is not null).Select(n => n!);

    private void FindRecomputesNeeded()
    {
        var gates = LoopLocals.Recomputed.Values.SelectMany(g => g).ToDictionary(g => g.TargetName);
        var pending = new Stack<string>(gates.Keys.Where(BackwardReads.Contains));
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (!RecomputesNeeded.Add(name))
            {
                continue;
            }

            // Whatever the recompute reads, the backward sweep reads: a value it does not recompute must be kept.
            var gate = gates[name];
            foreach (var input in gate.Operands.Concat(gate.Value is null ? [] : [gate.Value]).SelectMany(Stager.Reads))
            {
                BackwardReads.Add(input);
                if (gates.ContainsKey(input))
                {
                    pending.Push(input);
                }
            }
        }
    }

    private void FindFusedLoop(List<Staged> body, string resultName)
    {
        // An early return would skip the loop, and the sum's gradient would not be dResult on that path.
        if (body.Count < 3
            || EarlyReturns.Count > 0
            || body[body.Count - 3] is not StagedLoop loop
            || body[body.Count - 2] is not Gate { Kind: GateKind.Copy, Target: VariableExpr { Name: var target } } copy
            || target != resultName
            || copy.Operands[0] is not VariableExpr accumulator
            || body[body.Count - 1] is not StagedExit { Kind: ExitKind.Return }
            || !loop.Body.All(s => s is Gate))
        {
            return;
        }

        var gates = loop.Body.Cast<Gate>().ToList();
        var sum = accumulator.Name;
        var onlySums = gates.All(g => LoopLocals.IterationLocal.ContainsKey(g.TargetName) || g.IsAccumulation && g.TargetName == sum);
        var sumReadElsewhere = gates.Any(g => g.Operands.Skip(g.IsAccumulation ? 1 : 0).SelectMany(Stager.Reads).Contains(sum))
            || Stager.Reads(loop.Condition).Contains(sum) || BackwardReads.Contains(sum);
        if (onlySums && !sumReadElsewhere && gates.Any(g => g.IsAccumulation))
        {
            FusedLoop = loop;
            FusedAccumulator = sum;
            _fusedGates.UnionWith(gates);
        }
    }

    private void FindEarlyReturns(List<Staged> statements, bool tail)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            var last = tail && i == statements.Count - 1;
            switch (statements[i])
            {
                case StagedExit { Kind: ExitKind.Return } exit when !last:
                    EarlyReturns.Add(exit);
                    break;
                case StagedIf s:
                    FindEarlyReturns(s.Then, last);
                    FindEarlyReturns(s.Else, last);
                    break;
                case StagedLoop loop:
                    FindEarlyReturns(loop.Body, tail: false);
                    break;
            }
        }
    }

    /// <summary>What the backward sweep needs: the results (a vector function's outputs too) and, transitively, what they read.</summary>
    private void FindUseful(IEnumerable<string> results, Activity activity)
    {
        var assignedActive = new HashSet<string>(_gates.Where(g => g.Kind != GateKind.Inactive).Select(g => g.TargetName));
        Useful.UnionWith(results);
        bool changed;
        do
        {
            changed = false;
            foreach (var gate in _gates.Where(IsUseful))
            {
                foreach (var operand in gate.Operands)
                {
                    var name = operand switch
                    {
                        VariableExpr v => v.Name,
                        ElementExpr e => e.Array,
                        _ => null,
                    };
                    if (name is not null && (activity.IsActiveName(name) || assignedActive.Contains(name)) && Useful.Add(name))
                    {
                        changed = true;
                    }
                }
            }
        }
        while (changed);
    }

    /// <summary>What the backward sweep reads; <paramref name="active"/> are the names that take gradient (as BackwardBuilder's).</summary>
    private void FindBackwardReads(HashSet<string> active)
    {
        foreach (var gate in _gates.Where(IsUseful))
        {
            // Only contributions into operands that take gradient are written (BackwardBuilder.IsActiveOperand): never a
            // constant's, nor a counter's converted to double.
            var rule = GateRules.For(gate);
            bool TakesGradient(int index) => gate.Operands[index] switch
            {
                VariableExpr v => active.Contains(v.Name),
                ElementExpr e => active.Contains(e.Array),
                _ => false,
            };

            for (var i = 0; i < gate.Operands.Count; i++)
            {
                var operand = gate.Operands[i];
                var read = rule is null ? ReadsOperand(gate, i) : rule.ReadsOperand(i, TakesGradient);
                BackwardReads.UnionWith(read ? Stager.Reads(operand) : Indices(operand));
            }

            if (gate.Kind == GateKind.Call)
            {
                BackwardReads.UnionWith(gate.Call!.Arguments.SelectMany(a => Stager.Reads(a.Value)));
            }

            if (rule is null ? ReadsResult(gate) : rule.ReadsResultFor(TakesGradient))
            {
                BackwardReads.UnionWith(Stager.Reads(gate.Target));
            }

            if (gate.Companion is not null && GateRules.For(gate) is { ReadsCompanion: true })
            {
                BackwardReads.Add(gate.Companion);
            }

            BackwardReads.UnionWith(Indices(gate.Target));
        }

        // A constant written over an element that carried gradient zeroes that element's adjoint: the backward reads
        // its index (fuzz seed 1022: 'buffer[++e % 3] = 2.0' in a loop zeroed the last element's adjoint every pass).
        foreach (var gate in _gates.Where(g => g.Kind == GateKind.Inactive && g.Target is ElementExpr && Useful.Contains(g.TargetName)))
        {
            BackwardReads.UnionWith(Indices(gate.Target));
        }

        foreach (var loop in _loops.Where(l => l.Counted is not null))
        {
            BackwardReads.UnionWith(Stager.Reads(loop.Counted!.Start));
        }

        // Restoring an overwritten element reads its index; restoring may make more indices needed.
        bool changed;
        do
        {
            changed = false;
            foreach (var gate in _gates)
            {
                if (gate.Target is ElementExpr e && BackwardReads.Contains(e.Array))
                {
                    foreach (var name in Stager.Reads(e.Index))
                    {
                        changed |= BackwardReads.Add(name);
                    }
                }
            }
        }
        while (changed);
    }

    private static IEnumerable<string> Indices(Expr operand) =>
        operand is ElementExpr e ? Stager.Reads(e.Index) : [];
}

/// <summary>A value kept once before a loop (see <see cref="Analysis.SavedBeforeLoop"/>): a local, or a local array whole (<paramref name="Type"/> its elements').</summary>
internal sealed record SavedValue(string Name, DataType Type, bool WholeArray);
