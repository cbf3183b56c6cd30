using System.Collections.Generic;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Arrays and spans read by index, and windows on them: a span slice (<c>x.AsSpan(1)</c>, <c>s.Slice(i, n)</c>,
/// <c>s[1..^1]</c>, <c>new ReadOnlySpan&lt;double&gt;(a, i, n)</c>) is read as the elements of the array it is a window on.
/// </summary>
internal sealed partial class ExpressionParser
{
    /// <summary>Parameters of a helper read in place that the call passed a window on an array (<c>Sum(x.AsSpan(1))</c>).</summary>
    private readonly Dictionary<IParameterSymbol, Sequence> _boundWindows = new(SymbolEqualityComparer.Default);

    /// <summary>Binds a helper's array or span parameter to a window on the caller's array.</summary>
    public void BindWindow(IParameterSymbol parameter, Sequence window)
    {
        _boundWindows[parameter] = window;
        Bind(parameter, new VariableExpr(window.Array, KnownTypes.Of(parameter.Type)), window.Writable);
    }

    /// <summary>
    /// The array or span <paramref name="operation"/> reads, whole or a window on it; null when it is neither (nothing
    /// is reported then, except an error in a slice's bounds).
    /// </summary>
    public Sequence? SequenceOf(IOperation? operation)
    {
        switch (operation)
        {
            case null:
                return null;
            case IConversionOperation { IsImplicit: true } conversion:
                return SequenceOf(conversion.Operand);
            case ILocalReferenceOperation { Local: var local } when context.IsWindow(local):
                return context.WindowOf(local);
            case IParameterReferenceOperation { Parameter: var p } when _boundWindows.TryGetValue(p, out var bound):
                return bound;
            case IInvocationOperation invocation when SliceOf(invocation) is var (of, start, length):
                return SequenceOf(of) is { } whole ? Window(whole, start, length) : null;
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation range } indexer:
                return SequenceOf(indexer.Instance) is { } sliced ? Range(sliced, range) : null;
            case IRangeOperation:
                return null;
            case IObjectCreationOperation { Constructor: { } constructor, Arguments: { Length: 1 or 3 } arguments }
                when KnownTypes.SequenceElement(constructor.ContainingType) is not null:
                var sorted = new List<IArgumentOperation>(arguments);
                sorted.Sort((a, b) => (a.Parameter?.Ordinal ?? 0).CompareTo(b.Parameter?.Ordinal ?? 0));
                return SequenceOf(sorted[0].Value) is not { } array ? null
                    : sorted.Count == 1 ? array
                    : Window(array, sorted[1].Value, sorted[2].Value);
            default:
                return SequenceName(operation) is { } name
                    ? new Sequence(name, null, new LengthExpr(name), IsWritableSequence(operation))
                    : null;
        }
    }

    /// <summary>True for a span slice, a span local that is one, or a helper's parameter bound to one.</summary>
    private bool IsWindow(IOperation operation) => KnownTypes.Unwrap(operation) switch
    {
        ILocalReferenceOperation { Local: var local } => context.IsWindow(local),
        IParameterReferenceOperation { Parameter: var p } => _boundWindows.ContainsKey(p),
        var other => IsSlice(other),
    };

    /// <summary>A span slice: <c>x.AsSpan(1)</c>, <c>s.Slice(i, n)</c>, <c>s[1..]</c>, <c>new ReadOnlySpan&lt;double&gt;(a, i, n)</c>.</summary>
    public static bool IsSlice(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => SliceOf(invocation) is not null,
        IImplicitIndexerReferenceOperation { Argument: IRangeOperation } => true,
        IObjectCreationOperation { Arguments.Length: 3, Type: { } type } => KnownTypes.SequenceElement(type) is not null,
        _ => false,
    };

    /// <summary>A slice where it is not indexed, iterated or passed on: the one place it has no meaning of its own.</summary>
    private Expr? Window(IOperation operation)
    {
        context.Unsupported(operation.Syntax, "a span slice is read as the elements of the array it is a window on: index it, take its Length, loop over it with foreach, copy it, or pass it to a [Differentiable] method or helper (read in place)");
        return null;
    }

    /// <summary>
    /// For <c>x.AsSpan(start[, length])</c>, <c>x.AsSpan(range)</c> and <c>s.Slice(start[, length])</c>: what it slices, and its
    /// bounds (a range in <c>start</c>); null for any other call.
    /// </summary>
    public static (IOperation Of, IOperation? Start, IOperation? Length)? SliceOf(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var arguments = new List<IArgumentOperation>(invocation.Arguments);
        arguments.Sort((a, b) => (a.Parameter?.Ordinal ?? 0).CompareTo(b.Parameter?.Ordinal ?? 0));
        if (method.Name == "AsSpan" && method.IsExtensionMethod && method.ContainingType?.ToDisplayString() == "System.MemoryExtensions"
            && arguments.Count is >= 1 and <= 3 && KnownTypes.SequenceElement(method.ReturnType) is not null)
        {
            return (arguments[0].Value, arguments.Count > 1 ? arguments[1].Value : null, arguments.Count > 2 ? arguments[2].Value : null);
        }

        if (method.Name == "Slice" && invocation.Instance is { Type: { } type } instance && KnownTypes.SequenceElement(type) is not null
            && arguments.Count is 1 or 2)
        {
            return (instance, arguments[0].Value, arguments.Count > 1 ? arguments[1].Value : null);
        }

        return null;
    }

    /// <summary>The window <paramref name="start"/> elements into <paramref name="whole"/>, <paramref name="length"/> long (the rest when null).</summary>
    private Sequence? Window(Sequence whole, IOperation? start, IOperation? length)
    {
        if (start is not null && KnownTypes.Unwrap(start) is IRangeOperation range)
        {
            return Range(whole, range);
        }

        var from = start is null ? null
            : KnownTypes.Unwrap(start) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } fromEnd
                ? Parse(fromEnd.Operand) is { } back ? Sequence.Minus(whole.Length, back) : null
            : Parse(start);
        var count = length is null ? null : Parse(length);
        if (start is not null && from is null || length is not null && count is null)
        {
            return null;
        }

        from ??= new LiteralExpr("0", DataType.Int);
        return whole.Window(from, count ?? Sequence.Minus(whole.Length, from));
    }

    /// <summary><c>s[a..b]</c>: from a to b, either counted from the end (<c>^k</c>) or left out.</summary>
    private Sequence? Range(Sequence whole, IRangeOperation range)
    {
        var from = Bound(range.LeftOperand, new LiteralExpr("0", DataType.Int));
        var to = Bound(range.RightOperand, whole.Length);
        return from is null || to is null ? null : whole.Window(from, Sequence.Minus(to, from));

        Expr? Bound(IOperation? bound, Expr otherwise)
        {
            switch (bound is null ? null : KnownTypes.Unwrap(bound))
            {
                case null:
                    return otherwise;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } fromEnd:
                    return Parse(fromEnd.Operand) is { } back ? Sequence.Minus(whole.Length, back) : null;
                case var index:
                    return Parse(index);
            }
        }
    }

    /// <summary>The name under which a whole array or span is read: a parameter, a local, or a field of this object.</summary>
    private string? SequenceName(IOperation? operation) => operation switch
    {
        IParameterReferenceOperation p when _arguments.TryGetValue(p.Parameter, out var passed) => (passed as VariableExpr)?.Name,
        IParameterReferenceOperation p when KnownTypes.SequenceElement(p.Parameter.Type) is not null => Identifier.Escape(p.Parameter.Name),
        ILocalReferenceOperation l when KnownTypes.SequenceElement(l.Local.Type) is not null => context.NameOf(l.Local),
        IFieldReferenceOperation { Field.IsStatic: true } f when KnownTypes.SequenceElement(f.Field.Type) is not null =>
            KnownTypes.Qualified(f.Field.ContainingType) + "." + Identifier.Escape(f.Field.Name),
        IFieldReferenceOperation { Instance: IInstanceReferenceOperation } f when KnownTypes.SequenceElement(f.Field.Type) is not null =>
            "this." + Identifier.Escape(f.Field.Name),
        IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } member when StructTypes.IsArray(member.Type!) && PartOf(member) is VariableExpr part =>
            part.Name, // p.C, the array field of a struct parameter: the parameter that holds it
        IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } member when StructTypes.IsArray(member.Type!) && GivenStruct(member.Instance) is var (text, _) =>
            $"{text}.{Identifier.Escape(member.Member.Name)}", // camera.Weights of a [NoDiff] struct: read as given
        _ => null,
    };

    /// <summary>
    /// True when the body may write the elements of the array or span <paramref name="sequence"/> refers to: a local
    /// array of this method (or a window on one), or a parameter bound (or declared) writable.
    /// </summary>
    public bool IsWritableSequence(IOperation sequence) => KnownTypes.Unwrap(sequence) switch
    {
        ILocalReferenceOperation { Local: var local } when context.IsWindow(local) => context.WindowOf(local)?.Writable == true,
        ILocalReferenceOperation { Local: var local } => context.IsLocalArray(local),
        IParameterReferenceOperation { Parameter: var p } => _writableArguments.Contains(p) || (!_arguments.ContainsKey(p) && context.WritableParameters.Contains(p)),
        IInvocationOperation invocation when SliceOf(invocation) is var (of, _, _) => IsWritableSequence(of),
        IImplicitIndexerReferenceOperation { Argument: IRangeOperation, Instance: var instance } => IsWritableSequence(instance),
        IObjectCreationOperation { Arguments: { Length: > 0 } arguments } => arguments[0].Parameter?.Ordinal == 0 && IsWritableSequence(arguments[0].Value),
        _ => false,
    };
}
