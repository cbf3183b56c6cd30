using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Emit;

/// <summary>Spells forward mode's tangents (<see cref="TangentValue"/>) and its calls of a callee's <c>…Tangent</c>.</summary>
internal static class TangentPrinter
{
    public static string Value(TangentValue value) => value switch
    {
        TangentTerms terms => Terms(terms),
        ConvertedTangent converted => $"({converted.Type}){ExprPrinter.Print(converted.Tangent)}",
        SquareTangent square => $"{Two(square.Type)} * {ExprPrinter.Operand(square.Operand)} * {ExprPrinter.Print(square.Tangent)}",
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
        return $"{ExprPrinter.Print(step.Target)} = {call.Receiver}.{call.Name}Tangent{call.TypeArguments}({string.Join(", ", arguments)}); // call: {call.Name}Tangent carries the tangents through {call.Name}";
    }

    private static string Argument(CallTangent tangent) => tangent switch
    {
        TangentOf of => ExprPrinter.Print(of.Tangent),
        ZeroTangent zero => Literals.Zero(zero.Type),
        SpanTangent span => span.Tangent,
        ZeroSpanTangent zeros => $"new {zeros.ElementType}[{ExprPrinter.Print(zeros.Array)}.Length]",
        _ => throw new System.InvalidOperationException($"no spelling for the tangent argument {tangent.GetType().Name}"),
    };

    /// <summary>Each term with its operand's tangent where the output adjoint stood: <c>dx * y + x * dy</c>, a leading minus where the first subtracts.</summary>
    private static string Terms(TangentTerms terms)
    {
        var parts = terms.Terms.Select(t => (t.Subtract, Text: TermPrinter.Print(t.Term, new ScalarGateSpelling(terms.Gate with { Gradient = t.Tangent })))).ToList();
        var first = parts[0].Subtract ? "-" + TermPrinter.Grouped(parts[0].Text) : parts[0].Text;
        return first + string.Concat(parts.Skip(1).Select(p => p.Subtract ? " - " + TermPrinter.Grouped(p.Text) : " + " + p.Text));
    }

    /// <summary>The 2 of <c>2 * a * da</c>, of the gate's type.</summary>
    private static string Two(string type) =>
        Expr.IsTypeParameter(type) ? Literals.Number(2, type) : Literals.Format(type == "float" ? 2f : (object)2.0);

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
