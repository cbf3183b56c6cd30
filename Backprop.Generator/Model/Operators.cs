namespace Backprop.Generator.Model;

/// <summary>
/// The binary operators a differentiable body may use, and the ones derivative rules are written with. Parse maps
/// Roslyn's operator kinds onto them (<c>Parsing/RoslynOperators</c>); Emit alone spells them as C# (<c>Emit/Operators</c>).
/// </summary>
internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    Equal,
    NotEqual,

    /// <summary><c>&amp;&amp;</c>.</summary>
    ConditionalAnd,

    /// <summary><c>||</c>.</summary>
    ConditionalOr,

    /// <summary><c>&amp;</c>.</summary>
    And,

    /// <summary><c>|</c>.</summary>
    Or,

    /// <summary><c>^</c>.</summary>
    ExclusiveOr,
    LeftShift,
    RightShift,
}

/// <summary>The unary operators a differentiable body may use.</summary>
internal enum UnaryOp
{
    /// <summary><c>-x</c>.</summary>
    Negate,

    /// <summary><c>+x</c>.</summary>
    Plus,

    /// <summary><c>!b</c>.</summary>
    Not,

    /// <summary><c>~n</c>.</summary>
    Complement,
}

/// <summary>What the differentiator asks of an operator.</summary>
internal static class OperatorKinds
{
    /// <summary>+ − · / %: the operators whose result carries gradient when an operand does.</summary>
    public static bool IsArithmetic(this BinaryOp op) => op is BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder;

    /// <summary>
    /// The name a temporary holding the operator's result starts from (<c>sum</c>, <c>product2</c>), in scalar and tensor
    /// code alike; null for an operator that is not arithmetic.
    /// </summary>
    public static string? ResultName(this BinaryOp op) => op switch
    {
        BinaryOp.Add => "sum",
        BinaryOp.Subtract => "difference",
        BinaryOp.Multiply => "product",
        BinaryOp.Divide => "quotient",
        BinaryOp.Remainder => "remainder",
        _ => null,
    };

    /// <summary>&lt; &lt;= &gt; &gt;= == !=.</summary>
    public static bool IsComparison(this BinaryOp op) =>
        op is BinaryOp.LessThan or BinaryOp.LessThanOrEqual or BinaryOp.GreaterThan or BinaryOp.GreaterThanOrEqual or BinaryOp.Equal or BinaryOp.NotEqual;
}
