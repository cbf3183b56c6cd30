namespace Backprop.Generator.Model;

/// <summary>The kinds of value a differentiable body holds; Emit alone spells them as C#.</summary>
internal enum DataKind
{
    Tensor,
    Float,
    Double,
    Int,
    Long,
    Bool,

    /// <summary>No value: the return type of a vector-valued function, whose results are its output spans.</summary>
    Void,

    /// <summary>A method's type parameter constrained to IEEE floating point (<c>T</c>), named by <see cref="DataType.Name"/>.</summary>
    TypeParameter,

    /// <summary>A one-dimensional array of <see cref="DataType.Element"/>.</summary>
    Array,

    /// <summary><c>Span&lt;</c><see cref="DataType.Element"/><c>&gt;</c>: a local array the method allocates on the stack.</summary>
    Span,

    /// <summary><c>ReadOnlySpan&lt;</c><see cref="DataType.Element"/><c>&gt;</c>: a parameter's values.</summary>
    ReadOnlySpan,

    /// <summary>Any other type (labels, an enum, a user's type): a value no gradient flows through, named by <see cref="DataType.Name"/>.</summary>
    Other,
}

/// <summary>The type of a value in a differentiable body: an expression's, a local's, a saved value's.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Kind">What kind of value it is.</param>
/// <param name="Name">For <see cref="DataKind.TypeParameter"/> its name; for <see cref="DataKind.Other"/> the type's global-qualified name as Parse found it.</param>
/// <param name="Element">For <see cref="DataKind.Array"/>, <see cref="DataKind.Span"/> and <see cref="DataKind.ReadOnlySpan"/>, the type of an element.</param>
internal sealed record DataType(DataKind Kind, string? Name = null, DataType? Element = null)
{
    public static readonly DataType Tensor = new(DataKind.Tensor);
    public static readonly DataType Float = new(DataKind.Float);
    public static readonly DataType Double = new(DataKind.Double);
    public static readonly DataType Int = new(DataKind.Int);
    public static readonly DataType Long = new(DataKind.Long);
    public static readonly DataType Bool = new(DataKind.Bool);
    public static readonly DataType Void = new(DataKind.Void);

    /// <summary>A generic floating-point type parameter.</summary>
    public static DataType Parameter(string name) => new(DataKind.TypeParameter, name);

    /// <summary>Any other type, by its global-qualified name.</summary>
    public static DataType Named(string name) => new(DataKind.Other, name);

    /// <summary>An array of <paramref name="element"/>.</summary>
    public static DataType ArrayOf(DataType element) => new(DataKind.Array, Element: element);

    /// <summary>A span of <paramref name="element"/> on the stack.</summary>
    public static DataType SpanOf(DataType element) => new(DataKind.Span, Element: element);

    /// <summary>A read-only span of <paramref name="element"/>.</summary>
    public static DataType ReadOnlySpanOf(DataType element) => new(DataKind.ReadOnlySpan, Element: element);

    public bool IsTensor => Kind == DataKind.Tensor;

    /// <summary>True for float, double and a generic floating-point type parameter: the values gradients flow through.</summary>
    public bool IsFloating => Kind is DataKind.Float or DataKind.Double or DataKind.TypeParameter;

    /// <summary>True for int and long.</summary>
    public bool IsInteger => Kind is DataKind.Int or DataKind.Long;

    /// <summary>True for an array or a stack span: a local the body reads and writes by index.</summary>
    public bool IsIndexed => Kind is DataKind.Array or DataKind.Span;

    /// <summary>For messages: the keyword or the name.</summary>
    public override string ToString() => Kind switch
    {
        DataKind.Other or DataKind.TypeParameter => Name!,
        DataKind.Array => Element + "[]",
        DataKind.Span => $"Span<{Element}>",
        DataKind.ReadOnlySpan => $"ReadOnlySpan<{Element}>",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
