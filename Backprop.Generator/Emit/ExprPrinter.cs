using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>Prints an <see cref="Expr"/> as C#, with the parentheses its operators need and no more.</summary>
internal static class ExprPrinter
{
    private const int Primary = 16;
    private const int Unary = 15;

    public static string Print(Expr expr) => expr switch
    {
        LiteralExpr l => l.Text,
        NumberExpr n => Literals.Number(n),
        VariableExpr v => v.Name,
        ElementExpr e => $"{e.Array}[{Print(e.Index)}]",
        IndexerExpr i => $"{Operand(i.Collection)}[{Print(i.Index)}]",
        MemberExpr m => $"{Operand(m.Instance)}.{m.Member}{(m.Forgiving ? "!" : string.Empty)}",
        LengthExpr l => l.Array + ".Length",
        OpaqueExpr o => o.Text,
        StopGradientExpr s => $"global::Backprop.NoDiff.Value({Print(s.Operand)})",
        UnaryExpr u => Operators.Symbol(u.Op) + Wrap(u.Operand, Unary, unaryOperand: true),
        BinaryExpr b => Wrap(b.Left, Operators.Precedence(b.Op), unaryOperand: false) + " " + Operators.Symbol(b.Op) + " " + Wrap(b.Right, Operators.Precedence(b.Op) + 1, unaryOperand: false),
        ConditionalExpr c => Wrap(c.Condition, 5, false) + " ? " + Wrap(c.WhenTrue, 4, false) + " : " + Wrap(c.WhenFalse, 4, false),
        CastExpr { IsImplicit: true } c => Print(c.Operand),
        CastExpr c => $"({Spell(c.Type)})" + Wrap(c.Operand, Unary, unaryOperand: true),
        MathCallExpr m => $"{ClassOf(m)}.{m.Function}({string.Join(", ", m.Arguments.Select(Print))})",
        UserCallExpr call => $"{call.Receiver}.{call.Name}{DataTypes.TypeArguments(call)}({string.Join(", ", call.Arguments.Select(a => Print(a.Value)))})",
        NewArrayExpr n => DataTypes.Creation(n, Print(n.Length)),
        OpaqueCallExpr { Instance: { } instance } call => $"{Operand(instance)}.{call.Callee}({string.Join(", ", call.Arguments.Select(Print))})",
        OpaqueCallExpr call => $"{call.Callee}({string.Join(", ", call.Arguments.Select(Print))})",
        OutExpr { Declare: true } o => "out var " + o.Name,
        OutExpr o => "out " + o.Name,
        _ => expr.ToString(),
    };

    /// <summary>The class a Math call goes to: <c>global::System.Math</c> (or MathF, Double, Single), or a generic type parameter (<c>T.Sin</c>).</summary>
    public static string ClassOf(MathCallExpr math) => math.Type.Kind == DataKind.TypeParameter && math.Class == math.Type.Name ? math.Class : "global::System." + math.Class;

    /// <summary>Prints <paramref name="expr"/> so that it can stand as an operand of any operator.</summary>
    public static string Operand(Expr expr) => Wrap(expr, Unary, unaryOperand: true);

    /// <summary><paramref name="value"/> + <paramref name="offset"/>, with the numbers folded: <c>n - 1</c> less one is <c>n - 2</c>.</summary>
    public static string Plus(Expr value, int offset)
    {
        var (rest, number) = value switch
        {
            LiteralExpr literal when Integer(literal) is { } n => (null, n),
            BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract, Right: LiteralExpr literal } sum when Integer(literal) is { } n => (sum.Left, sum.Op == BinaryOp.Add ? n : -n),
            _ => (value, 0),
        };
        var total = number + offset;
        var text = rest is null ? null : Print(rest);
        return (text, total) switch
        {
            (null, _) => total.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (_, 0) => text,
            (_, > 0) => $"{text} + {total.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            _ => $"{text} - {(-total).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        };
    }

    /// <summary>The value of an integer literal (<c>3</c>, <c>-1</c>); null for any other literal.</summary>
    public static int? Integer(LiteralExpr literal) =>
        int.TryParse(literal.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Wrap(Expr expr, int required, bool unaryOperand)
    {
        var text = Print(expr);
        var precedence = Precedence(expr);
        if (unaryOperand && text.StartsWith("-", System.StringComparison.Ordinal))
        {
            return "(" + text + ")";
        }

        return precedence < required ? "(" + text + ")" : text;
    }

    private static int Precedence(Expr expr) => expr switch
    {
        LiteralExpr or NumberExpr => Print(expr).StartsWith("-", System.StringComparison.Ordinal) ? Unary : Primary,
        UnaryExpr => Unary,
        CastExpr { IsImplicit: true } c => Precedence(c.Operand),
        CastExpr => Unary,
        BinaryExpr b => Operators.Precedence(b.Op),
        ConditionalExpr => 4,
        _ => Primary,
    };
}
