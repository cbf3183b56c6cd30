using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>Spells forward mode's tangents (<see cref="TangentValue"/>) and its calls of a callee's <c>…Tangent</c>.</summary>
internal static class TangentPrinter
{
    /// <summary>
    /// Writes <c>…Tangent</c> of <paramref name="method"/>: its declaration (a vector function's takes its outputs and their
    /// tangents after the inputs'), the locals and their tangents, then the steps.
    /// </summary>
    public static void WriteMember(SourceWriter writer, MethodModel method, TangentPlan plan)
    {
        if (method.ReturnType == DataType.Void)
        {
            WriteVectorHeader(writer, method);
        }
        else
        {
            WriteHeader(writer, method);
        }

        foreach (var local in plan.Locals)
        {
            writer.Line(Literals.Hoisted(local.Type, local.Name));
        }

        if (method.ReturnType != DataType.Void)
        {
            writer.Line($"{Spell(method.ReturnType)} {plan.ResultName} = {Literals.Zero(method.ReturnType)};");
        }

        foreach (var tangent in plan.Tangents)
        {
            writer.Line($"{Literals.Hoisted(tangent.Type, tangent.Name)} // tangent of {tangent.Of}");
        }

        writer.Line();
        SweepPrinter.PrintBody(writer, plan.Body);
        if (plan.ReturnsAtEnd)
        {
            writer.Line($"return {plan.ResultName};");
        }

        writer.Close();
    }

    private static void WriteHeader(SourceWriter writer, MethodModel method)
    {
        var gradients = method.Parameters.Where(p => p.HasGradient).ToList();
        writer.Line("/// <summary>");
        writer.Line($"/// Forward mode of <see cref=\"{method.CrefName}({ParameterDeclarations.CrefSignature(method)})\"/>: returns {method.Name}; dResult = "
            + (gradients.Count == 0 ? "0." : string.Join(" + ", gradients.Select(p => p.Shape == ParameterShape.Scalar
                ? $"∂{method.Name}/∂{p.Name}·{p.GradientName}"
                : $"Σ ∂{method.Name}/∂{p.Name}[i]·{p.GradientName}[i]")) + "."));
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        var signature = method.Parameters.Select(p => p.Declaration())
            .Concat(gradients.Select(TangentDeclaration))
            .Append($"out {Spell(method.ReturnType)} dResult");
        writer.Open($"{method.Modifiers} {Spell(method.ReturnType)} {method.Name}Tangent{method.TypeParameters}({string.Join(", ", signature)}){method.Constraints}");
        writer.Line($"dResult = {Literals.Zero(method.ReturnType)};");
    }

    /// <summary>A vector function's: the inputs, their tangents, then the outputs and theirs (each output's tangent starts at 0).</summary>
    private static void WriteVectorHeader(SourceWriter writer, MethodModel method)
    {
        var inputs = method.Parameters.Where(p => p.HasGradient && !p.IsOutput).ToList();
        var outputs = method.Parameters.Where(p => p.IsOutput).ToList();
        writer.Line("/// <summary>");
        writer.Line($"/// Forward mode of <see cref=\"{method.CrefName}({ParameterDeclarations.CrefSignature(method)})\"/>: writes {method.Name}'s results into {string.Join(", ", outputs.Select(o => o.Name))} and their tangents into "
            + string.Join("; ", outputs.Select(o => $"{o.GradientName} = " + string.Join(" + ", inputs.Select(p => $"∂{o.Name}/∂{p.Name}·{p.GradientName}"))))
            + " (a Jacobian-vector product).");
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        var signature = method.Parameters.Where(p => !p.IsOutput).Select(p => p.Declaration())
            .Concat(inputs.Select(TangentDeclaration))
            .Concat(outputs.Select(o => o.Declaration()))
            .Concat(outputs.Select(o => o.IsOutParameter ? $"out {Spell(o.ElementType!)} {o.GradientName}" : $"global::System.Span<{Spell(o.ElementType!)}> {o.GradientName}"));
        writer.Open($"{method.Modifiers} void {method.Name}Tangent{method.TypeParameters}({string.Join(", ", signature)}){method.Constraints}");
        SpanChecks.Write(writer, method, inputs.Concat(outputs).Where(p => p.Shape == ParameterShape.Sequence).Select(p => (p.GradientName!, p.Name)));
        foreach (var output in outputs)
        {
            writer.Line(output.IsOutParameter
                ? $"{output.GradientName} = {Literals.Zero(output.ElementType!)};"
                : $"{output.GradientName}.Clear(); // an element {method.Name} does not write keeps its value: no tangent");
        }
    }

    private static string TangentDeclaration(ParameterModel p) => p.Shape == ParameterShape.Scalar
        ? $"{Spell(p.ElementType!)} {p.GradientName}"
        : $"global::System.ReadOnlySpan<{Spell(p.ElementType!)}> {p.GradientName}";

    public static string Value(TangentValue value) => value switch
    {
        TangentTerms terms => Terms(terms),
        ConvertedTangent converted => $"({Spell(converted.Type)}){ExprPrinter.Print(converted.Tangent)}",
        SquareTangent square => $"{Two(square.Type)} * {ExprPrinter.Operand(square.Operand)} * {ExprPrinter.Print(square.Tangent)}",
        QuotientTangent q => $"({ExprPrinter.Print(q.NumeratorTangent)} - {ExprPrinter.Operand(q.Quotient)} * {ExprPrinter.Operand(q.DivisorTangent)}) / {ExprPrinter.Operand(q.Divisor)}",
        RoutedTangent routed => Routed(routed),
        NoTangent none => Literals.PlainZero(none.Type),
        PartialsTangent partials => partials.Terms.Count == 0
            ? Literals.PlainZero(partials.Type)
            : string.Join(" + ", partials.Terms.Select(t => $"{t.Partial} * {ExprPrinter.Print(t.Tangent)}")),
        _ => throw new System.InvalidOperationException($"no spelling for the tangent {value.GetType().Name}"),
    };

    /// <summary><c>z = G.FTangent(arguments…, tangents…, out dz); // call: …</c>.</summary>
    public static string Call(SweepTangentCall step)
    {
        var call = step.Call;
        var arguments = step.Arguments.Select(ExprPrinter.Print).Concat(step.Tangents.Select(Argument)).Append("out " + ExprPrinter.Print(step.Tangent));
        return $"{ExprPrinter.Print(step.Target)} = {call.Receiver}.{call.Name}Tangent{DataTypes.TypeArguments(call)}({string.Join(", ", arguments)}); // call: {call.Name}Tangent carries the tangents through {call.Name}";
    }

    private static string Argument(CallTangent tangent) => tangent switch
    {
        TangentOf of => ExprPrinter.Print(of.Tangent),
        ZeroTangent zero => Literals.Zero(zero.Type),
        SpanTangent span => span.Tangent,
        ZeroSpanTangent zeros => $"new {Spell(zeros.ElementType!)}[{ExprPrinter.Print(zeros.Array)}.Length]",
        _ => throw new System.InvalidOperationException($"no spelling for the tangent argument {tangent.GetType().Name}"),
    };

    /// <summary>Each term with its operand's tangent where the output adjoint stood: <c>dx * y + x * dy</c>, a leading minus where the first subtracts.</summary>
    private static string Terms(TangentTerms terms)
    {
        var parts = terms.Terms.Select(t => (t.Subtract, Text: TermPrinter.Print(t.Term, new GateSpelling(terms.Gate with { Gradient = t.Tangent })))).ToList();
        var first = parts[0].Subtract ? "-" + TermPrinter.Grouped(parts[0].Text) : parts[0].Text;
        return first + string.Concat(parts.Skip(1).Select(p => p.Subtract ? " - " + TermPrinter.Grouped(p.Text) : " + " + p.Text));
    }

    /// <summary>The 2 of <c>2 * a * da</c>, of the gate's type.</summary>
    private static string Two(DataType type) =>
        type.Kind == DataKind.TypeParameter ? Literals.Number(2, type) : Literals.Format(type == DataType.Float ? 2f : (object)2.0);

    /// <summary>max, min, abs, clamp: the tangent of the input that won; an operand compared with itself always ties, so no comparison is written for it.</summary>
    private static string Routed(RoutedTangent routed)
    {
        var o = routed.Inputs.Select(i => ExprPrinter.Operand(i.Operand)).ToList();
        var t = routed.Inputs.Select(i => i.Tangent is { } tangent ? ExprPrinter.Print(tangent) : Literals.PlainZero(i.Operand.Type)).ToList();
        return routed.Function switch
        {
            "Max" or "Min" when o[0] == o[1] || t[0] == t[1] => t[0],
            "Max" => $"{o[0]} >= {o[1]} ? {t[0]} : {t[1]}",
            "Min" => $"{o[0]} <= {o[1]} ? {t[0]} : {t[1]}",
            "Abs" => $"{o[0]} >= {Literals.PlainZero(routed.Type)} ? {t[0]} : -{t[0]}",
            _ => (o[0] == o[1] ? string.Empty : $"{o[0]} < {o[1]} ? {t[1]} : ") + (o[0] == o[2] ? string.Empty : $"{o[0]} > {o[2]} ? {t[2]} : ") + t[0],
        };
    }
}
