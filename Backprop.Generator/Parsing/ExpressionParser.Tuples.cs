using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Tuple locals: each element is a local of its own, read and written as <c>t.Item1</c> or <c>s.Mean</c>.</summary>
internal sealed partial class ExpressionParser
{
    /// <summary>What a tuple may be used for, said wherever it is used otherwise.</summary>
    public const string TupleAdvice = "a tuple is supported held in a local, written out where it is assigned (t = (x, y), (a, b) = (b, a), var (m, v) = (x, y)) and read element by element (t.Item1, s.Mean); a method's tuple result only where a deconstruction or tuple local takes it from a [Differentiable] method (var (m, v) = Stats(x)); a tuple is not passed to a method";

    /// <summary>The element local <c>t.Item1</c> or <c>s.Mean</c> names; null when <paramref name="operation"/> is not an element of a tuple local.</summary>
    public VariableExpr? TupleElement(IOperation operation)
    {
        if (operation is not IFieldReferenceOperation { Instance: ILocalReferenceOperation { Local: var local } } field || context.TupleOf(local) is not { } elements)
        {
            return null;
        }

        var item = (field.Field.CorrespondingTupleField ?? field.Field).Name; // Item1, Item2, …
        return item.StartsWith("Item", System.StringComparison.Ordinal) && int.TryParse(item.Substring(4), out var n) && n >= 1 && n <= elements.Count
            ? elements[n - 1]
            : null;
    }
}
