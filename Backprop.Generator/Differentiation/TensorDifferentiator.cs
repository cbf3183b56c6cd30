using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Differentiate for tensor code: the forward sweep runs the steps as written (their tensors come from a workspace
/// scope, so a warm call allocates nothing); the backward sweep walks them in reverse and calls each function's
/// derivative rule, which adds into the adjoints of its inputs — gradients that meet add up in the same tensor.
/// </summary>
internal sealed class TensorDifferentiator
{
    private const string Tensor = TensorProgram.TensorType;

    private readonly MethodModel _method;
    private readonly TensorProgram _program;
    private readonly NameBuilder _names;
    private readonly Dictionary<string, string> _adjoints = [];

    /// <summary>Scalar adjoints named but not yet declared: the first contribution declares them (<c>float dq = g;</c>).</summary>
    private readonly HashSet<string> _undeclared = [];
    /// <summary>Per scalar type, the local that receives the adjoints of inputs that take no gradient.</summary>
    private readonly Dictionary<string, string> _discards = [];
    private readonly AdjointSharing _sharing;

    private TensorDifferentiator(MethodModel method)
    {
        _method = method;
        _program = method.Tensors!;
        _names = new NameBuilder(method.ReservedNames
            .Concat(method.Parameters.Select(p => p.Name))
            .Concat(method.Parameters.Where(p => p.HasGradient).Select(p => p.GradientName!))
            .Concat(_program.Assigned.Select(a => a.Name))
            .Concat(_program.Fields.Select(f => f.GradientName))
            .Concat(["dResult", "workspace"]));
        _sharing = new AdjointSharing(_program.Steps.ToList());
    }

    /// <summary>Writes <c>…Backward</c> and <c>…Gradient</c> of a tensor method into <paramref name="writer"/>.</summary>
    public static void Write(SourceWriter writer, MethodModel method, string generatedCode)
    {
        var differentiator = new TensorDifferentiator(method);
        differentiator.WriteBackward(writer, generatedCode);
        writer.Line();
        differentiator.WriteGradient(writer, generatedCode);
    }

    private IEnumerable<ParameterModel> Differentiable => _method.Parameters.Where(p => p.HasGradient);

    private void WriteBackward(SourceWriter writer, string generatedCode)
    {
        var targets = Differentiable.Select(p => p.Name).Concat(_program.Fields.Select(f => f.Name)).ToList();
        writer.Line("/// <summary>");
        writer.Line($"/// Pullback of <see cref=\"{_method.Name}({_method.Signature})\"/>: returns {_method.Name} and adds dResult·∂{_method.Name}/∂({string.Join(", ", targets)}) into "
            + string.Join(", ", Differentiable.Select(p => p.GradientName).Concat(_program.Fields.Select(f => f.GradientSource))) + ".");
        writer.Line("/// Its intermediate tensors live in a workspace scope that closes when it returns.");
        writer.Line("/// </summary>");
        writer.Line(generatedCode);
        var signature = _method.Parameters.Select(p => p.Declaration)
            .Append($"{_method.ReturnType} dResult")
            .Concat(Differentiable.Select(p => p.Shape == ParameterShape.Tensor ? $"{Tensor} {p.GradientName}" : $"ref {p.ElementType} {p.GradientName}"));
        writer.Open($"{_method.Modifiers} {_method.ReturnType} {_method.Name}Backward({string.Join(", ", signature)})");
        writer.Line($"using var workspace = global::Backprop.Workspace.Enter();");
        foreach (var parameter in Differentiable)
        {
            _adjoints[parameter.Name] = parameter.GradientName!;
        }

        foreach (var field in _program.Fields)
        {
            writer.Line($"var {field.GradientName} = {field.GradientSource};");
            _adjoints[field.Text] = field.GradientName;
        }

        writer.Line();
        writer.Line("// forward pass");
        WriteForward(writer, _program.Nodes, declare: true);

        writer.Line();
        writer.Line("// backward pass");
        var backward = new SourceWriter();
        var result = _program.Result;
        if (_adjoints.TryGetValue(result.Text, out var resultOwner))
        {
            backward.Line($"{resultOwner} += dResult;");
        }
        else if (result.Active)
        {
            _adjoints[result.Text] = "dResult";
        }

        WriteBackwardOf(backward, _program.Nodes, inBranch: false);

        foreach (var discard in _discards)
        {
            writer.Line($"{discard.Key} {discard.Value} = {Literals.Zero(discard.Key)}; // adjoint of inputs that take no gradient");
        }

        writer.Append(backward);
        writer.Line();
        writer.Line($"return {result.Text};");
        writer.Close();
    }

    /// <summary>
    /// The forward sweep as written. A branch's names are declared before it (its arms assign them), so that the backward
    /// sweep, after it, can read what the arm taken made.
    /// </summary>
    private void WriteForward(SourceWriter writer, IEnumerable<TensorNode> nodes, bool declare)
    {
        foreach (var node in nodes)
        {
            if (node is TensorStep step)
            {
                var declared = !declare ? string.Empty : step.Type == Tensor ? "var " : step.Type + " ";
                writer.Line($"{declared}{step.Target} = {step.Forward};{ForwardComment(step)}");
                continue;
            }

            if (node is TensorLoop loop)
            {
                WriteLoopForward(writer, loop);
                continue;
            }

            var branch = (TensorBranch)node;
            if (declare)
            {
                foreach (var merge in branch.Merges)
                {
                    writer.Line($"{merge.Type} {merge.Target};");
                }

                foreach (var (name, type) in branch.Assigned.Skip(branch.Merges.Count))
                {
                    writer.Line($"{type} {name} = {(type == Tensor ? "null!" : Literals.Zero(type))}; // made in a branch below");
                }
            }

            writer.Open($"if ({branch.Condition})");
            WriteForward(writer, branch.Then, declare: false);
            foreach (var merge in branch.Merges)
            {
                writer.Line($"{merge.Target} = {merge.Then.Text};");
            }

            writer.Close();
            writer.Open("else");
            WriteForward(writer, branch.Else, declare: false);
            foreach (var merge in branch.Merges)
            {
                writer.Line($"{merge.Target} = {merge.Else.Text};");
            }

            writer.Close();
        }
    }

    /// <summary>The backward sweep of <paramref name="nodes"/>: in reverse, the steps whose values received a gradient.</summary>
    private void WriteBackwardOf(SourceWriter writer, IEnumerable<TensorNode> nodes, bool inBranch)
    {
        foreach (var node in nodes.Reverse())
        {
            switch (node)
            {
                case TensorStep step when step.Active && _adjoints.ContainsKey(step.Target):
                    WriteStep(writer, step, inBranch);
                    break;
                case TensorBranch branch:
                    WriteBranch(writer, branch);
                    break;
                case TensorLoop loop:
                    WriteLoop(writer, loop);
                    break;
            }
        }
    }

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

        var made = new HashSet<string>(branch.Assigned.Select(a => a.Name));
        var outer = branch.Steps.Where(s => s.Active).SelectMany(s => s.Arguments.Where(a => a.Slot != AdjointSlot.None).Select(a => a.Value))
            .Concat(merges.SelectMany(m => new[] { m.Then, m.Else }))
            .Where(v => v.Active && !made.Contains(v.Text) && !_adjoints.ContainsKey(v.Text))
            .GroupBy(v => v.Text).Select(g => g.First()).ToList();
        var declarations = new List<string>();
        foreach (var value in outer)
        {
            var adjoint = AdjointOf(value, declarations)!;
            if (_undeclared.Remove(adjoint))
            {
                declarations.Add($"{value.Type} {adjoint} = {Literals.Zero(value.Type)};");
            }
        }

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
            var adjoint = AdjointOf(new TensorOperand(c.Name, c.Type, Active: true), declarations)!;
            if (_undeclared.Remove(adjoint))
            {
                declarations.Add($"{c.Type} {adjoint} = {Literals.Zero(c.Type)};");
            }
        }

        var outerAdjoints = carried.ToDictionary(c => c.Name, c => _adjoints[c.Name]);
        foreach (var c in carried)
        {
            _sharing.Consumed(c.Name, outerAdjoints[c.Name]);
        }

        var made = new HashSet<string>(loop.Assigned.Select(a => a.Name).Concat(loop.Carried.Select(c => c.Name)));
        foreach (var value in TensorProgram.StepsOf(loop.Body).Where(s => s.Active).SelectMany(s => s.Arguments.Where(a => a.Slot != AdjointSlot.None).Select(a => a.Value))
            .Concat(carried.Select(c => c.End))
            .Where(v => v.Active && !made.Contains(v.Text) && !_adjoints.ContainsKey(v.Text))
            .GroupBy(v => v.Text).Select(g => g.First()))
        {
            var adjoint = AdjointOf(value, declarations)!;
            if (_undeclared.Remove(adjoint))
            {
                declarations.Add($"{value.Type} {adjoint} = {Literals.Zero(value.Type)};");
            }
        }

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
            }
        }

        WriteBackwardOf(writer, loop.Body, inBranch: false);
        _entries.Clear();
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

    private static string Index(TensorLoop loop) => loop.Start == "0" ? loop.Counter : $"{loop.Counter} - {Grouped(loop.Start)}";

    private static string Grouped(string text) => text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.') ? text : $"({text})";

    private void WriteStep(SourceWriter writer, TensorStep step, bool inBranch)
    {
        var g = _adjoints[step.Target];
        _sharing.Consumed(step.Target, g);
        // Inside a branch no input shares: which other adjoints are still to be read depends on the arm taken.
        var shared = inBranch ? [] : _sharing.Choose(step, g, Enumerable.Range(0, step.Arguments.Count).Where(i => PassesThrough(step, i, step.Arguments[i].Value)));
        var declarations = new List<string>();
        var adjoints = step.Arguments.Select((a, i) => a.Slot == AdjointSlot.None ? null
            : shared.Contains(i) ? PassedThrough(a.Value, g, declarations)
            : AdjointOf(a.Value, declarations)).ToList();
        writer.Line($"// {step.Target} = {step.Display}: {Describe(step)}");
        foreach (var declaration in declarations)
        {
            writer.Line(declaration);
        }

        if (step.Kind == TensorStepKind.Rule)
        {
            foreach (var (argument, i) in step.Arguments.Select((a, i) => (a, i)))
            {
                if (argument.Slot == AdjointSlot.Scalar && adjoints[i] is { } scalar && _undeclared.Remove(scalar))
                {
                    writer.Line($"{argument.Value.Type} {scalar} = {Literals.Zero(argument.Value.Type)};");
                }
            }

            var arguments = step.Arguments.Select(a => a.Value.Text)
                .Append(step.Target)
                .Append(g)
                .Concat(step.Arguments.Select((a, i) => (a, i)).Where(x => x.a.Slot != AdjointSlot.None).Select(x =>
                    x.a.Slot == AdjointSlot.Tensor ? adjoints[x.i] ?? "null" : "ref " + (adjoints[x.i] ?? Discard(x.a.Value.Type))));
            writer.Line($"{step.Rule}({string.Join(", ", arguments)});");
            return;
        }

        // Float arithmetic and Math functions of float results: the scalar gates, with the same rules as scalar code.
        // Contributions to the same adjoint (both operands of loss * loss) are added in one statement, as in scalar code.
        var spelling = new StepSpelling(step, g);
        var terms = new List<(string Adjoint, string Type, List<(bool Subtract, string Term)> Terms)>();
        foreach (var contribution in RuleOf(step).Contributions)
        {
            if (adjoints[contribution.Operand] is not { } adjoint)
            {
                continue;
            }

            var same = terms.FindIndex(t => t.Adjoint == adjoint);
            if (same < 0)
            {
                terms.Add((adjoint, step.Arguments[contribution.Operand].Value.Type, []));
                same = terms.Count - 1;
            }

            terms[same].Terms.Add((contribution.Subtract, TermPrinter.Print(contribution.Value, spelling)));
        }

        foreach (var (adjoint, type, parts) in terms)
        {
            var added = parts.Where(p => !p.Subtract).Select(p => p.Term).ToList();
            var taken = parts.Where(p => p.Subtract).Select(p => TermPrinter.Grouped(p.Term)).ToList();
            var contribution = added.Count == 0
                ? (-1, string.Join(" + ", taken))
                : (1, string.Join(" + ", added) + string.Concat(taken.Select(t => " - " + t)));
            Contribute(writer, adjoint, type, contribution);
        }
    }



    /// <summary>The scalar gate rule of a float arithmetic or Math step.</summary>
    private static GateRule RuleOf(TensorStep step) => step.Kind == TensorStepKind.Math
        ? GateRules.ForMath(step.Function, step.Arguments.Count)!
        : GateRules.ForKind(step.Function switch
        {
            "+" => GateKind.Add,
            "-" when step.Arguments.Count == 1 => GateKind.Negate,
            "-" => GateKind.Subtract,
            "*" => GateKind.Multiply,
            _ => GateKind.Divide,
        })!;

    private void Contribute(SourceWriter writer, string? adjoint, string type, (int Sign, string Term) contribution)
    {
        if (adjoint is null)
        {
            return;
        }

        if (_undeclared.Remove(adjoint))
        {
            writer.Line($"{type} {adjoint} = {(contribution.Sign < 0 ? "-" + TermPrinter.Grouped(contribution.Term) : contribution.Term)};");
        }
        else
        {
            writer.Line($"{adjoint} {(contribution.Sign < 0 ? "-=" : "+=")} {contribution.Term};");
        }
    }

    /// <summary>The adjoint of an operand, declared (as zero) the first time the backward sweep reaches it; null when it takes no gradient.</summary>
    private string? AdjointOf(TensorOperand operand, List<string> declarations)
    {
        if (!operand.Active)
        {
            return null;
        }

        if (_adjoints.TryGetValue(operand.Text, out var existing))
        {
            return existing;
        }

        if (operand.Element is { } element)
        {
            return _adjoints.TryGetValue(element.Array, out var array) ? $"{array}[{element.Index}]" : null;
        }

        var name = _names.Unique("d" + operand.Text);
        _adjoints[operand.Text] = name;
        if (operand.IsTensor)
        {
            declarations.Add($"var {name} = global::Backprop.Workspace.ZerosLike({operand.Text});");
        }
        else
        {
            _undeclared.Add(name);
        }

        return name;
    }

    /// <summary>
    /// The runtime's add gate passes its gradient on unchanged to the first input (both, for Add): an intermediate
    /// tensor there, with no adjoint yet, can share the output's adjoint instead of getting a zeroed copy.
    /// </summary>
    private bool PassesThrough(TensorStep step, int index, TensorOperand operand) =>
        operand.IsTensor && operand.Active && !_adjoints.ContainsKey(operand.Text)
        && (_program.Steps.Any(s => s.Target == operand.Text) || _entries.Contains(operand.Text))
        && step.Arguments.Count(a => a.Value.Text == operand.Text) == 1
        && (step.Rule == "global::Backprop.Nn.AddBackward" && index <= 1 || step.Rule == "global::Backprop.Nn.SubtractBackward" && index == 0);

    private string PassedThrough(TensorOperand operand, string g, List<string> declarations)
    {
        var name = _names.Unique("d" + operand.Text);
        _adjoints[operand.Text] = name;
        _sharing.Shares(name, g, operand.Text);
        declarations.Add($"var {name} = global::Backprop.Workspace.PassedThrough({operand.Text}, {g}); // the add gate passes {g} on unchanged: the same tensor");
        return name;
    }

    private string Discard(string type)
    {
        if (!_discards.TryGetValue(type, out var name))
        {
            name = _names.Unique("discarded");
            _discards[type] = name;
        }

        return name;
    }

    /// <summary>Operators say which function they are: <c>X * W1</c> is a MatMul.</summary>
    private static string ForwardComment(TensorStep step) =>
        step.Kind == TensorStepKind.Rule && step.Display == step.Forward ? $" // {step.Function}" : string.Empty;

    private static string Describe(TensorStep step) => step.Kind == TensorStepKind.Rule
        ? $"{step.Rule!.Substring(step.Rule.LastIndexOf('.') + 1)} adds the gradient through {step.Function}"
        : RuleOf(step).Comment;

    /// <summary>How a float step of tensor code names what its rule's terms stand for.</summary>
    private sealed class StepSpelling(TensorStep step, string gradient) : ITermSpelling
    {
        public string Gradient => gradient;

        public string Result => step.Target;

        public string MathClass => step.Type == "double" ? "global::System.Math" : "global::System.MathF";

        /// <summary>Tensor code keeps every value, so sin's cos is computed where the rule needs it.</summary>
        public string Companion => GateRules.ForMath(step.Function, step.Arguments.Count)!.Companion is { } companion
            ? $"{MathClass}.{char.ToUpperInvariant(companion.Name[0])}{companion.Name.Substring(1)}({Operand(0)})"
            : throw new System.InvalidOperationException($"{step.Function} has no companion value");

        public string? ConvertedFrom => null;

        public string Operand(int index)
        {
            var text = step.Arguments[index].Value.Text;
            return text.StartsWith("-", System.StringComparison.Ordinal) ? $"({text})" : text;
        }
    }

    private void WriteGradient(SourceWriter writer, string generatedCode)
    {
        var gradients = Differentiable.ToList();
        var receivers = gradients.Select(p => p.GradientName).Concat(_program.Fields.Select(f => f.GradientSource)).ToList();
        writer.Line("/// <summary>");
        writer.Line($"/// Value and gradient of <see cref=\"{_method.Name}({_method.Signature})\"/>: returns {_method.Name}; {string.Join(", ", receivers)} {(receivers.Count == 1 ? "receives" : "receive")} ∂{_method.Name}/∂({string.Join(", ", gradients.Select(p => p.Name).Concat(_program.Fields.Select(f => f.Name)))}).");
        writer.Line("/// </summary>");
        writer.Line(generatedCode);
        var signature = _method.Parameters.Select(p => p.Declaration)
            .Concat(gradients.Select(p => p.Shape == ParameterShape.Tensor ? $"{Tensor} {p.GradientName}" : $"out {p.ElementType} {p.GradientName}"));
        writer.Open($"{_method.Modifiers} {_method.ReturnType} {_method.Name}Gradient({string.Join(", ", signature)})");
        foreach (var p in gradients.Where(p => p.Shape == ParameterShape.Tensor))
        {
            writer.Open($"if (!{p.GradientName}.HasShapeOf({p.Name}))");
            writer.Line($"throw new global::System.ArgumentException($\"{_method.Name}Gradient: {p.GradientName} is {{{p.GradientName}.Shape}} but {p.Name} is {{{p.Name}.Shape}}; they must match.\", nameof({p.GradientName}));");
            writer.Close();
            writer.Line();
        }

        foreach (var p in gradients)
        {
            writer.Line(p.Shape == ParameterShape.Tensor ? $"{p.GradientName}.Clear();" : $"{p.GradientName} = {Literals.Zero(p.ElementType!)};");
        }

        foreach (var field in _program.Fields)
        {
            if (field.IsArray)
            {
                writer.Open($"foreach (var gradient in {field.GradientSource})");
                writer.Line("gradient.Clear();");
                writer.Close();
            }
            else
            {
                writer.Line($"{field.GradientSource}.Clear();");
            }
        }

        var arguments = _method.Parameters.Select(p => p.Name)
            .Append(Literals.One(_method.ReturnType))
            .Concat(gradients.Select(p => p.Shape == ParameterShape.Tensor ? p.GradientName! : "ref " + p.GradientName));
        writer.Line($"return {_method.Name}Backward({string.Join(", ", arguments)});");
        writer.Close();
    }
}
