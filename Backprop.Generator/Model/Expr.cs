namespace Backprop.Generator.Model;

/// <summary>
/// An expression of a [Differentiable] body, with its type.
/// </summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal abstract record Expr(DataType Type)
{
    /// <summary>True for double, float and a generic floating-point type parameter.</summary>
    public bool IsFloating => Type.IsFloating;

    /// <summary>True for the number 1: a literal in any spelling ("1", "1.0", "1f", "1d"), or a <see cref="NumberExpr"/> of 1.</summary>
    public bool IsOne => this switch
    {
        LiteralExpr literal => double.TryParse(literal.Text.TrimEnd('f', 'F', 'd', 'D'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value == 1,
        NumberExpr number => number.Value == 1,
        _ => false,
    };
}

/// <summary>
/// A literal or constant of the user's code, as written or as the compiler folds it ("2.0", "0.5f",
/// "global::System.Math.PI", "-0.71"); the numbers Differentiate writes are <see cref="NumberExpr"/>s.
/// </summary>
internal sealed record LiteralExpr(string Text, DataType Type) : Expr(Type)
{
    /// <summary>The int literal <paramref name="value"/>.</summary>
    public static LiteralExpr Int(int value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), DataType.Int);
}

/// <summary>
/// A number Differentiate writes (a derivative's 2, a tangent's 0), of <see cref="Expr.Type"/>: Emit spells it as that
/// type writes numbers (2.0, 2f, T.CreateChecked(2.0), T.Zero).
/// </summary>
internal sealed record NumberExpr(double Value, DataType Type) : Expr(Type);

/// <summary>A read of a parameter or local, by its emitted name.</summary>
internal sealed record VariableExpr(string Name, DataType Type) : Expr(Type);

/// <summary><c>array[index]</c> for an array or span variable.</summary>
internal sealed record ElementExpr(string Array, Expr Index, DataType Type) : Expr(Type);

/// <summary>
/// <c>collection[index]</c> where the collection is itself an expression (<c>this.W[i]</c>, <c>this.Blocks[i]</c>):
/// tensor code reads the elements of arrays held in fields and sub-modules.
/// </summary>
internal sealed record IndexerExpr(Expr Collection, Expr Index, DataType Type) : Expr(Type);

/// <summary>
/// <c>instance.Member</c>: a field or property of an object tensor code reads (<c>this.W1</c>, <c>X.Rows</c>), with
/// <c>!</c> after it when <paramref name="Forgiving"/> (a field declared nullable).
/// </summary>
internal sealed record MemberExpr(Expr Instance, string Member, DataType Type, bool Forgiving = false) : Expr(Type);

/// <summary><c>array.Length</c>.</summary>
internal sealed record LengthExpr(string Array) : Expr(DataType.Int);

/// <summary>A value no gradient flows through: a field read, an enum member, a stop-gradient call.</summary>
internal sealed record OpaqueExpr(string Text, DataType Type) : Expr(Type);

/// <summary><c>global::Backprop.NoDiff.Value(operand)</c>: the value passes, the gradient stops.</summary>
internal sealed record StopGradientExpr(Expr Operand, DataType Type) : Expr(Type);

/// <summary>A unary operator: −, +, !, ~.</summary>
internal sealed record UnaryExpr(UnaryOp Op, Expr Operand, DataType Type) : Expr(Type);

/// <summary>A binary operator: arithmetic, comparison, logical, bitwise.</summary>
internal sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right, DataType Type) : Expr(Type);

/// <summary><c>condition ? whenTrue : whenFalse</c>.</summary>
internal sealed record ConditionalExpr(Expr Condition, Expr WhenTrue, Expr WhenFalse, DataType Type) : Expr(Type);

/// <summary>A numeric conversion; implicit ones print without a cast.</summary>
internal sealed record CastExpr(Expr Operand, DataType Type, bool IsImplicit) : Expr(Type);

/// <summary>A call to <c>System.Math</c> or <c>System.MathF</c> (<see cref="Class"/>), e.g. Exp, Max, Pow.</summary>
internal sealed record MathCallExpr(string Class, string Function, EquatableArray<Expr> Arguments, DataType Type) : Expr(Type);

/// <summary>
/// A call to another [Differentiable] method, or to a function with a [DerivativeRule] (<see cref="Rule"/>: the rule
/// method, global-qualified); <see cref="Receiver"/> is "this" or a global-qualified type.
/// </summary>
internal sealed record UserCallExpr(string Receiver, string Name, EquatableArray<CallArgument> Arguments, DataType Type, string? Rule = null) : Expr(Type)
{
    /// <summary>
    /// For a [Differentiable] callee that calls through a [DerivativeRule], itself or further down: that function and
    /// its rule ("G, whose [DerivativeRule] GBackward"). A rule gives first derivatives only: no Hessian through here.
    /// </summary>
    public string? FirstOrderRule { get; init; }

    /// <summary>For a generic callee (<c>Square&lt;T&gt;</c>): its type argument, written after each generated member's name too (<c>SquareBackward&lt;T&gt;</c>); else null.</summary>
    public DataType? TypeArgument { get; init; }
}

/// <summary>
/// A call to a method with no derivative, allowed only where no argument carries gradient
/// (<c>Helper(n)</c>, <c>Helper(NoDiff.Value(x))</c>); <see cref="Callee"/> is global-qualified or "this.Name".
/// </summary>
internal sealed record OpaqueCallExpr(string Callee, EquatableArray<Expr> Arguments, DataType Type) : Expr(Type)
{
    /// <summary>For an instance method, the object it is called on; <see cref="Callee"/> is then the method's name.</summary>
    public Expr? Instance { get; init; }
}

/// <summary>
/// <c>out Name</c> as a call's argument (<c>out var Name</c> when <paramref name="Declare"/>): where a rule's forward
/// companion hands out its residual.
/// </summary>
internal sealed record OutExpr(string Name, DataType Type, bool Declare) : Expr(Type);

/// <summary>An argument of a call to a [Differentiable] method, with how the callee's parameter takes a gradient.</summary>
internal sealed record CallArgument(Expr Value, ParameterShape Shape);

/// <summary>
/// <c>new T[length]</c> for a local array, or <c>stackalloc T[length]</c> (<see cref="OnStack"/>) for a span local the
/// method allocates on the stack: both are read and written alike, by index.
/// </summary>
internal sealed record NewArrayExpr(DataType ElementType, Expr Length, bool OnStack = false)
    : Expr(OnStack ? DataType.SpanOf(ElementType) : DataType.ArrayOf(ElementType));
