using System.Collections.Generic;
using System.Linq;
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

    private TensorDifferentiator(MethodModel method)
    {
        _method = method;
        _program = method.Tensors!;
        _names = new NameBuilder(method.ReservedNames
            .Concat(method.Parameters.Select(p => p.Name))
            .Concat(method.Parameters.Where(p => p.HasGradient).Select(p => p.GradientName!))
            .Concat(_program.Steps.Select(s => s.Target))
            .Concat(_program.Fields.Select(f => f.GradientName))
            .Concat(["dResult", "workspace"]));
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
        var signature = _method.Parameters.Select(p => $"{p.Type} {p.Name}")
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
        foreach (var step in _program.Steps)
        {
            var declared = step.Type == Tensor ? "var" : step.Type;
            writer.Line($"{declared} {step.Target} = {step.Forward};{ForwardComment(step)}");
        }

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

        foreach (var step in _program.Steps.Reverse().Where(s => s.Active && _adjoints.ContainsKey(s.Target)))
        {
            WriteStep(backward, step);
        }

        foreach (var discard in _discards)
        {
            writer.Line($"{discard.Key} {discard.Value} = {Literals.Zero(discard.Key)}; // adjoint of inputs that take no gradient");
        }

        writer.Append(backward);
        writer.Line();
        writer.Line($"return {result.Text};");
        writer.Close();
    }

    private void WriteStep(SourceWriter writer, TensorStep step)
    {
        var g = _adjoints[step.Target];
        var declarations = new List<string>();
        var adjoints = step.Arguments.Select((a, i) => a.Slot == AdjointSlot.None ? null
            : PassesThrough(step, i, a.Value) ? PassedThrough(a.Value, g, declarations)
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

        // Scalar arithmetic on float results: the gates of the lecture notes.
        var left = step.Arguments[0].Value.Text;
        var right = step.Arguments.Count > 1 ? step.Arguments[1].Value.Text : null;
        // Each term with its sign: the first contribution to an adjoint declares it, later ones add.
        var (leftTerm, rightTerm) = step.Function switch
        {
            "+" => ((1, g), (1, g)),
            "-" when right is null => ((-1, g), (1, string.Empty)),
            "-" => ((1, g), (-1, g)),
            "*" => ((1, $"{g} * {right}"), (1, $"{g} * {left}")),
            _ => ((1, $"{g} / {right}"), (-1, $"{g} * {step.Target} / {right}")),
        };
        Contribute(writer, adjoints[0], step.Arguments[0].Value.Type, leftTerm);
        if (adjoints.Count > 1 && rightTerm.Item2.Length > 0)
        {
            Contribute(writer, adjoints[1], step.Arguments[1].Value.Type, rightTerm);
        }
    }

    private void Contribute(SourceWriter writer, string? adjoint, string type, (int Sign, string Term) contribution)
    {
        if (adjoint is null)
        {
            return;
        }

        if (_undeclared.Remove(adjoint))
        {
            writer.Line($"{type} {adjoint} = {(contribution.Sign < 0 ? "-" : string.Empty)}{contribution.Term};");
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
        && _program.Steps.Any(s => s.Target == operand.Text)
        && step.Arguments.Count(a => a.Value.Text == operand.Text) == 1
        && (step.Rule == "global::Backprop.Nn.AddBackward" && index <= 1 || step.Rule == "global::Backprop.Nn.SubtractBackward" && index == 0);

    private string PassedThrough(TensorOperand operand, string g, List<string> declarations)
    {
        var name = _names.Unique("d" + operand.Text);
        _adjoints[operand.Text] = name;
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
        : step.Function switch
        {
            "+" => "add gate (distributor)",
            "-" when step.Arguments.Count == 1 => "negation",
            "-" => "subtract gate",
            "*" => "multiply gate (switcher)",
            _ => "divide gate",
        };

    private void WriteGradient(SourceWriter writer, string generatedCode)
    {
        var gradients = Differentiable.ToList();
        var receivers = gradients.Select(p => p.GradientName).Concat(_program.Fields.Select(f => f.GradientSource)).ToList();
        writer.Line("/// <summary>");
        writer.Line($"/// Value and gradient of <see cref=\"{_method.Name}({_method.Signature})\"/>: returns {_method.Name}; {string.Join(", ", receivers)} {(receivers.Count == 1 ? "receives" : "receive")} ∂{_method.Name}/∂({string.Join(", ", gradients.Select(p => p.Name).Concat(_program.Fields.Select(f => f.Name)))}).");
        writer.Line("/// </summary>");
        writer.Line(generatedCode);
        var signature = _method.Parameters.Select(p => $"{p.Type} {p.Name}")
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
            writer.Line($"{field.GradientSource}.Clear();");
        }

        var arguments = _method.Parameters.Select(p => p.Name)
            .Append(Literals.One(_method.ReturnType))
            .Concat(gradients.Select(p => p.Shape == ParameterShape.Tensor ? p.GradientName! : "ref " + p.GradientName));
        writer.Line($"return {_method.Name}Backward({string.Join(", ", arguments)});");
        writer.Close();
    }
}
