using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The branches and loops of tensor code: back through the arm a branch took, back through a loop's iterations the
/// last first, and the copies (a merge, a carried variable) that pass a gradient on between them and the code around.
/// </summary>
internal sealed partial class TensorDifferentiator
{
    /// <summary>
    /// Back through the arm the forward sweep took (the condition is evaluated again: it reads values that do not change).
    /// Each arm starts by handing the gradient of every merged value to the value the arm gave it; the adjoints of values
    /// made before the branch are declared before it, since both arms add into them.
    /// </summary>
    private void WriteBranch(SourceWriter writer, TensorBranch branch)
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

        var declarations = new List<string>();
        DeclareOuterAdjoints(branch.Steps, merges.SelectMany(m => new[] { m.Then, m.Else }), new HashSet<string>(branch.Assigned.Select(a => a.Name)), declarations);

        writer.Line($"// if ({branch.Condition}): back through the arm the forward pass took");
        foreach (var declaration in declarations)
        {
            writer.Line(declaration);
        }

        writer.Open($"if ({branch.Condition})");
        WriteArm(writer, branch.Then, merges.Select(m => (m, m.Then)));
        writer.Close();
        writer.Open("else");
        WriteArm(writer, branch.Else, merges.Select(m => (m, m.Else)));
        writer.Close();
    }

    /// <summary>
    /// The adjoints of the values a branch's arms or a loop's body read but did not make (<paramref name="made"/>): the
    /// block adds into them from inside, so they are declared before it. <paramref name="read"/> are the values it
    /// reads besides its steps' arguments (merged or carried values).
    /// </summary>
    private void DeclareOuterAdjoints(IEnumerable<TensorStep> steps, IEnumerable<TensorOperand> read, HashSet<string> made, List<string> declarations)
    {
        var outer = steps.Where(s => s.Active).SelectMany(s => s.Arguments.Where(a => a.Slot != AdjointSlot.None).Select(a => a.Value))
            .Concat(read)
            .Where(v => v.Active && !made.Contains(v.Text) && !_adjoints.ContainsKey(v.Text))
            .GroupBy(v => v.Text).Select(g => g.First()).ToList();
        foreach (var value in outer)
        {
            DeclareAdjoint(value, declarations);
        }
    }

    /// <summary>The adjoint of <paramref name="value"/>, declared now (a float's as zero, not at its first contribution).</summary>
    private void DeclareAdjoint(TensorOperand value, List<string> declarations)
    {
        var adjoint = AdjointOf(value, declarations)!;
        if (_undeclared.Remove(adjoint))
        {
            declarations.Add($"{value.Type} {adjoint} = {Literals.Zero(value.Type)};");
        }
    }

    private void WriteArm(SourceWriter writer, EquatableArray<TensorNode> arm, IEnumerable<(TensorMerge Merge, TensorOperand Value)> merged)
    {
        var made = new HashSet<string>(TensorProgram.AssignedIn(arm).Select(a => a.Name));
        foreach (var (merge, value) in merged.Where(m => m.Value.Active))
        {
            WriteCopy(writer, merge.Target, value, _adjoints[merge.Target], made);
        }

        WriteBackwardOf(writer, arm, inBranch: true);
    }

    /// <summary>
    /// The gradient <paramref name="g"/> of <paramref name="target"/> = <paramref name="value"/> (a merge, a carried
    /// variable) passes to the value: a value made in the block at hand, with no gradient of its own yet, takes
    /// <paramref name="g"/> as its own where no other value sharing that tensor is still to be read; otherwise the copy adds it.
    /// </summary>
    private void WriteCopy(SourceWriter writer, string target, TensorOperand value, string g, HashSet<string> made)
    {
        if (made.Contains(value.Text) && !_adjoints.ContainsKey(value.Text) && _sharing.MayShare(g))
        {
            _adjoints[value.Text] = g;
            _sharing.Shares(g, g, value.Text);
            writer.Line($"// {target} = {value.Text}: the gradient of {value.Text} is {g}");
            return;
        }

        var declarations = new List<string>();
        var adjoint = AdjointOf(value, declarations)!;
        writer.Line($"// {target} = {value.Text}: a copy passes {g} on");
        foreach (var declaration in declarations)
        {
            writer.Line(declaration);
        }

        if (value.IsTensor)
        {
            writer.Line($"{adjoint}.AddFrom({g});");
        }
        else
        {
            Contribute(writer, adjoint, value.Type, (1, g));
        }
    }

    /// <summary>
    /// A loop's forward sweep: the carried variables start from their values before it; every iteration keeps the carried
    /// values it starts from and the values its body makes (in arrays of the workspace), for the backward sweep.
    /// </summary>
    private void WriteLoopForward(SourceWriter writer, TensorLoop loop)
    {
        var iterations = _names.Unique("iterations");
        foreach (var carried in loop.Carried)
        {
            writer.Line($"{(carried.Type == Tensor ? "var" : carried.Type)} {carried.Name} = {carried.Before.Text}; // carried through the loop over {loop.Counter}");
        }

        var count = loop.Start == "0" ? loop.End : $"{loop.End} - {Grouped(loop.Start)}";
        writer.Line($"int {iterations} = global::System.Math.Max(0, {count}); // each iteration's values are kept for the backward pass");
        var kept = Kept(loop);
        foreach (var (name, type, array) in kept)
        {
            writer.Line($"var {array} = workspace.Keep<{type}>({iterations});");
        }

        writer.Open($"for (int {loop.Counter} = {loop.Start}; {loop.Counter} < {loop.End}; {loop.Counter}++)");
        var index = Index(loop);
        foreach (var carried in loop.Carried)
        {
            writer.Line($"{KeptName(loop, carried.Name)}[{index}] = {carried.Name};");
        }

        WriteForward(writer, loop.Body, declare: true);
        foreach (var (name, _, array) in kept.Skip(loop.Carried.Count))
        {
            writer.Line($"{array}[{index}] = {name};");
        }

        foreach (var carried in loop.Carried.Where(c => c.End.Text != c.Name))
        {
            writer.Line($"{carried.Name} = {carried.End.Text};");
        }

        writer.Close();
    }

    /// <summary>
    /// Back through a loop's iterations, the last first: each restores the values it started from and made, hands the
    /// carried variables' gradients to the values the body gave them, goes back through the body, and leaves the gradients
    /// of the values it started from for the iteration before it. The adjoints of values made before the loop are declared
    /// before it, since every iteration adds into them.
    /// </summary>
    private void WriteLoop(SourceWriter writer, TensorLoop loop)
    {
        if (!loop.Carried.Any(c => _adjoints.ContainsKey(c.Name)))
        {
            return;
        }

        // Every carried value takes part, those unread after the loop too: one iteration's may feed another's.
        var carried = loop.Carried.ToList();
        var declarations = new List<string>();
        foreach (var c in carried.Where(c => !_adjoints.ContainsKey(c.Name)))
        {
            DeclareAdjoint(new TensorOperand(c.Name, c.Type, Active: true), declarations);
        }

        var outerAdjoints = carried.ToDictionary(c => c.Name, c => _adjoints[c.Name]);
        foreach (var c in carried)
        {
            _sharing.Consumed(c.Name, outerAdjoints[c.Name]);
        }

        var made = new HashSet<string>(loop.Assigned.Select(a => a.Name).Concat(loop.Carried.Select(c => c.Name)));
        DeclareOuterAdjoints(TensorProgram.StepsOf(loop.Body), carried.Select(c => c.End), made, declarations);

        writer.Line($"// for (int {loop.Counter} = {loop.Start}; {loop.Counter} < {loop.End}; {loop.Counter}++): back through the iterations, the last first");
        foreach (var declaration in declarations)
        {
            writer.Line(declaration);
        }

        writer.Open($"for (int {loop.Counter} = {loop.End} - 1; {loop.Counter} >= {loop.Start}; {loop.Counter}--)");
        var index = Index(loop);
        foreach (var (name, type, array) in Kept(loop))
        {
            writer.Line(loop.Carried.Any(c => c.Name == name) ? $"{name} = {array}[{index}];" : $"{(type == Tensor ? "var" : type)} {name} = {array}[{index}];");
        }

        foreach (var c in carried)
        {
            _adjoints.Remove(c.Name);
        }

        var inBody = new HashSet<string>(loop.Assigned.Select(a => a.Name));
        foreach (var c in carried.Where(c => c.End.Active))
        {
            WriteCopy(writer, c.Name, c.End, outerAdjoints[c.Name], inBody);
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
                    _firstIterationInactive[c.Name] = $"{loop.Counter} == {loop.Start}";
                }
            }
        }

        WriteBackwardOf(writer, loop.Body, inBranch: false);
        _entries.Clear();
        _firstIterationInactive.Clear();
        foreach (var c in carried)
        {
            var g = outerAdjoints[c.Name];
            if (_adjoints.TryGetValue(c.Name, out var entry))
            {
                _sharing.Consumed(c.Name, entry);
            }

            writer.Line(_adjoints.TryGetValue(c.Name, out var start) && !_undeclared.Contains(start)
                ? $"{g} = {start}; // the gradient of {c.Name} as this iteration started, for the one before"
                : $"{g} = {(c.Type == Tensor ? $"global::Backprop.Workspace.ZerosLike({c.Name})" : Literals.Zero(c.Type))}; // this iteration did not read {c.Name}");
        }

        writer.Close();
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
            WriteCopy(writer, c.Name, c.Before, outerAdjoints[c.Name], before);
        }
    }

    /// <summary>What a loop keeps per iteration: its carried variables as each iteration starts, then what its body makes.</summary>
    private List<(string Name, string Type, string Array)> Kept(TensorLoop loop) =>
        loop.Carried.Select(c => (c.Name, c.Type)).Concat(loop.Assigned).Select(v => (v.Item1, v.Item2, KeptName(loop, v.Item1))).ToList();

    private string KeptName(TensorLoop loop, string name)
    {
        if (!_keptNames.TryGetValue((loop, name), out var array))
        {
            array = _names.Unique(Identifier.Bare(name) + "At");
            _keptNames[(loop, name)] = array;
        }

        return array;
    }

    private readonly Dictionary<(TensorLoop, string), string> _keptNames = [];

    /// <summary>While a loop body's backward is written: its carried variables, which stand for their values as the iteration started.</summary>
    private readonly HashSet<string> _entries = [];

    /// <summary>While a loop body's backward is written: carried variables that start from a value taking no gradient, with the test for the first iteration.</summary>
    private readonly Dictionary<string, string> _firstIterationInactive = [];

    private static string Index(TensorLoop loop) => loop.Start == "0" ? loop.Counter : $"{loop.Counter} - {Grouped(loop.Start)}";

    private static string Grouped(string text) => text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.') ? text : $"({text})";
}
