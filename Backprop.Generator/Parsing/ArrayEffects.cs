using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Library calls made for what they write into an array — <c>Array.Fill(a, v)</c>, <c>Array.Clear(a)</c>,
/// <c>span.Fill(v)</c>, <c>span.Clear()</c>, <c>Array.Copy(source, destination, n)</c>, <c>source.CopyTo(destination)</c>
/// — read as the loops they are, so their effect on the gradient is followed like any element write. The destination
/// must be a local array (or a stack-allocated span, or a slice of either).
/// </summary>
internal sealed class ArrayEffects(ParseContext context)
{
    /// <summary>True when <paramref name="call"/> is one of these calls (lowered into <paramref name="into"/>, or reported).</summary>
    public bool TryLower(IInvocationOperation call, List<Stmt> into, ExpressionParser expressions)
    {
        var method = call.TargetMethod;
        var arguments = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => KnownTypes.Unwrap(a.Value)).ToList();
        var isArray = method.ContainingType?.SpecialType == SpecialType.System_Array;
        switch (method.Name)
        {
            case "Fill" when isArray && arguments.Count == 2:
                return Loop(expressions, call, into, destination: arguments[0], source: null, value: arguments[1], start: null, count: null);
            case "Clear" when isArray && arguments.Count is 1 or 3:
                return Loop(expressions, call, into, arguments[0], source: null, value: null, start: arguments.Count == 3 ? arguments[1] : null, count: arguments.Count == 3 ? arguments[2] : null);
            case "Fill" when IsSpan(method) && call.Instance is { } filled && arguments.Count == 1:
                return Loop(expressions, call, into, destination: KnownTypes.Unwrap(filled), source: null, value: arguments[0], start: null, count: null); // span.Fill(v)
            case "Clear" when IsSpan(method) && call.Instance is { } cleared && arguments.Count == 0:
                return Loop(expressions, call, into, KnownTypes.Unwrap(cleared), source: null, value: null, start: null, count: null); // span.Clear()
            case "Copy" when isArray && arguments.Count == 3:
                return Copy(expressions, call, into, arguments[0], null, arguments[1], null, arguments[2]);
            case "Copy" when isArray && arguments.Count == 5:
                return Copy(expressions, call, into, arguments[0], arguments[1], arguments[2], arguments[3], arguments[4]);
            case "CopyTo" when call.Instance is { } instance && arguments.Count == 1:
                return Copy(expressions, call, into, KnownTypes.Unwrap(instance), null, arguments[0], null, null); // span.CopyTo(destination)
            case "CopyTo" when call.Instance is null && arguments.Count == 2 && method.IsExtensionMethod:
                return Copy(expressions, call, into, arguments[0], null, arguments[1], null, null); // array.CopyTo(destination span)
            case "CopyTo" when isArray && call.Instance is { } array && arguments.Count == 2:
                return Copy(expressions, call, into, KnownTypes.Unwrap(array), null, arguments[0], null, null, destinationStart: arguments[1]); // array.CopyTo(array, index)
            default:
                return false;
        }
    }

    private static bool IsSpan(IMethodSymbol method) =>
        method.ContainingType is { Name: "Span", IsGenericType: true } span && span.ContainingNamespace?.ToDisplayString() == "System";

    private bool Copy(ExpressionParser expressions, IInvocationOperation call, List<Stmt> into, IOperation source, IOperation? sourceStart, IOperation destination, IOperation? destinationStart0, IOperation? count, IOperation? destinationStart = null) =>
        Loop(expressions, call, into, destination, source, value: null, start: null, count, sourceStart, destinationStart ?? destinationStart0);

    /// <summary>
    /// <c>for (int i = 0; i &lt; n; i++) destination[start + i] = value</c>, with value one fill value, zero, or
    /// <c>source[sourceStart + i]</c>; n is <paramref name="count"/>, else the source's length, else the destination's.
    /// </summary>
    private bool Loop(ExpressionParser expressions, IInvocationOperation call, List<Stmt> into, IOperation destination, IOperation? source, IOperation? value,
        IOperation? start, IOperation? count, IOperation? sourceStart = null, IOperation? destinationStart = null)
    {
        var element = destination.Type is { } destinationType ? KnownTypes.SequenceElement(destinationType) : null;
        var target = element is null ? null : expressions.Staging(into, () => expressions.SequenceOf(destination));
        if (element is null || target is null || !target.Writable)
        {
            return Report(call, "the array it writes must be a local double[] or float[] of this method, or a slice of one (an array the method was given is the caller's; copy it into a local array first)");
        }

        var text = StatementParser.Text(call.Syntax);
        var offset = Parse(expressions, start ?? destinationStart, into);
        var from = Parse(expressions, sourceStart, into);
        var read = source is null ? null : expressions.Staging(into, () => expressions.SequenceOf(source));
        if (source is not null && read is null)
        {
            return Report(call, "the source must be an array or span of double or float held in a parameter, local or field, or a slice of one");
        }

        if (read is not null && read.Array == target.Array)
        {
            return Report(call, "copying an array onto itself is not supported; copy through a second local array");
        }

        var length = count is not null ? Parse(expressions, count, into)
            : read is not null ? read.Length
            : start is not null ? null
            : target.Length;
        if (length is null || (start ?? destinationStart) is not null && offset is null || sourceStart is not null && from is null)
        {
            return true; // reported by the parser
        }

        Expr? fill = null;
        if (value is not null)
        {
            fill = Parse(expressions, value, into);
            if (fill is null)
            {
                return true;
            }

            if (fill is not (VariableExpr or LiteralExpr))
            {
                // The fill value is evaluated once, as the call does.
                var once = context.NewLocal("fillValue", element);
                into.Add(new AssignStmt(new VariableExpr(once, element), fill, Declares: true));
                fill = new VariableExpr(once, element);
            }
        }

        var index = context.NewLocal("i", DataType.Int, isCountedLoopVariable: true);
        var i = new VariableExpr(index, DataType.Int);
        Expr written = source is null
            ? fill ?? new LiteralExpr(element == DataType.Float ? "0f" : "0.0", element)
            : read!.Element(Sequence.Plus(from, i), element);
        var body = new Stmt[] { new AssignStmt(target.Element(Sequence.Plus(offset, i), element), written, Declares: false) };
        into.Add(new CountedForStmt(index, new LiteralExpr("0", DataType.Int), BinaryOp.LessThan, length, Ascending: true, body.ToEquatableArray(), text));
        return true;
    }

    private static Expr? Parse(ExpressionParser expressions, IOperation? operation, List<Stmt> into) =>
        operation is null ? null : expressions.Staging(into, () => expressions.Parse(operation));

    private bool Report(IInvocationOperation call, string why)
    {
        context.Unsupported(call.Syntax, $"'{call.TargetMethod.Name}' is read as the loop it is, but {why}");
        return true;
    }
}
