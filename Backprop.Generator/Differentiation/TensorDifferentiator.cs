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
internal sealed partial class TensorDifferentiator
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
            .Concat(Differentiable.Select(p => p.Shape switch
            {
                ParameterShape.Tensor => $"{Tensor} {p.GradientName}",
                ParameterShape.TensorArray => $"{Tensor}[] {p.GradientName}",
                _ => $"ref {p.ElementType} {p.GradientName}",
            }));
        writer.Open($"{_method.Modifiers} {_method.ReturnType} {_method.Name}Backward({string.Join(", ", signature)})");
        writer.Line($"using var workspace = global::Backprop.Workspace.Enter();");
        foreach (var parameter in Differentiable)
        {
            _adjoints[parameter.Name] = parameter.GradientName!;
        }

        foreach (var field in _program.Fields)
        {
            if (field.EveryElementOf is null)
            {
                writer.Line($"var {field.GradientName} = {field.GradientSource};");
            }

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
                    x.a.Slot == AdjointSlot.Tensor ? TensorAdjoint(x.a.Value, adjoints[x.i]) : "ref " + (adjoints[x.i] ?? Discard(x.a.Value.Type))));
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



    /// <summary>
    /// A rule's tensor adjoint argument: null for an input that takes no gradient, and in a loop's first iteration for a
    /// carried value that starts from one that takes none (<c>i == 0 ? null : dh2_2</c>: the rule skips that product).
    /// </summary>
    private string TensorAdjoint(TensorOperand value, string? adjoint) =>
        adjoint is null ? "null"
        : _firstIterationInactive.TryGetValue(value.Text, out var first) ? $"{first} ? null : {adjoint}"
        : adjoint;

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

    /// <summary><c>foreach (var gradient in dWs) gradient.Clear();</c>: the gradients of a <c>Tensor[]</c>.</summary>
    private static void WriteClearEach(SourceWriter writer, string variable, string gradients)
    {
        writer.Open($"foreach (var {variable} in {gradients})");
        writer.Line($"{variable}.Clear();");
        writer.Close();
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
            .Concat(gradients.Select(p => p.Shape switch
            {
                ParameterShape.Tensor => $"{Tensor} {p.GradientName}",
                ParameterShape.TensorArray => $"{Tensor}[] {p.GradientName}",
                _ => $"out {p.ElementType} {p.GradientName}",
            }));
        writer.Open($"{_method.Modifiers} {_method.ReturnType} {_method.Name}Gradient({string.Join(", ", signature)})");

        // Loop variables named apart from the parameters.
        var element = NameBuilder.Numbered("module", n => _method.Parameters.Any(p => p.Name == n));
        var gradient = NameBuilder.Numbered("gradient", n => _method.Parameters.Any(p => p.Name == n));
        var index = NameBuilder.Numbered("i", n => _method.Parameters.Any(p => p.Name == n));
        foreach (var p in gradients.Where(p => p.Shape == ParameterShape.Tensor))
        {
            writer.Open($"if (!{p.GradientName}.HasShapeOf({p.Name}))");
            writer.Line($"throw new global::System.ArgumentException($\"{_method.Name}Gradient: {p.GradientName} is {{{p.GradientName}.Shape}} but {p.Name} is {{{p.Name}.Shape}}; they must match.\", nameof({p.GradientName}));");
            writer.Close();
            writer.Line();
        }

        foreach (var p in gradients.Where(p => p.Shape == ParameterShape.TensorArray))
        {
            writer.Open($"if ({p.GradientName}.Length != {p.Name}.Length)");
            writer.Line($"throw new global::System.ArgumentException($\"{_method.Name}Gradient: {p.GradientName} holds {{{p.GradientName}.Length}} tensors but {p.Name} {{{p.Name}.Length}}; they must match.\", nameof({p.GradientName}));");
            writer.Close();
            writer.Line();
            writer.Open($"for (var {index} = 0; {index} < {p.Name}.Length; {index}++)");
            writer.Open($"if (!{p.GradientName}[{index}].HasShapeOf({p.Name}[{index}]))");
            writer.Line($"throw new global::System.ArgumentException($\"{_method.Name}Gradient: {p.GradientName}[{{{index}}}] is {{{p.GradientName}[{index}].Shape}} but {p.Name}[{{{index}}}] is {{{p.Name}[{index}].Shape}}; they must match.\", nameof({p.GradientName}));");
            writer.Close();
            writer.Close();
            writer.Line();
        }

        foreach (var p in gradients)
        {
            switch (p.Shape)
            {
                case ParameterShape.Tensor:
                    writer.Line($"{p.GradientName}.Clear();");
                    break;
                case ParameterShape.TensorArray:
                    WriteClearEach(writer, gradient, p.GradientName!);
                    break;
                default:
                    writer.Line($"{p.GradientName} = {Literals.Zero(p.ElementType!)};");
                    break;
            }
        }

        foreach (var modules in _program.Fields.Where(f => f.EveryElementOf is not null).GroupBy(f => f.EveryElementOf!))
        {
            // this.Blocks[i].Attention.dW of every element: module.Attention.dW.
            writer.Open($"foreach (var {element} in {modules.Key})");
            foreach (var member in modules.Select(f => f.GradientSource.Substring(f.GradientSource.IndexOf(']', modules.Key.Length) + 1)).Distinct())
            {
                writer.Line($"{element}{member}.Clear();");
            }

            writer.Close();
        }

        foreach (var field in _program.Fields.Where(f => f.EveryElementOf is null))
        {
            if (field.IsArray)
            {
                WriteClearEach(writer, gradient, field.GradientSource);
            }
            else
            {
                writer.Line($"{field.GradientSource}.Clear();");
            }
        }

        var arguments = _method.Parameters.Select(p => p.Name)
            .Append(Literals.One(_method.ReturnType))
            .Concat(gradients.Select(p => p.Shape is ParameterShape.Tensor or ParameterShape.TensorArray ? p.GradientName! : "ref " + p.GradientName));
        writer.Line($"return {_method.Name}Backward({string.Join(", ", arguments)});");
        writer.Close();
    }
}
