using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Emit;

/// <summary>How one gate names what its rule's terms stand for: scalar code and tensor code spell them differently.</summary>
internal interface ITermSpelling
{
    /// <summary>The output adjoint (<c>dq</c>).</summary>
    string Gradient { get; }

    /// <summary>The gate's output value.</summary>
    string Result { get; }

    /// <summary>The companion value (the cos kept by SinCos), or how to compute it.</summary>
    string Companion { get; }

    /// <summary>"global::System.Math", "global::System.MathF", or a generic type parameter (<c>T</c>).</summary>
    string MathClass { get; }

    /// <summary>Operand <paramref name="index"/>, printed so that it can stand inside a product.</summary>
    string Operand(int index);

    /// <summary>The operand's type when it differs from the result's (a conversion), else null.</summary>
    string? ConvertedFrom { get; }

    /// <summary>A number of the rule (2 in 2·x), of the gate's type.</summary>
    string Number(double value);
}

/// <summary>Spells a rule's term as C# for one gate: operands, result and companion as the gate names them.</summary>
internal static class TermPrinter
{
    public static string Print(Term term, ITermSpelling c) => term switch
    {
        Gradient => c.Gradient,
        Result => c.Result,
        Companion => c.Companion,
        Operand o => c.Operand(o.Index),
        Number n => c.Number(n.Value),
        Binary b => $"{Child(b.Left, b, c, right: false)} {Operators.Symbol(b.Op)} {Child(b.Right, b, c, right: true)}",
        MathCall m => $"{c.MathClass}.{m.Function}({string.Join(", ", m.Arguments.Select(a => Print(a, c)))})",
        ZeroWhen z => $"({string.Join(" && ", z.Conditions.Select(k => $"{Print(k.Left, c)} {Operators.Symbol(k.Op)} {Print(k.Right, c)}"))} ? {c.Number(0)} : {Print(z.Value, c)})",
        CastToOperandType cast => c.ConvertedFrom is { } type ? $"({type}){Print(cast.Value, c)}" : Print(cast.Value, c),
        _ => throw new System.InvalidOperationException($"no spelling for the term {term}"),
    };

    /// <summary>A printed term that follows a minus sign: parenthesised when it is a sum or difference itself.</summary>
    public static string Grouped(string term) =>
        term.IndexOf(" + ", System.StringComparison.Ordinal) >= 0 || term.IndexOf(" - ", System.StringComparison.Ordinal) >= 0 ? $"({term})" : term;

    private static string Child(Term child, Binary parent, ITermSpelling c, bool right)
    {
        var text = Print(child, c);
        var inner = Precedence(child);
        var outer = Precedence(parent);
        var parenthesize = inner < outer || (right && inner == outer && parent.Op is BinaryOp.Subtract or BinaryOp.Divide);
        return parenthesize ? $"({text})" : text;
    }

    private static int Precedence(Term term) => term switch
    {
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract } => 1,
        Binary => 2,
        _ => 3,
    };
}
