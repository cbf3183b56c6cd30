using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Forward mode (a Jacobian-vector product): <c>FTangent(params…, tangents…, out dResult)</c> runs the staged forward
/// pass and, after each gate, its tangent — "if we change s by some amount, z is also changed: dz = ds·h'(s)". Each
/// gate's tangent comes from the same rule as its backward step: the rule's terms are linear in the output adjoint, so
/// with an operand's tangent in its place they give that operand's share of dz. Nothing is saved or replayed.
/// </summary>
internal sealed class TangentWriter
{
    private readonly HeldSinCos _held = new();

    private readonly MethodModel _method;
    private readonly NameBuilder _names;
    private readonly string _resultName;
    private readonly Dictionary<string, string> _types;
    private readonly Dictionary<string, string> _tangents = [];

    /// <summary>The differentiable parameters and every name a non-inactive gate assigns: they carry a tangent.</summary>
    private readonly HashSet<string> _active = [];

    private TangentWriter(MethodModel method, NameBuilder names, string resultName, Dictionary<string, string> types)
    {
        _method = method;
        _names = names;
        _resultName = resultName;
        _types = types;
    }

    /// <summary>Writes <c>…Tangent</c> of the scalar method <paramref name="method"/>.</summary>
    public static void Write(SourceWriter writer, MethodModel method, string generatedCode)
    {
        var staged = StagedBody.Of(method);

        // Declared at the top of …Tangent: locals and temporaries (parameters are parameters; loop counters live in their for).
        var counters = new HashSet<string>(method.Locals.Where(l => l.IsCountedLoopVariable).Select(l => l.Name));
        var types = staged.Types
            .Where(t => !counters.Contains(t.Key) && !method.Parameters.Any(p => p.Name == t.Key))
            .ToDictionary(t => t.Key, t => t.Value);
        new TangentWriter(method, staged.Names, staged.ResultName, types).WriteMethod(writer, staged.Body, generatedCode);
    }

    private void WriteMethod(SourceWriter writer, List<Staged> body, string generatedCode)
    {
        var gradients = _method.Parameters.Where(p => p.HasGradient).ToList();
        foreach (var parameter in gradients)
        {
            _tangents[parameter.Name] = parameter.GradientName!;
        }

        _tangents[_resultName] = "dResult";
        _active.UnionWith(StagedBody.ActiveNames(_method, body));
        var text = new SourceWriter();
        WriteBlock(text, body);

        if (_method.ReturnType == "void")
        {
            WriteVectorHeader(writer, generatedCode);
        }
        else
        {
            WriteHeader(writer, gradients, generatedCode);
        }

        foreach (var local in _types.Where(t => t.Key != _resultName))
        {
            writer.Line(Literals.Hoisted(local.Value, local.Key));
        }

        if (_method.ReturnType != "void")
        {
            writer.Line($"{_method.ReturnType} {_resultName} = {Literals.Zero(_method.ReturnType)};");
        }

        foreach (var tangent in _tangents.Where(t => _types.ContainsKey(t.Key) && t.Key != _resultName))
        {
            writer.Line($"{Literals.Hoisted(_types[tangent.Key], tangent.Value)} // tangent of {tangent.Key}");
        }

        writer.Line();
        writer.Append(text);
        if (_method.ReturnType != "void" && !Exits.EndsWithExit(body))
        {
            writer.Line($"return {_resultName};");
        }

        writer.Close();
    }

    private void WriteHeader(SourceWriter writer, List<ParameterModel> gradients, string generatedCode)
    {
        writer.Line("/// <summary>");
        writer.Line($"/// Forward mode of <see cref=\"{_method.CrefName}({_method.Signature})\"/>: returns {_method.Name}; dResult = "
            + (gradients.Count == 0 ? "0." : string.Join(" + ", gradients.Select(p => p.Shape == ParameterShape.Scalar
                ? $"∂{_method.Name}/∂{p.Name}·{p.GradientName}"
                : $"Σ ∂{_method.Name}/∂{p.Name}[i]·{p.GradientName}[i]")) + "."));
        writer.Line("/// </summary>");
        writer.Line(generatedCode);
        var signature = _method.Parameters.Select(p => p.Declaration)
            .Concat(gradients.Select(TangentDeclaration))
            .Append($"out {_method.ReturnType} dResult");
        writer.Open($"{_method.Modifiers} {_method.ReturnType} {_method.Name}Tangent{_method.TypeParameters}({string.Join(", ", signature)}){_method.Constraints}");
        writer.Line($"dResult = {Literals.Zero(_method.ReturnType)};");
    }

    /// <summary>A vector function's: the inputs, their tangents, then the outputs and theirs (each output's tangent starts at 0).</summary>
    private void WriteVectorHeader(SourceWriter writer, string generatedCode)
    {
        var inputs = _method.Parameters.Where(p => p.HasGradient && !p.IsOutput).ToList();
        var outputs = _method.Parameters.Where(p => p.IsOutput).ToList();
        writer.Line("/// <summary>");
        writer.Line($"/// Forward mode of <see cref=\"{_method.CrefName}({_method.Signature})\"/>: writes {_method.Name}'s results into {string.Join(", ", outputs.Select(o => o.Name))} and their tangents into "
            + string.Join("; ", outputs.Select(o => $"{o.GradientName} = " + string.Join(" + ", inputs.Select(p => $"∂{o.Name}/∂{p.Name}·{p.GradientName}"))))
            + " (a Jacobian-vector product).");
        writer.Line("/// </summary>");
        writer.Line(generatedCode);
        var signature = _method.Parameters.Where(p => !p.IsOutput).Select(p => p.Declaration)
            .Concat(inputs.Select(TangentDeclaration))
            .Concat(outputs.Select(o => o.Declaration))
            .Concat(outputs.Select(o => o.IsOutParameter ? $"out {o.ElementType} {o.GradientName}" : $"global::System.Span<{o.ElementType}> {o.GradientName}"));
        writer.Open($"{_method.Modifiers} void {_method.Name}Tangent{_method.TypeParameters}({string.Join(", ", signature)}){_method.Constraints}");
        VectorFunctionWriter.WriteChecks(writer, _method, inputs.Concat(outputs).Where(p => p.Shape == ParameterShape.Sequence).Select(p => (p.GradientName!, p.Name)));
        foreach (var output in outputs)
        {
            writer.Line(output.IsOutParameter
                ? $"{output.GradientName} = {Literals.Zero(output.ElementType!)};"
                : $"{output.GradientName}.Clear(); // an element {_method.Name} does not write keeps its value: no tangent");
        }
    }

    private static string TangentDeclaration(ParameterModel p) => p.Shape == ParameterShape.Scalar
        ? $"{p.ElementType} {p.GradientName}"
        : $"global::System.ReadOnlySpan<{p.ElementType}> {p.GradientName}";

    private void WriteBlock(SourceWriter writer, List<Staged> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Gate gate:
                    WriteGate(writer, gate);
                    break;
                case StagedIf s:
                    _held.InBlock(
                        [.. s.Then, .. s.Else],
                        loop: false,
                        () =>
                        {
                            writer.Open($"if ({ExprPrinter.Print(s.Condition)})");
                            WriteBlock(writer, s.Then);
                            writer.Close();
                        },
                        () =>
                        {
                            if (s.Else.Count > 0)
                            {
                                writer.Open("else");
                                WriteBlock(writer, s.Else);
                                writer.Close();
                            }
                        });
                    break;
                case StagedLoop loop:
                    var condition = ExprPrinter.Print(loop.Condition);
                    var header = loop.Counted is { } c
                        ? $"for (int {c.Variable} = {ExprPrinter.Print(c.Start)}; {c.Variable} {Operators.Symbol(c.Comparison)} {condition}; {c.Variable}{(c.Ascending ? "++" : "--")})"
                        : loop.IsDo ? "do" : $"while ({condition})";
                    _held.InBlock(loop.Body, loop: true, () =>
                    {
                        writer.Open(header);
                        WriteBlock(writer, loop.Body);
                        writer.Close(loop.IsDo ? $" while ({condition});" : null);
                    });
                    break;
                case StagedExit exit:
                    writer.Line(exit.Kind switch
                    {
                        ExitKind.Break => "break;",
                        ExitKind.Continue => "continue;",
                        _ => $"return {_resultName};",
                    });
                    break;
            }
        }
    }

    private void WriteGate(SourceWriter writer, Gate gate)
    {
        var target = gate.Target;
        var active = gate.Kind != GateKind.Inactive && gate.Operands.Any(IsActiveOperand);
        if (gate.Kind == GateKind.Call)
        {
            _held.Forget(null);
            WriteCall(writer, gate, active);
            return;
        }

        if (gate.Companion is null)
        {
            _held.Forget(gate.Written); // what this gate writes is written below, before any later gate reads it
        }

        if (gate.Kind == GateKind.Inactive)
        {
            writer.Line($"{GatePrinter.Print(gate)};");
            if (gate.Value is NewArrayExpr array && _active.Contains(gate.TargetName))
            {
                writer.Line($"{Tangent(gate.TargetName)} = {array.Creation(ExprPrinter.Print(array.Length))};");
            }
            else if (HasTangent(gate.TargetName))
            {
                writer.Line($"{TangentOf(target)} = {Literals.PlainZero(target.Type)}; // a constant: no tangent");
            }

            return;
        }

        var spelling = new TangentSpelling(gate);
        var comment = GateRules.For(gate)?.Comment ?? (gate.Kind == GateKind.Convert ? "conversion" : "router: the tangent of the input that won");
        if (active && gate.Companion is null && gate.Operands.Any(o => Stager.Reads(o).Contains(gate.TargetName)))
        {
            // The gate overwrites one of its operands (x = x * y): the tangent reads the operands' old values, so the new
            // value and its tangent are computed first and then stored.
            var next = _names.Unique(Identifier.Bare(gate.TargetName) + "Next");
            spelling.Result = next;
            writer.Line($"{target.Type} {next} = {GatePrinter.Value(gate)};");
            var tangentNext = _names.Unique("d" + next);
            writer.Line($"{target.Type} {tangentNext} = {TangentValue(gate, spelling) ?? Literals.PlainZero(target.Type)}; // {comment}");
            writer.Line($"{ExprPrinter.Print(target)} = {next};");
            writer.Line($"{TangentOf(target)} = {tangentNext};");
            return;
        }

        if (gate.Companion is { } companion)
        {
            Expr other = new VariableExpr(companion, target.Type);
            var (sin, cos) = GateRules.For(gate)!.Companion!.ResultFirst ? (target, other) : (other, target);
            SweepPrinter.Print(writer, _held.Assign(gate, (sin, null), (cos, null), sin, cos));
        }
        else
        {
            writer.Line($"{GatePrinter.Print(gate)};");
        }

        if ((active ? TangentValue(gate, spelling) : null) is { } value)
        {
            writer.Line($"{TangentOf(target)} = {value}; // {comment}");
        }
        else if (HasTangent(gate.TargetName))
        {
            writer.Line($"{TangentOf(target)} = {Literals.PlainZero(target.Type)};");
        }
    }

    /// <summary>Σ over the rule's contributions of the term with the operand's tangent in place of the output adjoint.</summary>
    private string? TangentValue(Gate gate, TangentSpelling spelling)
    {
        if (gate.Kind == GateKind.Convert)
        {
            return $"({gate.Target.Type}){TangentOf(gate.Operands[0])}";
        }

        if (gate.Kind == GateKind.Multiply && gate.Operands[0] == gate.Operands[1])
        {
            // q = a * a: dq = 2·a·da, one term where the multiply gate's rule gives two equal ones.
            var two = Expr.IsTypeParameter(gate.Target.Type) ? Literals.Number(2, gate.Target.Type) : Literals.Format(gate.Target.Type == "float" ? 2f : (object)2.0);
            return $"{two} * {ExprPrinter.Operand(gate.Operands[0])} * {TangentOf(gate.Operands[0])}";
        }

        // s = s + e keeps the adjoint of s as it is in the backward pass (its rule has no term for s), but its tangent
        // changes: ds + de. Forward mode uses the add and subtract gates' full rules.
        var rule = gate.IsAccumulation ? GateRules.ForKind(gate.Kind) : GateRules.For(gate);
        if (rule is null)
        {
            return RouterTangent(gate);
        }

        var parts = new List<(bool Subtract, string Term)>();
        foreach (var contribution in rule.Contributions.Where(c => IsActiveOperand(gate.Operands[c.Operand])))
        {
            spelling.Tangent = TangentOf(gate.Operands[contribution.Operand]);
            parts.Add((contribution.Subtract, TermPrinter.Print(contribution.Value, spelling)));
        }

        if (parts.Count == 0)
        {
            return null;
        }

        var first = parts[0].Subtract ? "-" + TermPrinter.Grouped(parts[0].Term) : parts[0].Term;
        return first + string.Concat(parts.Skip(1).Select(p => (p.Subtract ? " - " + TermPrinter.Grouped(p.Term) : " + " + p.Term)));
    }

    /// <summary>max, min, abs, clamp: the tangent of the input the router sends the gradient to (same ties as backward).</summary>
    private string RouterTangent(Gate gate)
    {
        var o = gate.Operands.Select(ExprPrinter.Operand).ToList();
        var t = gate.Operands.Select(x => IsActiveOperand(x) ? TangentOf(x) : Literals.PlainZero(x.Type)).ToList();
        // An operand compared with itself (Max(x, x), Clamp(x, x, hi)) always ties: no comparison is written for it.
        return gate.Math!.Function switch
        {
            "Max" or "Min" when o[0] == o[1] || t[0] == t[1] => t[0],
            "Max" => $"{o[0]} >= {o[1]} ? {t[0]} : {t[1]}",
            "Min" => $"{o[0]} <= {o[1]} ? {t[0]} : {t[1]}",
            "Abs" => $"{o[0]} >= {Literals.PlainZero(gate.Target.Type)} ? {t[0]} : -{t[0]}",
            _ => (o[0] == o[1] ? string.Empty : $"{o[0]} < {o[1]} ? {t[1]} : ") + (o[0] == o[2] ? string.Empty : $"{o[0]} > {o[2]} ? {t[2]} : ") + t[0],
        };
    }

    /// <summary>z = G(args): G's own tangent; z = F(args) with a [DerivativeRule]: the rule with dResult = 1 gives the partials.</summary>
    private void WriteCall(SourceWriter writer, Gate gate, bool active)
    {
        var call = gate.Call!;
        var target = ExprPrinter.Print(gate.Target);
        var arguments = gate.Operands.Select(ExprPrinter.Print).ToList();
        if (!active)
        {
            writer.Line($"{GatePrinter.Print(gate)};");
            if (HasTangent(gate.TargetName))
            {
                writer.Line($"{TangentOf(gate.Target)} = {Literals.PlainZero(gate.Target.Type)};");
            }

            return;
        }

        if (call.Rule is { } rule)
        {
            // The rule reads the arguments as they were: when the call overwrites one (x = F(x)), the value waits in a local.
            if (gate.Operands.Any(o => Stager.Reads(o).Contains(gate.TargetName)))
            {
                var next = _names.Unique(Identifier.Bare(gate.TargetName) + "Next");
                writer.Line($"{gate.Target.Type} {next} = {GatePrinter.Value(gate)};");
                target = next;
            }
            else
            {
                writer.Line($"{GatePrinter.Print(gate)};");
            }

            var partials = call.Arguments.Select((a, i) => a.Shape == ParameterShape.Scalar ? _names.Unique("partial") : null).ToList();
            foreach (var partial in partials.Where(p => p is not null))
            {
                writer.Line($"{gate.Target.Type} {partial} = {Literals.PlainZero(gate.Target.Type)};");
            }

            writer.Line($"{rule}({string.Join(", ", arguments.Append(target).Append(Literals.One(gate.Target.Type)).Concat(partials.Where(p => p is not null).Select(p => "ref " + p)))}); // ∂{call.Name}/∂ each argument");
            var terms = partials.Select((p, i) => p is not null && IsActiveOperand(gate.Operands[i]) ? $"{p} * {TangentOf(gate.Operands[i])}" : null).Where(s => s is not null).ToList();
            writer.Line($"{TangentOf(gate.Target)} = {(terms.Count == 0 ? Literals.PlainZero(gate.Target.Type) : string.Join(" + ", terms))}; // call: the rule's partials times the tangents");
            if (target != ExprPrinter.Print(gate.Target))
            {
                writer.Line($"{ExprPrinter.Print(gate.Target)} = {target};");
            }

            return;
        }

        var tangents = call.Arguments.Select((a, i) => a.Shape switch
        {
            ParameterShape.Scalar => IsActiveOperand(gate.Operands[i]) ? TangentOf(gate.Operands[i]) : Literals.Zero(a.Value.Type),
            ParameterShape.Sequence => gate.Operands[i] is VariableExpr v && _active.Contains(v.Name) ? Tangent(v.Name) : $"new {ElementOf(a.Value.Type)}[{ExprPrinter.Print(gate.Operands[i])}.Length]",
            _ => null,
        }).Where(t => t is not null);
        writer.Line($"{target} = {call.Receiver}.{call.Name}Tangent{call.TypeArguments}({string.Join(", ", arguments.Concat(tangents!).Append("out " + TangentOf(gate.Target)))}); // call: {call.Name}Tangent carries the tangents through {call.Name}");
    }

    private bool IsActiveOperand(Expr operand) => operand switch
    {
        VariableExpr v => _active.Contains(v.Name),
        ElementExpr e => _active.Contains(e.Array),
        _ => false,
    };

    private bool HasTangent(string name) => _tangents.ContainsKey(name) || _active.Contains(name);

    /// <summary>The tangent of a variable or array (<c>dq</c>), named on first use.</summary>
    private string Tangent(string name)
    {
        if (!_tangents.TryGetValue(name, out var tangent))
        {
            tangent = _names.Unique("d" + Identifier.Bare(name));
            _tangents[name] = tangent;
        }

        return tangent;
    }

    /// <summary>The tangent of an operand: <c>dq</c>, or <c>da[i]</c> for an element.</summary>
    private string TangentOf(Expr operand) => operand switch
    {
        VariableExpr v => Tangent(v.Name),
        ElementExpr e => $"{Tangent(e.Array)}[{ExprPrinter.Print(e.Index)}]",
        _ => "0",
    };

    /// <summary>The element type of an array or span type: <c>double[]</c>, <c>global::System.ReadOnlySpan&lt;float&gt;</c>.</summary>
    public static string ElementOf(string arrayType) => arrayType.Replace("[]", string.Empty).Replace("global::System.ReadOnlySpan<", string.Empty).Replace("global::System.Span<", string.Empty).TrimEnd('>');


    /// <summary>How a gate's rule terms read in forward mode: the operand's tangent stands where the output adjoint stood.</summary>
    private sealed class TangentSpelling(Gate gate) : ITermSpelling
    {
        public string Tangent { get; set; } = "0";

        public string Gradient => Tangent;

        /// <summary>The gate's output: its target, or the local holding the new value when the gate overwrites an operand.</summary>
        public string Result { get; set; } = ExprPrinter.Operand(gate.Target);

        public string Companion => gate.Companion!;

        public string MathClass => Literals.MathClass(gate.Target.Type);

        public string? ConvertedFrom => null;

        public string Number(double value) => Literals.Number(value, gate.Target.Type);

        public string Operand(int index) => ExprPrinter.Operand(gate.Operands[index]);
    }
}
