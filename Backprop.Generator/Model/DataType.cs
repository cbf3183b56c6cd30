namespace Backprop.Generator.Model;

/// <summary>The kinds of value tensor code holds; Emit alone spells them as C#.</summary>
internal enum DataKind
{
    Tensor,
    Float,
    Double,
    Int,
    Long,
    Bool,

    /// <summary>Any other type (labels, spans, a user's type): a value no gradient flows through, named by <see cref="DataType.Name"/>.</summary>
    Other,
}

/// <summary>The type of a value in tensor code.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Kind">What kind of value it is.</param>
/// <param name="Name">For <see cref="DataKind.Other"/>, the type's global-qualified name as Parse found it.</param>
internal sealed record DataType(DataKind Kind, string? Name = null)
{
    public static readonly DataType Tensor = new(DataKind.Tensor);
    public static readonly DataType Float = new(DataKind.Float);
    public static readonly DataType Double = new(DataKind.Double);

    public bool IsTensor => Kind == DataKind.Tensor;

    public bool IsFloating => Kind is DataKind.Float or DataKind.Double;

    /// <summary>The type as an <see cref="Expr"/> names it: a C# keyword, or a global-qualified name.</summary>
    public string ExprType => Kind switch
    {
        DataKind.Tensor => TensorProgram.TensorType,
        DataKind.Other => Name!,
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>For messages: the keyword or the name.</summary>
    public override string ToString() => Kind == DataKind.Other ? Name! : Kind.ToString().ToLowerInvariant();
}
