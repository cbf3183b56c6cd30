using Backprop.Generator.Model;

namespace Backprop.Generator.Parsing;

/// <summary>
/// An array or span the body reads by index: a whole one (<see cref="Start"/> null), or a window on it — a span slice
/// (<c>x.AsSpan(1)</c>, <c>row = x.Slice(i * n, n)</c>, <c>s[1..^1]</c>) — whose element <c>i</c> is
/// <c>Array[Start + i]</c>. Parse's own: a slice is read as the elements it names, so nothing after Parse sees it.
/// </summary>
/// <param name="Array">The name under which the underlying array or span is read.</param>
/// <param name="Start">Where the window starts in it (an int expression), or null for the whole.</param>
/// <param name="Length">How many elements the window holds.</param>
/// <param name="Writable">True when the body may write its elements (a window on a local array of this method).</param>
internal sealed record Sequence(string Array, Expr? Start, Expr Length, bool Writable)
{
    public bool IsWhole => Start is null;

    /// <summary>Element <paramref name="index"/> of the window, as an element of the underlying array.</summary>
    public ElementExpr Element(Expr index, DataType type) => new(Array, Plus(Start, index), type);

    /// <summary>A window on this one: <paramref name="start"/> elements in, <paramref name="length"/> long.</summary>
    public Sequence Window(Expr start, Expr length) => this with { Start = Plus(Start, start), Length = length };

    public static Expr Plus(Expr? left, Expr right) => left switch
    {
        null or LiteralExpr { Text: "0" } => right,
        _ when right is LiteralExpr { Text: "0" } => left,
        _ => new BinaryExpr(BinaryOp.Add, left, right, DataType.Int),
    };

    public static Expr Minus(Expr left, Expr right) =>
        right is LiteralExpr { Text: "0" } ? left : new BinaryExpr(BinaryOp.Subtract, left, right, DataType.Int);
}
