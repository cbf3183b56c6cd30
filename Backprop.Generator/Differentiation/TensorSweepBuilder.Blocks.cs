using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The branches and loops of tensor code: back through the arm a branch took, back through a loop's iterations the
/// last first, and the copies (a merge, a carried variable) that pass a gradient on between them and the code around.
/// </summary>
internal sealed partial class TensorSweepBuilder
{
    /// <summary>
    /// Back through the arm the forward sweep took (the condition is evaluated again: it reads values that do not change).
    /// Each arm starts by handing the gradient of every merged value to the value the arm gave it; the adjoints of values
    /// made before the branch are declared before it, since both arms add into them.
    /// </summary>
    private void Branch(List<SweepStep> plan, TensorBranch branch)
    {
        var merges = branch.Merges.Where(m => m.Active && _adjoints.ContainsKey(m.Target)).ToList();
        if (merges.Count == 0)
        {
            return;
        }

        foreach (var merge in merges)
        {
            _sharing.Consumed(merge.Target, _adjoints[merge.Target]);
        }

        // A loop in an arm reads its carried variables' values before it (an add gate's output, say, made before the
        // branch): their adjoints are declared before the branch too, or the loop's would stand in for them inside an arm.
        var declarations = new List<SweepStep>();
        var read = merges.SelectMany(m => new[] { m.Then, m.Else }).Concat(LoopsIn(branch.Then.Concat(branch.Else)).SelectMany(l => l.Carried.Select(c => c.Before)));
        DeclareOuterAdjoints(branch.Steps, read, new HashSet<string>(branch.Assigned.Select(a => a.Name)), declarations);

        plan.Add(new TensorBranchComment(branch.Condition));
        plan.AddRange(declarations);
        If(plan, branch.Condition, Arm(branch.Then, merges.Select(m => (m, m.Then))), Arm(branch.Else, merges.Select(m => (m, m.Else))));
    }

    /// <summary>The loops among <paramref name="nodes"/>, those in branches and other loops too.</summary>
    private static IEnumerable<TensorLoop> LoopsIn(IEnumerable<TensorNode> nodes) => nodes.SelectMany(n => n switch
    {
        TensorLoop loop => LoopsIn(loop.Body).Prepend(loop),
        TensorBranch branch => LoopsIn(branch.Then.Concat(branch.Else)),
        _ => [],
    });

    /// <summary>
    /// The adjoints of the values a branch's arms or a loop's body read but did not make (<paramref name="made"/>): the
    /// block adds into them from inside, so they are declared before it. <paramref name="read"/> are the values it
    /// reads besides its steps' arguments (merged or carried values).
    /// </summary>
    private void DeclareOuterAdjoints(IEnumerable<TensorStep> steps, IEnumerable<TensorOperand> read, HashSet<string> made, List<SweepStep> declarations)
    {
        var outer = steps.Where(s => s.Active).SelectMany(s => s.Arguments.Where(a => a.Slot != AdjointSlot.None).Select(a => a.Value))
            .Concat(read)
            .Where(v => v.Active && v.Name is { } name && !made.Contains(name) && !_adjoints.ContainsKey(name))
            .GroupBy(v => v.Name).Select(g => g.First()).ToList();
        foreach (var value in outer)
        {
            DeclareAdjoint(value, declarations);
        }
    }

    /// <summary>The adjoint of <paramref name="value"/>, declared now (a float's as zero, not at its first contribution).</summary>
    private void DeclareAdjoint(TensorOperand value, List<SweepStep> declarations)
    {
        if (AdjointOf(value, declarations) is VariableExpr adjoint && _undeclared.Remove(adjoint.Name))
        {
            declarations.Add(new SweepDeclareZero(adjoint.Name, value.Type));
        }
    }

    private List<SweepStep> Arm(EquatableArray<TensorNode> arm, IEnumerable<(TensorMerge Merge, TensorOperand Value)> merged)
    {
        var plan = new List<SweepStep>();
        var made = new HashSet<string>(TensorProgram.AssignedIn(arm).Select(a => a.Name));
        foreach (var (merge, value) in merged.Where(m => m.Value.Active))
        {
            Copy(plan, merge.Target, value, _adjoints[merge.Target], made);
        }

        BackwardOf(plan, arm, inBranch: true);
        return plan;
    }

    /// <summary>
    /// The gradient <paramref name="g"/> of <paramref name="target"/> = <paramref name="value"/> (a merge, a carried
    /// variable) passes to the value: a value made in the block at hand, with no gradient of its own yet, takes
    /// <paramref name="g"/> as its own where no other value sharing that tensor is still to be read; otherwise the copy adds it.
    /// </summary>
    private void Copy(List<SweepStep> plan, string target, TensorOperand value, string g, HashSet<string> made)
    {
        if (value.Name is { } name && made.Contains(name) && !_adjoints.ContainsKey(name) && _sharing.MayShare(g))
        {
            _adjoints[name] = g;
            _sharing.Shares(g, g, name);
            plan.Add(new TensorTakesGradient(target, value.Value, g));
            return;
        }

        var declarations = new List<SweepStep>();
        var adjoint = AdjointOf(value, declarations)!;
        plan.Add(new TensorCopyComment(target, value.Value, g));
        plan.AddRange(declarations);
        plan.Add(value.IsTensor ? new TensorAddFrom(adjoint, g) : AddInto(NameOf(adjoint), value.Type, g));
    }

    /// <summary>
    /// A loop's forward sweep: the carried variables start from their values before it; every iteration keeps the carried
    /// values it starts from and the values its body makes (on stacks of the workspace), for the backward sweep.
    /// </summary>
    /// <remarks>
    /// The stacks are declared before the loop, or, for a loop inside a branch or another loop, before the outermost of
    /// them; a loop's carried variables are declared before it unless a branch around it declared them
    /// (<paramref name="declare"/> false).
    /// </remarks>
    private void LoopForward(List<SweepStep> plan, TensorLoop loop, bool declare)
    {
        plan.AddRange(loop.Carried.Select(c => new TensorCarriedBefore(c.Name, c.Type, c.Before.Value, loop.Counter, declare)));
        var kept = Kept(loop);
        _hoisted.AddRange(kept.Select(k => new TensorKeepStack(k.Array, k.Type, First: false)));
        var body = new List<SweepStep>();
        body.AddRange(loop.Carried.Select(c => new SweepKeep(new KeepOnStack(KeptName(loop, c.Name)), TensorOperand.Variable(c.Name, c.Type))));
        _depth++;
        Forward(body, loop.Body, declare: true);
        _depth--;
        body.AddRange(kept.Skip(loop.Carried.Count).Select(k => new SweepKeep(new KeepOnStack(k.Array), TensorOperand.Variable(k.Name, k.Type))));
        body.AddRange(loop.Carried.Where(c => c.End.Name != c.Name).Select(c => new SweepAssign(TensorOperand.Variable(c.Name, c.Type), c.End.Value)));
        TakeHoisted(plan);
        plan.Add(new SweepBlock(Header(loop), body.ToEquatableArray(), EquatableArray<SweepStep>.Empty));
    }

    /// <summary>
    /// Back through a loop's iterations, the last first: each restores the values it started from and made, hands the
    /// carried variables' gradients to the values the body gave them, goes back through the body, and leaves the gradients
    /// of the values it started from for the iteration before it. The adjoints of values made before the loop are declared
    /// before it, since every iteration adds into them.
    /// </summary>
    /// <remarks>
    /// In a loop inside a branch (<paramref name="inBranch"/>), as in the branch, no input of an add gate shares its
    /// output's adjoint.
    /// </remarks>
    private void Loop(List<SweepStep> plan, TensorLoop loop, bool inBranch)
    {
        if (!loop.Carried.Any(c => _adjoints.ContainsKey(c.Name)))
        {
            return;
        }

        // Every carried value takes part, those unread after the loop too: one iteration's may feed another's.
        var carried = loop.Carried.ToList();
        var declarations = new List<SweepStep>();
        foreach (var c in carried.Where(c => !_adjoints.ContainsKey(c.Name)))
        {
            DeclareAdjoint(TensorOperand.Named(c.Name, c.Type, active: true), declarations);
        }

        var outerAdjoints = carried.ToDictionary(c => c.Name, c => _adjoints[c.Name]);
        foreach (var c in carried)
        {
            _sharing.Consumed(c.Name, outerAdjoints[c.Name]);
        }

        var made = new HashSet<string>(loop.Assigned.Select(a => a.Name).Concat(loop.Carried.Select(c => c.Name)));
        DeclareOuterAdjoints(TensorProgram.StepsOf(loop.Body), carried.Select(c => c.End), made, declarations);

        var iteration = new Iteration(loop.Counter, loop.Start);
        plan.Add(new TensorLoopComment(Header(loop)));
        plan.AddRange(declarations);
        var body = new List<SweepStep>();
        // The body's own values are declared as they come back; the carried ones were declared before the loop.
        body.AddRange(Kept(loop).Select(k => new SweepRestore(TensorOperand.Variable(k.Name, k.Type), new KeptOnStack(k.Array), loop.Carried.Any(c => c.Name == k.Name) ? null : k.Type)));

        foreach (var c in carried)
        {
            _adjoints.Remove(c.Name);
        }

        var inBody = new HashSet<string>(loop.Assigned.Select(a => a.Name));
        foreach (var c in carried.Where(c => c.End.Active))
        {
            Copy(body, c.Name, c.End, outerAdjoints[c.Name], inBody);
        }

        // In the body, the carried values as the iteration started are made just before its first step: an add gate may
        // pass its gradient on to them unchanged, as to values the body makes.
        if (TensorProgram.StepsOf(loop.Body).FirstOrDefault() is { } first)
        {
            foreach (var c in carried)
            {
                _sharing.MadeAt(c.Name, first.Target);
                _entries.Add(c.Name);
                if (!c.Before.Active)
                {
                    _firstIterationInactive[c.Name] = iteration;
                }
            }
        }

        BackwardOf(body, loop.Body, inBranch);
        foreach (var c in carried)
        {
            // Back out of the body: the loops around it keep their own entries (their carried variables have other names).
            _entries.Remove(c.Name);
            _firstIterationInactive.Remove(c.Name);
            var g = outerAdjoints[c.Name];
            if (_adjoints.TryGetValue(c.Name, out var entry))
            {
                _sharing.Consumed(c.Name, entry);
            }

            body.Add(new TensorPassBack(g, c.Name, c.Type, _adjoints.TryGetValue(c.Name, out var start) && !_undeclared.Contains(start) ? start : null));
        }

        SweepHeader back = loop.Step == 1
            ? new BackFromBoundHeader(loop.Counter, loop.Comparison, loop.Start, loop.Bound)
            : new BackSteppedHeader(loop.Counter, loop.Comparison, loop.Start, loop.Bound, loop.Step);
        plan.Add(new SweepBlock(back, body.ToEquatableArray(), EquatableArray<SweepStep>.Empty));
        foreach (var name in made)
        {
            _adjoints.Remove(name);
        }

        foreach (var c in carried)
        {
            _adjoints[c.Name] = outerAdjoints[c.Name];
        }

        // var h2 = h before the loop: the gradient of h2 as the first iteration started is h's.
        var before = new HashSet<string>(_program.Assigned.Select(a => a.Name));
        foreach (var c in carried.Where(c => c.Before.Active))
        {
            Copy(plan, c.Name, c.Before, outerAdjoints[c.Name], before);
        }
    }

    /// <summary>The loop's header as the user wrote it: <c>for (int i = 0; i &lt; n; i++)</c>.</summary>
    private static ForHeader Header(TensorLoop loop) => new(loop.Counter, loop.Start, loop.Comparison, loop.Bound, loop.Ascending, loop.Step);

    /// <summary>
    /// What a loop keeps per iteration: its carried variables as each iteration starts, then what its body makes (an inner
    /// loop's carried variables, not its body's values: the inner loop keeps those itself).
    /// </summary>
    private List<(string Name, DataType Type, string Array)> Kept(TensorLoop loop) =>
        loop.Carried.Select(c => (c.Name, c.Type)).Concat(TensorProgram.DeclaredIn(loop.Body)).Select(v => (v.Item1, v.Item2, KeptName(loop, v.Item1))).ToList();

    private string KeptName(TensorLoop loop, string name)
    {
        if (!_keptNames.TryGetValue((loop, name), out var array))
        {
            array = _names.Unique(Identifier.Bare(name) + "Kept");
            _keptNames[(loop, name)] = array;
        }

        return array;
    }

    private readonly Dictionary<(TensorLoop, string), string> _keptNames = [];

    /// <summary>While a loop body's backward is written: its carried variables (and those of the loops around it), which stand for their values as the iteration started.</summary>
    private readonly HashSet<string> _entries = [];

    /// <summary>While a loop body's backward is written: carried variables (its own and those of the loops around it) that start from a value taking no gradient, with the test for the first iteration.</summary>
    private readonly Dictionary<string, Iteration> _firstIterationInactive = [];
}
