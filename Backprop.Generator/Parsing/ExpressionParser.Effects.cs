using System.Collections.Generic;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Assignments and ++/-- inside expressions, staged as statements of their own ahead of the statement that holds them.</summary>
internal sealed partial class ExpressionParser
{
    /// <summary>
    /// Where an assignment or ++/-- met inside an expression goes: its own statement, ahead of the statement that holds
    /// it (<see cref="Staging{T}"/>). Null outside a statement being staged.
    /// </summary>
    private List<Stmt>? _effects;

    /// <summary>
    /// Variables (and arrays) the statement being staged has read so far outside its effects: an effect that writes
    /// one of them would, staged ahead, change a value C# read before it.
    /// </summary>
    private HashSet<string> _reads = [];

    /// <summary>How many parts that run only sometimes the parser is inside: a branch of ?:, the right of &amp;&amp; or ||, a switch arm.</summary>
    private int _sometimes;

    /// <summary>
    /// Runs <paramref name="parse"/> for one statement, staging every assignment and ++/-- inside its expressions into
    /// <paramref name="effects"/>, in the order C# evaluates them.
    /// </summary>
    public T Staging<T>(List<Stmt> effects, System.Func<T> parse)
    {
        var (outerEffects, outerReads, outerSometimes) = (_effects, _reads, _sometimes);
        (_effects, _reads, _sometimes) = (effects, [], 0);
        try
        {
            return parse();
        }
        finally
        {
            (_effects, _reads, _sometimes) = (outerEffects, outerReads, outerSometimes);
        }
    }

    /// <summary>A read of a variable, remembered for <see cref="ParseEffect"/>'s order check.</summary>
    private VariableExpr Read(VariableExpr variable)
    {
        _reads.Add(variable.Name);
        return variable;
    }

    /// <summary>Parses a part of an expression that C# evaluates only sometimes, where no effect can be staged ahead.</summary>
    private Expr? Sometimes(IOperation operation)
    {
        _sometimes++;
        try
        {
            return Parse(operation);
        }
        finally
        {
            _sometimes--;
        }
    }

    /// <summary>
    /// An assignment or ++/-- inside an expression: staged as its own statement ahead of the one that holds it, and
    /// read back where it stood (a postfix ++/-- through a local that keeps the value before it). Staging ahead keeps
    /// C#'s meaning when nothing evaluated before the effect read what it writes, and when it always runs.
    /// </summary>
    private Expr? ParseEffect(IOperation operation)
    {
        if (_sometimes > 0)
        {
            context.Unsupported(operation.Syntax, "an assignment or ++/-- here runs only sometimes (in a branch of '?:', the right side of '&&' or '||', or a switch arm); write an if statement that does the assignment, then use its result");
            return null;
        }

        var readBefore = new HashSet<string>(_reads);
        if (Assignment(operation) is not { } assignment)
        {
            return null;
        }

        var written = assignment.Target switch
        {
            ElementExpr element => element.Array,
            _ => ((VariableExpr)assignment.Target).Name,
        };
        if (readBefore.Contains(written))
        {
            context.Unsupported(operation.Syntax, $"'{written}' is read earlier in the same statement, and C# gives that read the value from before this assignment; copy it into a local first, or write the assignment as a statement of its own before this one");
            return null;
        }

        if (assignment.Target.Type.Kind == DataKind.Array)
        {
            context.Unsupported(operation.Syntax, "an array can only be assigned as a statement of its own ('v = new double[n];')");
            return null;
        }

        _reads = readBefore;
        var effects = _effects!;
        if (operation is IIncrementOrDecrementOperation { IsPostfix: true })
        {
            // a[i++]: the value of i++ is i before the step.
            var before = context.NewLocal(Identifier.Bare(written) + (((IIncrementOrDecrementOperation)operation).Kind == OperationKind.Increment ? "BeforeIncrement" : "BeforeDecrement"), assignment.Target.Type);
            var kept = new VariableExpr(before, assignment.Target.Type);
            effects.Add(new AssignStmt(kept, assignment.Target, Declares: true));
            effects.Add(assignment);
            return Read(kept);
        }

        effects.Add(assignment);
        _reads.Add(written);
        return assignment.Target;
    }

    /// <summary>
    /// <c>x = v</c>, <c>x op= v</c> or <c>x++</c>/<c>--x</c> as the plain assignment it is (<c>x = x op v</c>,
    /// <c>x = x + 1</c>); null after reporting why it cannot be.
    /// </summary>
    public AssignStmt? Assignment(IOperation operation)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
            {
                var target = ParseTarget(assignment.Target);
                var value = target is null ? null : Parse(assignment.Value);
                return value is null ? null : new AssignStmt(target!, value, Declares: false);
            }

            case ICompoundAssignmentOperation compound:
            {
                var op = RoslynOperators.From(compound.OperatorKind) is { } kind && kind.IsArithmetic() ? kind : (BinaryOp?)null;
                if (op is null || compound.OperatorMethod is not null && !KnownTypes.IsGenericMath(compound.OperatorMethod, compound.Type))
                {
                    context.Unsupported(compound.Syntax, "only += -= *= /= %= on built-in numbers are supported");
                    return null;
                }

                // x op= v reads x before it evaluates v.
                var target = ParseTarget(compound.Target);
                if (target is VariableExpr variable)
                {
                    Read(variable);
                }

                var value = target is null ? null : Parse(compound.Value);
                if (value is null)
                {
                    return null;
                }

                var type = Wider(target!.Type, value.Type);
                Expr combined = new BinaryExpr(op.Value, target, value, type);
                if (type != target.Type)
                {
                    combined = new CastExpr(combined, target.Type, IsImplicit: false);
                }

                return new AssignStmt(target, combined, Declares: false);
            }

            case IIncrementOrDecrementOperation increment:
            {
                var target = ParseTarget(increment.Target);
                if (target is null)
                {
                    return null;
                }

                var op = increment.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
                var one = new LiteralExpr(target.Type.Kind switch { DataKind.Double => "1.0", DataKind.Float => "1f", _ => "1" }, target.Type);
                return new AssignStmt(target, new BinaryExpr(op, target, one, target.Type), Declares: false);
            }

            default:
                return null;
        }
    }

    /// <summary>What an assignment may write: a local, a scalar parameter, an element of a local array.</summary>
    public Expr? ParseTarget(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation local when context.ElementAliasOf(local.Local) is { } element:
                if (!IsWritableSequence(element.Array))
                {
                    context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), $"an element of the array it was given ('{local.Local.Name}' is a ref to an element of '{KnownTypes.Unwrap(element.Array).Syntax}')");
                    return null;
                }

                return ElementAlias(element.Array, element.IndexLocal, local);
            case ILocalReferenceOperation local when KnownTypes.SequenceElement(local.Local.Type) is not null && local.Local.Type is not IArrayTypeSymbol && !context.IsStackArray(local.Local):
                context.Unsupported(target.Syntax, KnownTypes.SpanLocalAdvice(local.Local.Type));
                return null;
            case ILocalReferenceOperation local when KnownTypes.IsSupportedLocal(local.Local.Type):
                return new VariableExpr(context.NameOf(local.Local), context.TypeOf(local.Local));
            case IParameterReferenceOperation parameter when _writableArguments.Contains(parameter.Parameter) && KnownTypes.SequenceElement(parameter.Parameter.Type) is null:
                return _arguments[parameter.Parameter];
            case IParameterReferenceOperation parameter when _arguments.ContainsKey(parameter.Parameter):
                context.Unsupported(target.Syntax, $"'{parameter.Parameter.Name}' is a parameter of a local function or lambda read in place, which cannot be assigned; compute the new value in an expression");
                return null;
            case IParameterReferenceOperation parameter when KnownTypes.SequenceElement(parameter.Parameter.Type) is null:
                return new VariableExpr(Identifier.Escape(parameter.Parameter.Name), KnownTypes.Of(parameter.Parameter.Type));
            case IArrayElementReferenceOperation { Indices.Length: > 1 } or IArrayElementReferenceOperation { ArrayReference: IArrayElementReferenceOperation }:
                context.Unsupported(target.Syntax, KnownTypes.GridAdvice);
                return null;
            case IInvocationOperation { TargetMethod.ReturnsByRef: true } call:
                context.Unsupported(target.Syntax, $"assigning through a call that returns a ref ('{call.TargetMethod.Name}') is not supported; assign the element or variable itself");
                return null;
            case IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation { Local: var local } } element when !context.IsLocalArray(local):
                context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), $"the array it was given ('{local.Name}' is another name for '{context.NameOf(local)}')");
                return null;
            case IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation } element:
                return Parse(element);
            case IArrayElementReferenceOperation { ArrayReference: IParameterReferenceOperation array } element when IsWritableSequence(array):
                return Parse(element);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } span } indexer when IsWritableSequence(span):
                return Parse(indexer);
            case IImplicitIndexerReferenceOperation { Argument: not IRangeOperation, Instance: var span } indexer when IsWritableSequence(span):
                return Parse(indexer);
            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation:
                context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), "an array or span it was given");
                return null;
            case IParameterReferenceOperation parameter:
                context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), $"the parameter '{parameter.Parameter.Name}'");
                return null;
            case IFieldReferenceOperation or IPropertyReferenceOperation when PartOf(target) is { } element:
                return element;
            case var _ when OfRejectedStruct(target):
                return null; // reported where the local is declared
            case IFieldReferenceOperation field:
                context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), $"the field '{field.Field.Name}'");
                return null;
            default:
                context.Unsupported(target.Syntax, "only locals, scalar parameters and elements of local arrays can be assigned");
                return null;
        }
    }

    private static DataType Wider(DataType a, DataType b) =>
        a == DataType.Double || b == DataType.Double ? DataType.Double
        : a == DataType.Float || b == DataType.Float ? DataType.Float
        : a == DataType.Long || b == DataType.Long ? DataType.Long
        : a;
}
