using Backprop.Generator.Model;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Roslyn's operator kinds as the model's: the one place they are mapped.</summary>
internal static class RoslynOperators
{
    /// <summary>The model's operator for <paramref name="kind"/>; null for one a differentiable body may not use.</summary>
    public static BinaryOp? From(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => BinaryOp.Add,
        BinaryOperatorKind.Subtract => BinaryOp.Subtract,
        BinaryOperatorKind.Multiply => BinaryOp.Multiply,
        BinaryOperatorKind.Divide => BinaryOp.Divide,
        BinaryOperatorKind.Remainder => BinaryOp.Remainder,
        BinaryOperatorKind.LessThan => BinaryOp.LessThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOp.LessThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOp.GreaterThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOp.GreaterThanOrEqual,
        BinaryOperatorKind.Equals => BinaryOp.Equal,
        BinaryOperatorKind.NotEquals => BinaryOp.NotEqual,
        BinaryOperatorKind.ConditionalAnd => BinaryOp.ConditionalAnd,
        BinaryOperatorKind.ConditionalOr => BinaryOp.ConditionalOr,
        BinaryOperatorKind.And => BinaryOp.And,
        BinaryOperatorKind.Or => BinaryOp.Or,
        BinaryOperatorKind.ExclusiveOr => BinaryOp.ExclusiveOr,
        BinaryOperatorKind.LeftShift => BinaryOp.LeftShift,
        BinaryOperatorKind.RightShift => BinaryOp.RightShift,
        _ => null,
    };

    /// <summary>The model's operator for <paramref name="kind"/>; null for one a differentiable body may not use.</summary>
    public static UnaryOp? From(UnaryOperatorKind kind) => kind switch
    {
        UnaryOperatorKind.Minus => UnaryOp.Negate,
        UnaryOperatorKind.Plus => UnaryOp.Plus,
        UnaryOperatorKind.Not => UnaryOp.Not,
        UnaryOperatorKind.BitwiseNegation => UnaryOp.Complement,
        _ => null,
    };
}
