using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Turns an expression <see cref="IOperation"/> into an <see cref="Expr"/>; what it cannot read becomes a diagnostic.</summary>
internal sealed class ExpressionParser(ParseContext context)
{
    private static readonly SymbolDisplayFormat s_qualified = SymbolDisplayFormat.FullyQualifiedFormat;

    /// <summary>How many NoDiff.Value(...) the parser is inside: a call there passes no gradient, so it needs no derivative.</summary>
    private int _stopped;

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

    /// <summary>The parameters of the local functions and lambdas being inlined, with what each call passed them.</summary>
    private readonly Dictionary<IParameterSymbol, Expr> _arguments = new(SymbolEqualityComparer.Default);

    /// <summary>The local functions and lambdas being inlined, outermost first: one that calls itself cannot be.</summary>
    private readonly List<IOperation> _inlining = [];

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

    /// <summary>Parses <paramref name="operation"/>; null after reporting why it cannot be differentiated.</summary>
    public Expr? Parse(IOperation operation)
    {
        if (operation.ConstantValue.HasValue && operation.Type is { } constantType && KnownTypes.Keyword(constantType) is { } keyword)
        {
            return new LiteralExpr(ConstantText(operation), keyword);
        }

        switch (operation)
        {
            case ILocalReferenceOperation local:
                return IsSupported(local.Local.Type, operation) ? Read(new VariableExpr(context.NameOf(local.Local), KnownTypes.Text(local.Local.Type))) : null;
            case IParameterReferenceOperation parameter when _arguments.TryGetValue(parameter.Parameter, out var argument):
                return argument is VariableExpr variable ? Read(variable) : argument;
            case IParameterReferenceOperation parameter:
                return Read(new VariableExpr(Identifier.Escape(parameter.Parameter.Name), KnownTypes.Text(parameter.Parameter.Type)));
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation when _effects is not null:
                return ParseEffect(operation);
            case IFieldReferenceOperation field:
                return ParseField(field);
            case IPropertyReferenceOperation property:
                return ParseProperty(property);
            case IArrayElementReferenceOperation element:
                return ParseElement(element.ArrayReference, element.Indices.Length == 1 ? element.Indices[0] : null, element);
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
                return length is null ? null : new NewArrayExpr(KnownTypes.Text(((IArrayTypeSymbol)creation.Type!).ElementType), length);
            default:
                context.Unsupported(operation.Syntax, context.CallToGeneratedMember(operation) ?? Describe(operation));
                return null;
        }
    }

    private static string ConstantText(IOperation operation) => operation switch
    {
        ILiteralOperation literal => literal.Syntax.ToString(),
        IFieldReferenceOperation { Field.IsConst: true } field =>
            field.Field.ContainingType.ToDisplayString(s_qualified) + "." + Identifier.Escape(field.Field.Name),
        _ => Literals.Format(operation.ConstantValue.Value),
    };

    private bool IsSupported(ITypeSymbol type, IOperation operation)
    {
        if (KnownTypes.IsSupportedLocal(type) || KnownTypes.SequenceElement(type) is not null)
        {
            return true;
        }

        context.Unsupported(operation.Syntax, $"values of type '{type.ToDisplayString()}' are not supported; use double, float, int, bool or arrays of double or float");
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
            return new OpaqueExpr(field.Field.ContainingType.ToDisplayString(s_qualified) + "." + Identifier.Escape(field.Field.Name), KnownTypes.Text(type));
        }

        if (field.Instance is IInstanceReferenceOperation)
        {
            return new OpaqueExpr("this." + Identifier.Escape(field.Field.Name), KnownTypes.Text(type));
        }

        context.Unsupported(field.Syntax, "fields of other objects are not supported; pass the value as a parameter");
        return null;
    }

    private Expr? ParseProperty(IPropertyReferenceOperation property)
    {
        var owner = SequenceName(property.Instance);
        if (owner is not null && property.Property.Name == "Length")
        {
            _reads.Add(owner);
            return new LengthExpr(owner);
        }

        if (owner is not null && property.Property.IsIndexer && property.Arguments.Length == 1)
        {
            return ParseElement(property.Instance!, property.Arguments[0].Value, property);
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

    private Expr? ParseElement(IOperation array, IOperation? index, IOperation element)
    {
        var owner = SequenceName(array);
        if (owner is null || index is null || KnownTypes.Keyword(element.Type) is not { } type)
        {
            context.Unsupported(element.Syntax, "only one-dimensional arrays and spans of double or float held in a parameter, local or field can be indexed");
            return null;
        }

        _reads.Add(owner);

        // a[^k] is a[a.Length - k].
        if (index is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } fromEnd)
        {
            var back = Parse(fromEnd.Operand);
            return back is null ? null : new ElementExpr(owner, new BinaryExpr("-", new LengthExpr(owner), back, "int"), type);
        }

        var indexExpr = Parse(index);
        return indexExpr is null ? null : new ElementExpr(owner, indexExpr, type);
    }

    /// <summary>The name under which an array or span is read: a parameter, a local, or a field of this object.</summary>
    public string? SequenceName(IOperation? operation) => operation switch
    {
        IParameterReferenceOperation p when _arguments.TryGetValue(p.Parameter, out var passed) => (passed as VariableExpr)?.Name,
        IParameterReferenceOperation p when KnownTypes.SequenceElement(p.Parameter.Type) is not null => Identifier.Escape(p.Parameter.Name),
        ILocalReferenceOperation l when KnownTypes.SequenceElement(l.Local.Type) is not null => context.NameOf(l.Local),
        IFieldReferenceOperation { Field.IsStatic: true } f when KnownTypes.SequenceElement(f.Field.Type) is not null =>
            f.Field.ContainingType.ToDisplayString(s_qualified) + "." + Identifier.Escape(f.Field.Name),
        IFieldReferenceOperation { Instance: IInstanceReferenceOperation } f when KnownTypes.SequenceElement(f.Field.Type) is not null =>
            "this." + Identifier.Escape(f.Field.Name),
        _ => null,
    };

    private Expr? ParseBinary(IBinaryOperation binary)
    {
        var op = binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            BinaryOperatorKind.Multiply => "*",
            BinaryOperatorKind.Divide => "/",
            BinaryOperatorKind.Remainder => "%",
            BinaryOperatorKind.LessThan => "<",
            BinaryOperatorKind.LessThanOrEqual => "<=",
            BinaryOperatorKind.GreaterThan => ">",
            BinaryOperatorKind.GreaterThanOrEqual => ">=",
            BinaryOperatorKind.Equals => "==",
            BinaryOperatorKind.NotEquals => "!=",
            BinaryOperatorKind.ConditionalAnd => "&&",
            BinaryOperatorKind.ConditionalOr => "||",
            BinaryOperatorKind.And => "&",
            BinaryOperatorKind.Or => "|",
            BinaryOperatorKind.ExclusiveOr => "^",
            BinaryOperatorKind.LeftShift => "<<",
            BinaryOperatorKind.RightShift => ">>",
            _ => null,
        };

        if (op is null || binary.OperatorMethod is not null || binary.Type is null || KnownTypes.Keyword(binary.Type) is null && binary.Type.TypeKind != TypeKind.Enum)
        {
            context.Unsupported(binary.Syntax, binary.Type?.SpecialType == SpecialType.System_String
                ? "string operations are not differentiable"
                : "only the built-in arithmetic, comparison and logical operators on numbers and bools are supported");
            return null;
        }

        var left = Parse(binary.LeftOperand);
        var right = op is "&&" or "||" ? Sometimes(binary.RightOperand) : Parse(binary.RightOperand);
        return left is null || right is null ? null : new BinaryExpr(op, left, right, KnownTypes.Text(binary.Type));
    }

    private Expr? ParseUnary(IUnaryOperation unary)
    {
        var op = unary.OperatorKind switch
        {
            UnaryOperatorKind.Minus => "-",
            UnaryOperatorKind.Plus => "+",
            UnaryOperatorKind.Not => "!",
            UnaryOperatorKind.BitwiseNegation => "~",
            _ => null,
        };

        if (op is null || unary.OperatorMethod is not null || KnownTypes.Keyword(unary.Type) is not { } type)
        {
            context.Unsupported(unary.Syntax, "only unary minus, plus, ! and ~ on built-in numbers and bools are supported");
            return null;
        }

        var operand = Parse(unary.Operand);
        return operand is null ? null : new UnaryExpr(op, operand, type);
    }

    private Expr? ParseConversion(IConversionOperation conversion)
    {
        if (conversion.Conversion.IsIdentity)
        {
            return Parse(conversion.Operand);
        }

        var target = conversion.Type is null ? null : KnownTypes.Keyword(conversion.Type);
        var source = conversion.Operand.Type;
        if (target is "double" or "float" or "int" or "long" && conversion.Conversion.IsNumeric
            || target is "int" or "long" && source?.TypeKind == TypeKind.Enum && !conversion.IsImplicit)
        {
            var operand = Parse(conversion.Operand);
            if (operand is not null && target is "int" or "long" && operand.IsFloating)
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
            : "only numeric conversions are supported");
        return null;
    }

    private Expr? ParseConditional(IConditionalOperation conditional)
    {
        var condition = Parse(conditional.Condition);
        var whenTrue = Sometimes(conditional.WhenTrue);
        var whenFalse = Sometimes(conditional.WhenFalse!);
        return condition is null || whenTrue is null || whenFalse is null || conditional.Type is null
            ? null
            : new ConditionalExpr(condition, whenTrue, whenFalse, KnownTypes.Text(conditional.Type));
    }

    private Expr? ParseSwitchExpression(ISwitchExpressionOperation switchExpression)
    {
        var value = Parse(switchExpression.Value);
        if (value is null || switchExpression.Type is null)
        {
            return null;
        }

        Expr? result = null;
        var type = KnownTypes.Text(switchExpression.Type);
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

            result = new ConditionalExpr(new BinaryExpr("==", value, test, "bool"), armValue, result!, type);
        }

        return result;
    }

    private Expr? ParseInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var container = method.ContainingType?.ToDisplayString();
        var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();

        if (context.InlinedBody(invocation) is { } inlined)
        {
            return ParseInlined(invocation, inlined.Body, inlined.Parameters, arguments);
        }

        if (KnownTypes.MathClass(method.ContainingType) is { } mathClass && GateRules.Supports(method.Name, method.Parameters.Length) && KnownTypes.Keyword(method.ReturnType) is { } mathType)
        {
            var args = ParseAll(arguments.Select(a => a.Value));
            return args is null ? null : new MathCallExpr(mathClass, method.Name, args.ToEquatableArray(), mathType);
        }

        if (container == KnownTypes.NoDiffClass && method.Name == "Value" && arguments.Count == 1)
        {
            _stopped++;
            var operand = Parse(arguments[0].Value);
            _stopped--;
            return operand is null ? null : new StopGradientExpr(operand, operand.Type);
        }

        if (DerivativeRules.HasRule(method))
        {
            return ParseRuleCall(invocation, method, arguments);
        }

        if (KnownTypes.HasAttribute(method, KnownTypes.DifferentiableAttribute))
        {
            return ParseDifferentiableCall(invocation, method, arguments);
        }

        var callee = method.IsStatic
            ? method.ContainingType!.ToDisplayString(s_qualified) + "." + method.Name
            : invocation.Instance switch
            {
                IInstanceReferenceOperation => "this." + method.Name,

                // m.Read() on a parameter that takes no gradient (a struct, a [NoDiff] object): a constant like any other.
                IParameterReferenceOperation { Parameter: var p } when !ParameterDescriber.Describe(p, out _).HasGradient && KnownTypes.SequenceElement(p.Type) is null =>
                    Identifier.Escape(p.Name) + "." + method.Name,
                _ => null,
            };
        if (callee is null || method.IsGenericMethod || method.Parameters.Any(p => p.RefKind != RefKind.None) || KnownTypes.Keyword(method.ReturnType) is not { } returnType)
        {
            context.ReportCallWithoutDerivative(invocation.Syntax.GetLocation(), method);
            return null;
        }

        // Allowed while no argument carries gradient (decided once the whole body is read): Helper(n), Helper(NoDiff.Value(x)).
        var values = ParseAll(arguments.Select(a => a.Value is IConversionOperation { IsImplicit: true } c && c.Operand.Type is { } t && KnownTypes.SequenceElement(t) is not null ? c.Operand : a.Value));
        if (values is null)
        {
            return null;
        }

        var opaque = new OpaqueCallExpr(callee, values.ToEquatableArray(), returnType);
        if (_stopped == 0)
        {
            context.CallsWithoutDerivative.Add((opaque, invocation.Syntax.GetLocation(), method));
        }

        return opaque;
    }

    /// <summary>
    /// A call to a local function or a lambda held in a local, read in place: <c>Square(x)</c> with
    /// <c>double Square(double v) =&gt; v * v;</c> is <c>x * x</c>. The body must be one expression (or a block that only
    /// returns one); it may read the method's variables (a capturing function) and assign them, staged like any
    /// assignment inside an expression. An argument that is not a plain value is evaluated once, into a local named
    /// after the parameter, ahead of the statement — where an effect can be staged; elsewhere (a branch of ?:) the
    /// argument stands where the parameter is read.
    /// </summary>
    private Expr? ParseInlined(IInvocationOperation invocation, IBlockOperation body, System.Collections.Immutable.ImmutableArray<IParameterSymbol> parameters, List<IArgumentOperation> arguments)
    {
        var name = invocation.TargetMethod.MethodKind == MethodKind.LocalFunction ? invocation.TargetMethod.Name : StatementParser.Text(invocation.Instance!.Syntax);
        if (body.Operations.Length != 1 || body.Operations[0] is not IReturnOperation { ReturnedValue: { } returned })
        {
            context.Unsupported(invocation.Syntax, $"'{name}' is read in place where it is called, so its body must be one expression ('=> expression', or a block that only returns one); write it as a [Differentiable] method of the type, or as an expression");
            return null;
        }

        if (_inlining.Contains(body))
        {
            context.Unsupported(invocation.Syntax, $"'{name}' calls itself: a local function or lambda is read in place, which recursion cannot be; write it as a [Differentiable] method of the type");
            return null;
        }

        if (parameters.Any(p => p.RefKind != RefKind.None) || parameters.Any(p => KnownTypes.Keyword(p.Type) is null && KnownTypes.SequenceElement(p.Type) is null))
        {
            context.Unsupported(invocation.Syntax, $"'{name}' takes a parameter that is not a number, bool, array or span, or takes it by reference; pass values");
            return null;
        }

        var bound = new List<(IParameterSymbol Parameter, Expr Value)>();
        foreach (var argument in arguments)
        {
            var parameter = parameters[argument.Parameter!.Ordinal]; // a delegate's Invoke has parameters of its own: the lambda's by position
            var value = argument.Value is IConversionOperation { Conversion.IsUserDefined: true } spanConversion && KnownTypes.SequenceElement(spanConversion.Operand.Type!) is not null
                ? spanConversion.Operand
                : argument.Value;
            if (Parse(value) is not { } parsed)
            {
                return null;
            }

            if (KnownTypes.SequenceElement(parameter.Type) is not null && parsed is not VariableExpr)
            {
                context.Unsupported(argument.Syntax, "pass an array or span parameter or local directly");
                return null;
            }

            if (_effects is not null && _sometimes == 0 && parsed is not (VariableExpr or LiteralExpr))
            {
                // Evaluated once, where C# evaluates it, into a local named after the parameter.
                var type = KnownTypes.Text(parameter.Type);
                var local = context.NewLocal(Identifier.Bare(parameter.Name), type);
                _effects.Add(new AssignStmt(new VariableExpr(local, type), parsed, $"{parameter.Name} = {StatementParser.Text(argument.Syntax)} (argument of {name})", Declares: true));
                parsed = Read(new VariableExpr(local, type));
            }

            bound.Add((parameter, parsed));
        }

        foreach (var (parameter, value) in bound)
        {
            _arguments[parameter] = value;
        }

        _inlining.Add(body);
        try
        {
            return Parse(returned);
        }
        finally
        {
            _inlining.RemoveAt(_inlining.Count - 1);
            foreach (var (parameter, _) in bound)
            {
                _arguments.Remove(parameter);
            }
        }
    }

    /// <summary>A scalar function the user gave a derivative rule: the forward calls it, the backward calls its rule.</summary>
    private Expr? ParseRuleCall(IInvocationOperation invocation, IMethodSymbol method, List<IArgumentOperation> arguments)
    {
        if (!method.IsStatic || method.IsGenericMethod || KnownTypes.Keyword(method.ReturnType) is not ("double" or "float")
            || method.Parameters.Any(p => p.RefKind != RefKind.None || KnownTypes.SequenceElement(p.Type) is not null || KnownTypes.IsTensor(p.Type)))
        {
            context.Unsupported(invocation.Syntax, "in scalar code, a function with a derivative rule must be static, not generic, return double or float and take values (use tensor code for Tensor functions)");
            return null;
        }

        if (DerivativeRules.Find(method, invocation.Syntax, context) is not { } rule)
        {
            return null;
        }

        var parsed = new List<CallArgument>();
        foreach (var argument in arguments)
        {
            if (Parse(argument.Value) is not { } value)
            {
                return null;
            }

            var slot = argument.Parameter is null ? AdjointSlot.None : rule.Slots[argument.Parameter.Ordinal];
            parsed.Add(new CallArgument(value, slot == AdjointSlot.Scalar ? ParameterShape.Scalar : ParameterShape.NoGradient));
        }

        return new UserCallExpr(method.ContainingType.ToDisplayString(s_qualified), method.Name, parsed.ToEquatableArray(), KnownTypes.Keyword(method.ReturnType)!, rule.Callee);
    }

    private Expr? ParseDifferentiableCall(IInvocationOperation invocation, IMethodSymbol method, List<IArgumentOperation> arguments)
    {
        if (method.IsGenericMethod || KnownTypes.Keyword(method.ReturnType) is not ("double" or "float"))
        {
            context.Unsupported(invocation.Syntax, "only non-generic [Differentiable] methods returning double or float can be called");
            return null;
        }

        string receiver;
        if (method.IsStatic)
        {
            receiver = method.ContainingType.ToDisplayString(s_qualified);
        }
        else if (invocation.Instance is IInstanceReferenceOperation)
        {
            receiver = "this";
        }
        else
        {
            context.Unsupported(invocation.Syntax, "[Differentiable] instance methods can only be called on this object");
            return null;
        }

        var parsed = new List<CallArgument>();
        foreach (var argument in arguments)
        {
            var shape = argument.Parameter is null
                ? ParameterShape.NoGradient
                : ParameterDescriber.Describe(argument.Parameter, out _).Shape;
            var value = argument.Value is IConversionOperation { Conversion.IsUserDefined: true } spanConversion
                && KnownTypes.SequenceElement(spanConversion.Operand.Type!) is not null
                    ? spanConversion.Operand
                    : argument.Value;
            var expr = Parse(value);
            if (expr is null)
            {
                return null;
            }

            if (shape == ParameterShape.Sequence && expr is not VariableExpr)
            {
                context.Unsupported(argument.Syntax, "pass an array or span parameter or local directly");
                return null;
            }

            parsed.Add(new CallArgument(expr, shape));
        }

        return new UserCallExpr(receiver, method.Name, parsed.ToEquatableArray(), KnownTypes.Keyword(method.ReturnType)!);
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

        if (assignment.Target.Type.EndsWith("[]", System.StringComparison.Ordinal))
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
            effects.Add(new AssignStmt(kept, assignment.Target, $"{before} = {StatementParser.Text(((IIncrementOrDecrementOperation)operation).Target.Syntax)} (the value of {StatementParser.Text(operation.Syntax)})", Declares: true));
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
                return value is null ? null : new AssignStmt(target!, value, StatementParser.Text(assignment.Syntax), Declares: false);
            }

            case ICompoundAssignmentOperation compound:
            {
                var op = compound.OperatorKind switch
                {
                    BinaryOperatorKind.Add => "+",
                    BinaryOperatorKind.Subtract => "-",
                    BinaryOperatorKind.Multiply => "*",
                    BinaryOperatorKind.Divide => "/",
                    BinaryOperatorKind.Remainder => "%",
                    _ => null,
                };
                if (op is null || compound.OperatorMethod is not null)
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
                Expr combined = new BinaryExpr(op, target, value, type);
                if (type != target.Type)
                {
                    combined = new CastExpr(combined, target.Type, IsImplicit: false);
                }

                return new AssignStmt(target, combined, StatementParser.Text(compound.Syntax), Declares: false);
            }

            case IIncrementOrDecrementOperation increment:
            {
                var target = ParseTarget(increment.Target);
                if (target is null)
                {
                    return null;
                }

                var op = increment.Kind == OperationKind.Increment ? "+" : "-";
                var one = new LiteralExpr(target.Type switch { "double" => "1.0", "float" => "1f", _ => "1" }, target.Type);
                return new AssignStmt(target, new BinaryExpr(op, target, one, target.Type), StatementParser.Text(increment.Syntax), Declares: false);
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
            case ILocalReferenceOperation local when KnownTypes.IsSupportedLocal(local.Local.Type):
                return new VariableExpr(context.NameOf(local.Local), KnownTypes.Text(local.Local.Type));
            case IParameterReferenceOperation parameter when _arguments.ContainsKey(parameter.Parameter):
                context.Unsupported(target.Syntax, $"'{parameter.Parameter.Name}' is a parameter of a local function or lambda read in place, which cannot be assigned; compute the new value in an expression");
                return null;
            case IParameterReferenceOperation parameter when KnownTypes.SequenceElement(parameter.Parameter.Type) is null:
                return new VariableExpr(Identifier.Escape(parameter.Parameter.Name), KnownTypes.Text(parameter.Parameter.Type));
            case IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation { Local: var local } } element when !context.IsLocalArray(local):
                context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), $"the array it was given ('{local.Name}' is another name for '{context.NameOf(local)}')");
                return null;
            case IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation } element:
                return Parse(element);
            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true }:
                context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), "an array or span it was given");
                return null;
            case IParameterReferenceOperation parameter:
                context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), $"the parameter '{parameter.Parameter.Name}'");
                return null;
            case IFieldReferenceOperation field:
                context.Report(DiagnosticDescriptors.WriteOutsideMethod, target.Syntax, StatementParser.Text(target.Syntax), $"the field '{field.Field.Name}'");
                return null;
            default:
                context.Unsupported(target.Syntax, "only locals, scalar parameters and elements of local arrays can be assigned");
                return null;
        }
    }

    private static string Wider(string a, string b) =>
        a == "double" || b == "double" ? "double" : a == "float" || b == "float" ? "float" : a == "long" || b == "long" ? "long" : a;

    private List<Expr>? ParseAll(IEnumerable<IOperation> operations)
    {
        var result = new List<Expr>();
        var ok = true;
        foreach (var operation in operations)
        {
            var expr = Parse(operation);
            ok &= expr is not null;
            if (expr is not null)
            {
                result.Add(expr);
            }
        }

        return ok ? result : null;
    }

    private static string Describe(IOperation operation) => operation switch
    {
        IAnonymousFunctionOperation or IDelegateCreationOperation => "lambdas and delegates are not supported; write a [Differentiable] method instead",
        IInterpolatedStringOperation => "string operations are not differentiable",
        IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation => "dynamic is not supported",
        ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation =>
            "an assignment or ++/-- is not supported here; write it as a statement of its own",
        IObjectCreationOperation => "creating objects is not supported",
        IArrayCreationOperation => "only 'new double[n]' or 'new float[n]' arrays can be created",
        ITranslatedQueryOperation => "LINQ is not supported; write a loop",
        ITupleOperation or IDeconstructionAssignmentOperation => "tuples are not supported yet; use a local for each value",
        IInvalidOperation => "the compiler cannot resolve it (see its error)",
        _ => "this kind of expression is not supported",
    };
}
