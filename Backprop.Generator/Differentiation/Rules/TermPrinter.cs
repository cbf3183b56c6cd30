using System.Globalization;
using System.Linq;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>Spells a rule's term as C# for one gate: operands, result and companion as the gate names them.</summary>
internal static class TermPrinter
{
    public static string Print(Term term, RuleContext c) => term switch
    {
        Gradient => c.G,
        Result => c.Z,
        Companion => c.Gate.Companion!,
        Operand o => c.Op(o.Index),
        Number n => n.Value.ToString("R", CultureInfo.InvariantCulture),
        Binary b => $"{Child(b.Left, b, c, right: false)} {Symbol(b.Op)} {Child(b.Right, b, c, right: true)}",
        MathCall m => $"{c.MathClass}.{m.Function}({string.Join(", ", m.Arguments.Select(a => Print(a, c)))})",
        ZeroWhen z => $"({string.Join(" && ", z.Conditions.Select(k => $"{Print(k.Left, c)} {k.Op} {Print(k.Right, c)}"))} ? 0 : {Print(z.Value, c)})",
        CastToOperandType cast => c.Operand(0).Type == c.Gate.Target.Type ? Print(cast.Value, c) : $"({c.Operand(0).Type}){Print(cast.Value, c)}",
        _ => throw new System.InvalidOperationException($"no spelling for the term {term}"),
    };

    private static string Child(Term child, Binary parent, RuleContext c, bool right)
    {
        var text = Print(child, c);
        var inner = Precedence(child);
        var outer = Precedence(parent);
        var parenthesize = inner < outer || (right && inner == outer && parent.Op is TermOp.Subtract or TermOp.Divide);
        return parenthesize ? $"({text})" : text;
    }

    private static int Precedence(Term term) => term switch
    {
        Binary { Op: TermOp.Add or TermOp.Subtract } => 1,
        Binary => 2,
        _ => 3,
    };

    private static string Symbol(TermOp op) => op switch
    {
        TermOp.Add => "+",
        TermOp.Subtract => "-",
        TermOp.Multiply => "*",
        _ => "/",
    };
}
