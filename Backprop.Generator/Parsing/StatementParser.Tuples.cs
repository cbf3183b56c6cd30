using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Tuples: <c>t = (x * y, x + y)</c>, <c>(a, b) = (b, a)</c>, <c>var (m, v) = (x, y)</c> assign element by element. As in C#,
/// every value is evaluated before any element is assigned: where a value reads a variable an earlier element
/// assigns (a swap), the values are kept in locals of their own first.
/// </summary>
internal sealed partial class StatementParser
{
    /// <summary><c>(a, b) = (b, a)</c> and <c>var (m, v) = …</c>: the variables written, in order (null for a discard <c>_</c>).</summary>
    private void ParseDeconstruction(IDeconstructionAssignmentOperation deconstruction, List<Stmt> into)
    {
        var left = deconstruction.Target is IDeclarationExpressionOperation { Expression: var declared } ? declared : deconstruction.Target;
        if (left is not ITupleOperation tuple)
        {
            context.Unsupported(deconstruction.Syntax, ExpressionParser.TupleAdvice);
            return;
        }

        var targets = new List<Expr?>();
        var declares = new List<bool>();
        foreach (var written in tuple.Elements)
        {
            // (float p, float q) = …: each element declares its local.
            var element = written is IDeclarationExpressionOperation { Expression: ILocalReferenceOperation local } ? local : written;
            declares.Add(left != deconstruction.Target || element is ILocalReferenceOperation { IsDeclaration: true });
            switch (element)
            {
                case IDiscardOperation:
                    targets.Add(null);
                    break;
                case ITupleOperation nested:
                    context.Unsupported(nested.Syntax, "a nested tuple cannot be deconstructed; deconstruct it in a statement of its own");
                    return;
                default:
                    if (_expressions.ParseTarget(element) is not { } target)
                    {
                        return;
                    }

                    targets.Add(target);
                    break;
            }
        }

        AssignTuple(targets, declares, deconstruction.Value, into);
    }

    /// <summary>
    /// The elements of a tuple value or the fields of a struct value, in order: written out (<c>(x * y, x + y)</c>), a
    /// tuple or struct local, a struct made here (<c>new P(x, v)</c>, <c>p with { X = … }</c>), or a call of a
    /// [Differentiable] method that returns a tuple or struct (read in place, each result kept in a local); null after
    /// reporting.
    /// </summary>
    private List<Expr>? PartValues(IOperation value, List<Stmt> into)
    {
        var values = new List<Expr>();
        switch (value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : value)
        {
            case ITupleOperation written:
                foreach (var element in written.Elements)
                {
                    if (_expressions.Staging(into, () => _expressions.Parse(element)) is not { } parsed)
                    {
                        return null;
                    }

                    values.Add(parsed);
                }

                return values;
            case var held when _expressions.PartsOf(held) is { } elements:
                values.AddRange(elements);
                return values;
            case var given when _expressions.GivenParts(given) is { } fields:
                return fields; // a [NoDiff] struct parameter: its fields as given
            case IInvocationOperation call when (ReturnsTuple(call.TargetMethod) || ReturnsStruct(call.TargetMethod)) && IsHelperCall(call):
                return ParseHelperCall(CallSite.Of(call), into, keepValue: true, out var results, out _) ? [.. results] : null;
            case IBinaryOperation or IUnaryOperation when CallSite.Of(value) is { } call && IsDifferentiableOperator(call.TargetMethod):
                return ParseHelperCall(call, into, keepValue: true, out var operated, out _) ? [.. operated] : null;
            case IInvocationOperation or IBinaryOperation or IUnaryOperation or IPropertyReferenceOperation or IFieldReferenceOperation { Field.IsStatic: true } when CallSite.Defined(value, context.Compilation) is { } defined:
                return ParseHelperCall(defined, into, keepValue: true, out var computed, out _) ? [.. computed] : null; // Vector3.Cross(a, b), a + b
            case var made when made.Type is { IsTupleType: false } type && StructTypes.Fields(type, out _) is { } fields:
                return StructValues(made, fields, into);
            default:
                context.Unsupported(value.Syntax, ExpressionParser.TupleAdvice);
                return null;
        }
    }

    /// <summary>Assigns each element of the tuple <paramref name="value"/> to its target, every value evaluated first.</summary>
    private void AssignTuple(IReadOnlyList<Expr?> targets, IReadOnlyList<bool> declares, IOperation value, List<Stmt> into)
    {
        if (PartValues(value, into) is not { } values)
        {
            return;
        }

        // A value that reads what an earlier element assigns would see the new value: keep the values first.
        var assigned = new HashSet<string>();
        var kept = false;
        for (var i = 0; i < targets.Count && !kept; i++)
        {
            kept = MethodParser.Descendants(values[i]).Any(e => e is VariableExpr v && assigned.Contains(v.Name) || e is ElementExpr a && assigned.Contains(a.Array));
            if (targets[i] is { } target)
            {
                assigned.Add(target is ElementExpr element ? element.Array : ((VariableExpr)target).Name);
            }
        }

        for (var i = 0; i < targets.Count; i++)
        {
            if (kept && targets[i] is { } target && values[i] is not LiteralExpr)
            {
                var local = context.NewLocal(Identifier.Bare(target is ElementExpr element ? element.Array : ((VariableExpr)target).Name) + "Value", target.Type);
                into.Add(new AssignStmt(new VariableExpr(local, target.Type), values[i], Declares: true));
                values[i] = new VariableExpr(local, target.Type);
            }
        }

        for (var i = 0; i < targets.Count; i++)
        {
            // A field that a with leaves as it was (p = p with { X = … } keeps p.V) is not assigned to itself.
            if (targets[i] is { } target && !(!declares[i] && target is VariableExpr written && values[i] is VariableExpr { Name: var name } && name == written.Name))
            {
                into.Add(new AssignStmt(target, values[i], Declares: declares[i]));
            }
        }
    }
}
