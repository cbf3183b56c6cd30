using Backprop.Generator.Model;

namespace Backprop.Generator.Emit;

/// <summary>The model's operators spelled as C#, and how tightly each binds: the one place they are spelled.</summary>
internal static class Operators
{
    public static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Remainder => "%",
        BinaryOp.LessThan => "<",
        BinaryOp.LessThanOrEqual => "<=",
        BinaryOp.GreaterThan => ">",
        BinaryOp.GreaterThanOrEqual => ">=",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.ConditionalAnd => "&&",
        BinaryOp.ConditionalOr => "||",
        BinaryOp.And => "&",
        BinaryOp.Or => "|",
        BinaryOp.ExclusiveOr => "^",
        BinaryOp.LeftShift => "<<",
        BinaryOp.RightShift => ">>",
        _ => throw new System.ArgumentOutOfRangeException(nameof(op), op, "no spelling for this operator"),
    };

    public static string Symbol(UnaryOp op) => op switch
    {
        UnaryOp.Negate => "-",
        UnaryOp.Plus => "+",
        UnaryOp.Not => "!",
        UnaryOp.Complement => "~",
        _ => throw new System.ArgumentOutOfRangeException(nameof(op), op, "no spelling for this operator"),
    };

    /// <summary>C#'s precedence of a binary operator, higher binding tighter (the conditional operator is 4, unary ones 15).</summary>
    public static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder => 14,
        BinaryOp.Add or BinaryOp.Subtract => 13,
        BinaryOp.LeftShift or BinaryOp.RightShift => 12,
        BinaryOp.LessThan or BinaryOp.LessThanOrEqual or BinaryOp.GreaterThan or BinaryOp.GreaterThanOrEqual => 11,
        BinaryOp.Equal or BinaryOp.NotEqual => 10,
        BinaryOp.And => 9,
        BinaryOp.ExclusiveOr => 8,
        BinaryOp.Or => 7,
        BinaryOp.ConditionalAnd => 6,
        _ => 5,
    };
}
