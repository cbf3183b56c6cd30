using System.Collections.Generic;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Turns an expression <see cref="IOperation"/> into an <see cref="Expr"/>; what it cannot read becomes a diagnostic.</summary>
internal sealed partial class ExpressionParser(ParseContext context)
{
    /// <summary>How many NoDiff.Value(...) the parser is inside: a call there passes no gradient, so it needs no derivative.</summary>
    private int _stopped;

    /// <summary>Parses <paramref name="operation"/>; null after reporting why it cannot be differentiated.</summary>
    public Expr? Parse(IOperation operation)
    {
        if (operation.ConstantValue.HasValue && operation.Type is { } constantType && KnownTypes.Keyword(constantType) is { } keyword)
        {
            return new LiteralExpr(ConstantText(operation), keyword);
        }

        switch (operation)
        {
            case ILocalReferenceOperation local when context.ElementAliasOf(local.Local) is { } element:
                return ElementAlias(element.Array, element.IndexLocal, local);
            case IFieldReferenceOperation or IPropertyReferenceOperation when PartOf(operation) is { } element:
                return element is VariableExpr part ? Read(part) : element;
            case var _ when OfRejectedStruct(operation):
                return null; // reported where the local is declared
            case IMemberReferenceOperation when IsFieldOfMadeStruct(operation):
                return FieldOfMadeStruct(operation) is { } made ? made is VariableExpr kept ? Read(kept) : made : null;
            case IMemberReferenceOperation when PartsOf(operation) is not null:
                context.Unsupported(operation.Syntax, StructTypes.Advice); // p.Position used as a value
                return null;
            case IFieldReferenceOperation { Instance.Type: INamedTypeSymbol { IsTupleType: true } }: // Stats(x, y).Item1
                context.Unsupported(operation.Syntax, TupleAdvice);
                return null;
            case ILocalReferenceOperation local when context.PartsOf(local.Local) is not null:
                context.Unsupported(operation.Syntax, PartsAdvice(local.Local));
                return null;
            case ILocalReferenceOperation local when context.IsWindow(local.Local):
                return Window(operation);
            case IParameterReferenceOperation parameter when _boundWindows.ContainsKey(parameter.Parameter):
                return Window(operation);
            case IInvocationOperation invocation when SliceOf(invocation) is not null:
                return Window(operation);
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation }:
                return Window(operation);
            case IImplicitIndexerReferenceOperation indexer: // span[^k]
                return ParseElement(SequenceOf(indexer.Instance), indexer.Argument, indexer);
            case ILocalReferenceOperation local:
                return IsSupported(local.Local.Type, operation) ? Read(new VariableExpr(context.NameOf(local.Local), context.TypeOf(local.Local))) : null;
            case IParameterReferenceOperation parameter when _arguments.TryGetValue(parameter.Parameter, out var argument):
                return argument is VariableExpr variable ? Read(variable) : argument;
            case IParameterReferenceOperation parameter:
                return Read(new VariableExpr(Identifier.Escape(parameter.Parameter.Name), KnownTypes.Of(parameter.Parameter.Type)));
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation when _effects is not null:
                return ParseEffect(operation);
            case IFieldReferenceOperation or IPropertyReferenceOperation when FieldOfGivenStruct(operation) is { } given:
                return given;
            case IPropertyReferenceOperation or IFieldReferenceOperation { Field.IsStatic: true } when CallSite.Defined(operation, context.Compilation) is { } defined:
                return ParseValueHelper(defined, "is read through its definition"); // z.Magnitude, m.Translation.X
            case IFieldReferenceOperation field:
                return ParseField(field);
            case IPropertyReferenceOperation property:
                return ParseProperty(property);
            case IArrayElementReferenceOperation { Indices.Length: 1 } ranged when ranged.Indices[0] is IRangeOperation:
                return ArrayRange(ranged);
            case IArrayElementReferenceOperation { ArrayReference: IArrayElementReferenceOperation { Indices.Length: 1 } ranged } when ranged.Indices[0] is IRangeOperation:
                return ArrayRange(ranged);
            case IArrayElementReferenceOperation element:
                return ParseElement(SequenceOf(element.ArrayReference), element.Indices.Length == 1 ? element.Indices[0] : null, element);
            case IBinaryOperation binary:
                return ParseBinary(binary);
            case IUnaryOperation unary:
                return ParseUnary(unary);
            case IConversionOperation conversion:
                return ParseConversion(conversion);
            case IConditionalOperation { WhenFalse: not null } conditional:
                return ParseConditional(conditional);
            case IInvocationOperation invocation:
                return ParseInvocation(invocation);
            case ISwitchExpressionOperation switchExpression:
                return ParseSwitchExpression(switchExpression);
            case IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null } creation
                when KnownTypes.IsFloating((creation.Type as IArrayTypeSymbol)?.ElementType):
                var length = Parse(creation.DimensionSizes[0]);
                return length is null ? null : new NewArrayExpr(KnownTypes.Of(((IArrayTypeSymbol)creation.Type!).ElementType), length);
            case var _ when StackAllocated(operation) is { } element && operation.ChildOperations.Count == 1:
                var stackLength = Parse(operation.ChildOperations.First());
                return stackLength is null ? null : new NewArrayExpr(element, stackLength, OnStack: true);
            default:
                context.Unsupported(operation.Syntax, context.CallToGeneratedMember(operation) ?? Describe(operation));
                return null;
        }
    }

    /// <summary>
    /// The element type of <c>stackalloc double[n]</c> or <c>stackalloc float[] { … }</c> made into a span of double or
    /// float (Roslyn gives it no operation of its own: its children are the length, then any elements); else null.
    /// </summary>
    public static DataType? StackAllocated(IOperation operation) =>
        operation is { Kind: OperationKind.None, Syntax: StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax, Type: INamedTypeSymbol { Name: "Span", TypeArguments.Length: 1 } span }
            && KnownTypes.IsFloating(span.TypeArguments[0])
            ? KnownTypes.Of(span.TypeArguments[0])
            : null;

    private Expr? ArrayRange(IOperation range)
    {
        context.Unsupported(range.Syntax, "a range of an array is a copy of its elements in C#; take a slice instead, read in place (x.AsSpan(1, 2) for x[1..3])");
        return null;
    }

    private static string ConstantText(IOperation operation) => operation switch
    {
        ILiteralOperation literal => literal.Syntax.ToString(),
        IFieldReferenceOperation { Field.IsConst: true } field =>
            KnownTypes.Qualified(field.Field.ContainingType) + "." + Identifier.Escape(field.Field.Name),
        _ => Literals.Format(operation.ConstantValue.Value),
    };

    private bool IsSupported(ITypeSymbol type, IOperation operation)
    {
        if (KnownTypes.IsSupportedLocal(type) || KnownTypes.SequenceElement(type) is not null)
        {
            return true;
        }

        context.Unsupported(operation.Syntax, KnownTypes.SequenceElement(type) is not null
            ? KnownTypes.SpanLocalAdvice(type)
            : KnownTypes.IsList(type) ? KnownTypes.ListAdvice
            : $"values of type '{type.ToDisplayString()}' are not supported; use double, float, int, bool or arrays of double or float");
        return false;
    }

    private Expr? ParseField(IFieldReferenceOperation field)
    {
        var type = field.Field.Type;
        if (!KnownTypes.IsSupportedLocal(type))
        {
            context.Unsupported(field.Syntax, $"fields of type '{type.ToDisplayString()}' are not supported");
            return null;
        }

        if (field.Field.IsStatic)
        {
            return new OpaqueExpr(KnownTypes.Qualified(field.Field.ContainingType) + "." + Identifier.Escape(field.Field.Name), KnownTypes.Of(type));
        }

        if (field.Instance is IInstanceReferenceOperation)
        {
            return new OpaqueExpr("this." + Identifier.Escape(field.Field.Name), KnownTypes.Of(type));
        }

        context.Unsupported(field.Syntax, "fields of other objects are not supported; pass the value as a parameter");
        return null;
    }

    private Expr? ParseProperty(IPropertyReferenceOperation property)
    {
        if (property.Instance is null && KnownTypes.IsGenericMath(property.Property, property.Type))
        {
            // T.One, T.Zero, T.Pi of generic math: constants of T.
            var type = KnownTypes.Keyword(property.Type)!;
            return new LiteralExpr($"{type.Name}.{property.Property.Name}", type);
        }

        var sequence = SequenceOf(property.Instance);
        if (sequence is not null && property.Property.Name == "Length")
        {
            _reads.Add(sequence.Array);
            return sequence.Length;
        }

        if (sequence is not null && property.Property.IsIndexer && property.Arguments.Length == 1)
        {
            return ParseElement(sequence, property.Arguments[0].Value, property);
        }

        if (property.Property.IsIndexer)
        {
            var container = property.Instance?.Type?.ToDisplayString(KnownTypes.Short) ?? property.Property.ContainingType.ToDisplayString(KnownTypes.Short);
            context.Unsupported(property.Syntax, $"indexing a {container} is not supported, only arrays and spans of double or float can be indexed; take the values as an array or ReadOnlySpan (marked [NoDiff] if they need no gradient)");
            return null;
        }

        context.Unsupported(property.Syntax, "reading a property is not supported, also when it is read into a local first (only an array's or span's Length is); pass the value as a parameter, or read a field");
        return null;
    }

    private Expr? ParseElement(Sequence? sequence, IOperation? index, IOperation element)
    {
        if (sequence is null || index is null || KnownTypes.Keyword(element.Type) is not { } type)
        {
            context.Unsupported(element.Syntax, element is IArrayElementReferenceOperation { Indices.Length: > 1 } or IArrayElementReferenceOperation { ArrayReference: IArrayElementReferenceOperation }
                ? KnownTypes.GridAdvice
                : "only one-dimensional arrays and spans of double or float held in a parameter, local or field (or a slice of one) can be indexed");
            return null;
        }

        _reads.Add(sequence.Array);

        // a[^k] is a[a.Length - k].
        if (index is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } fromEnd)
        {
            var back = Parse(fromEnd.Operand);
            return back is null ? null : sequence.Element(Sequence.Minus(sequence.Length, back), type);
        }

        var indexExpr = Parse(index);
        return indexExpr is null ? null : sequence.Element(indexExpr, type);
    }

    /// <summary><c>r</c> of <c>ref double r = ref a[i]</c>: the element <c>a[rIndex]</c>.</summary>
    public ElementExpr? ElementAlias(IOperation array, string indexLocal, ILocalReferenceOperation reference)
    {
        if (SequenceOf(KnownTypes.Unwrap(array)) is not { } sequence)
        {
            context.Unsupported(reference.Syntax, "a ref local to an element is supported for an array or span held in a parameter or local");
            return null;
        }

        _reads.Add(sequence.Array);
        return sequence.Element(new VariableExpr(indexLocal, DataType.Int), KnownTypes.Of(reference.Local.Type));
    }

    private Expr? ParseBinary(IBinaryOperation binary)
    {
        if (StatementParser.IsDifferentiableOperator(binary.OperatorMethod))
        {
            return ParseValueHelper(CallSite.Of(binary)!, "is a user-defined operator");
        }

        if (CallSite.Defined(binary, context.Compilation) is { } defined)
        {
            return ParseValueHelper(defined, "is read through its definition");
        }

        var op = RoslynOperators.From(binary.OperatorKind);

        var builtIn = binary.OperatorMethod is null || KnownTypes.IsGenericMath(binary.OperatorMethod, binary.LeftOperand.Type);
        if (op is null || !builtIn || binary.Type is null || KnownTypes.Keyword(binary.Type) is null && binary.Type.TypeKind != TypeKind.Enum)
        {
            context.Unsupported(binary.Syntax, binary.Type?.SpecialType == SpecialType.System_String
                ? "string operations are not differentiable"
                : binary.OperatorMethod is { DeclaringSyntaxReferences.Length: > 0 } own
                    ? $"'{own.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' is an operator of your own: mark it [Differentiable] and it is read in place where it is used"
                : "only the built-in arithmetic, comparison and logical operators on numbers and bools are supported, and operators of your own marked [Differentiable]");
            return null;
        }

        var left = Parse(binary.LeftOperand);
        var right = op is BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr ? Sometimes(binary.RightOperand) : Parse(binary.RightOperand);
        return left is null || right is null ? null : new BinaryExpr(op.Value, left, right, KnownTypes.Of(binary.Type));
    }

    private Expr? ParseUnary(IUnaryOperation unary)
    {
        if (StatementParser.IsDifferentiableOperator(unary.OperatorMethod))
        {
            return ParseValueHelper(CallSite.Of(unary)!, "is a user-defined operator");
        }

        if (CallSite.Defined(unary, context.Compilation) is { } defined)
        {
            return ParseValueHelper(defined, "is read through its definition");
        }

        var op = RoslynOperators.From(unary.OperatorKind);

        if (op is null || unary.OperatorMethod is not null && !KnownTypes.IsGenericMath(unary.OperatorMethod, unary.Type) || KnownTypes.Keyword(unary.Type) is not { } type)
        {
            context.Unsupported(unary.Syntax, "only unary minus, plus, ! and ~ on built-in numbers and bools are supported");
            return null;
        }

        var operand = Parse(unary.Operand);
        return operand is null ? null : new UnaryExpr(op.Value, operand, type);
    }

    private Expr? ParseConversion(IConversionOperation conversion)
    {
        if (conversion.Conversion.IsIdentity)
        {
            return Parse(conversion.Operand);
        }

        var target = conversion.Type is null ? null : KnownTypes.Keyword(conversion.Type);
        var source = conversion.Operand.Type;
        if (target is { Kind: DataKind.Double or DataKind.Float or DataKind.Int or DataKind.Long } && conversion.Conversion.IsNumeric
            || target is { IsInteger: true } && source?.TypeKind == TypeKind.Enum && !conversion.IsImplicit)
        {
            var operand = Parse(conversion.Operand);
            if (operand is not null && target is { IsInteger: true } && operand.IsFloating)
            {
                context.IntegerConversions.Add((operand, conversion.Syntax.GetLocation(), StatementParser.Text(conversion.Syntax), target!));
            }

            return operand is null ? null : new CastExpr(operand, target!, conversion.IsImplicit);
        }

        if (source?.TypeKind == TypeKind.Error && context.HasErrors)
        {
            return null; // a value whose type is unknown because of an error already reported: one message is enough
        }

        context.Unsupported(conversion.Syntax, conversion.Type?.TypeKind == TypeKind.Dynamic
            ? "dynamic is not supported"
            : $"only conversions between double, float, int and long are supported, not to '{conversion.Type?.ToDisplayString(KnownTypes.Short)}'; convert to one of them");
        return null;
    }

    private Expr? ParseConditional(IConditionalOperation conditional)
    {
        var condition = Parse(conditional.Condition);
        var whenTrue = Sometimes(conditional.WhenTrue);
        var whenFalse = Sometimes(conditional.WhenFalse!);
        return condition is null || whenTrue is null || whenFalse is null || conditional.Type is null
            ? null
            : new ConditionalExpr(condition, whenTrue, whenFalse, KnownTypes.Of(conditional.Type));
    }

    private Expr? ParseSwitchExpression(ISwitchExpressionOperation switchExpression)
    {
        var value = Parse(switchExpression.Value);
        if (value is null || switchExpression.Type is null)
        {
            return null;
        }

        Expr? result = null;
        var type = KnownTypes.Of(switchExpression.Type);
        var arms = switchExpression.Arms;
        if (arms.Length == 0 || arms[arms.Length - 1].Pattern is not IDiscardPatternOperation)
        {
            context.Unsupported(switchExpression.Syntax, "a switch expression needs a final '_ =>' arm to be differentiated");
            return null;
        }

        for (var i = arms.Length - 1; i >= 0; i--)
        {
            var arm = arms[i];
            var armValue = Sometimes(arm.Value);
            if (armValue is null)
            {
                return null;
            }

            if (i == arms.Length - 1)
            {
                result = armValue;
                continue;
            }

            if (arm.Guard is not null || arm.Pattern is not IConstantPatternOperation constant)
            {
                context.Unsupported(arm.Syntax, "only constant patterns and a final '_' are supported in switch expressions");
                return null;
            }

            var test = Sometimes(constant.Value);
            if (test is null)
            {
                return null;
            }

            result = new ConditionalExpr(new BinaryExpr(BinaryOp.Equal, value, test, DataType.Bool), armValue, result!, type);
        }

        return result;
    }

    private static string Describe(IOperation operation) => operation switch
    {
        IAnonymousFunctionOperation or IDelegateCreationOperation => "lambdas and delegates are not supported; write a [Differentiable] method instead",
        IInterpolatedStringOperation => "string operations are not differentiable",
        IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation => "dynamic is not supported",
        ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation =>
            "an assignment or ++/-- is not supported here; write it as a statement of its own",
        IObjectCreationOperation { Type: { } type } when KnownTypes.IsList(type) => KnownTypes.ListAdvice,
        IObjectCreationOperation => "creating objects is not supported",
        IArrayCreationOperation { Type: IArrayTypeSymbol array } when array.Rank > 1 || array.ElementType is IArrayTypeSymbol => KnownTypes.GridAdvice,
        IArrayCreationOperation => "only 'new double[n]' or 'new float[n]' arrays can be created",
        ITranslatedQueryOperation => "LINQ is not supported; write a loop",
        ITupleOperation or IDeconstructionAssignmentOperation => TupleAdvice,
        IInvalidOperation => "the compiler cannot resolve it (see its error)",
        _ when operation.Syntax is StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax =>
            "stackalloc is supported where a span local of double or float is declared, never reassigned (Span<double> t = stackalloc double[3];); declare one and use it here",
        _ => "this kind of expression is not supported",
    };
}
