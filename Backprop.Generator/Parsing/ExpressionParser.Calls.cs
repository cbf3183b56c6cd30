using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Calls: Math functions, stop-gradient, derivative rules, [Differentiable] methods, local functions and lambdas read in place.</summary>
internal sealed partial class ExpressionParser
{
    /// <summary>The parameters of the local functions and lambdas being inlined, with what each call passed them.</summary>
    private readonly Dictionary<IParameterSymbol, Expr> _arguments = new(SymbolEqualityComparer.Default);

    /// <summary>Bound parameters of a void helper read in place that the helper may write: what they are bound to is the caller's.</summary>
    private readonly HashSet<IParameterSymbol> _writableArguments = new(SymbolEqualityComparer.Default);

    /// <summary>Binds a parameter of a void helper read in place to what the call passed (a local, an element, an array's name).</summary>
    public void Bind(IParameterSymbol parameter, Expr value, bool writable)
    {
        _arguments[parameter] = value;
        if (writable)
        {
            _writableArguments.Add(parameter);
        }
    }

    /// <summary>The variable or array a bound parameter names in the caller (null for a value).</summary>
    public string? BoundTo(IParameterSymbol parameter) => _arguments.TryGetValue(parameter, out var bound)
        ? bound switch { VariableExpr v => v.Name, ElementExpr e => e.Array, _ => null }
        : null;

    /// <summary>
    /// Reads a [Differentiable] helper that returns a value (it works through a ref or out parameter) in place: its
    /// statements go into the effects given, the result comes back with what it may write. Set by the statement parser.
    /// </summary>
    public System.Func<CallSite, List<Stmt>, (Expr Value, HashSet<string> Written)?>? HelperReader { get; set; }

    public void Unbind(IParameterSymbol parameter)
    {
        _arguments.Remove(parameter);
        _writableArguments.Remove(parameter);
        _boundWindows.Remove(parameter);
        _boundParts.Remove(parameter);
    }

    /// <summary>The bodies being read in place (local functions, lambdas, expression helpers), outermost first: one that calls itself cannot be.</summary>
    private readonly List<IOperation> _inlining = [];

    /// <summary>True when <paramref name="body"/> is being read in place already (by its syntax: each reading of a method's body is a new operation).</summary>
    private bool IsBeingInlined(IOperation body) => _inlining.Any(b => b.Syntax == body.Syntax);

    private Expr? ParseInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var container = method.ContainingType?.ToDisplayString();
        var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();

        if (context.InlinedBody(invocation) is { } inlined)
        {
            return ParseInlined(invocation, inlined.Body, inlined.Parameters, arguments);
        }

        if (KnownTypes.IsGenericMath(method, method.ReturnType))
        {
            return ParseGenericMath(invocation, method, arguments);
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
            return StatementParser.IsHelper(method) && !method.ReturnsVoid ? ParseValueHelper(invocation, "works through its ref arguments")
                : arguments.Any(a => IsWindow(a.Value)) ? ParseValueHelper(invocation, "is passed a span slice")
                : StatementParser.TakesStruct(method) ? ParseValueHelper(invocation, "is passed a struct")
                : StatementParser.IsStructMethod(method) && invocation.Instance is not IInstanceReferenceOperation ? ParseValueHelper(invocation, "is a method of the struct it is called on")
                : ReadExpressionHelper(invocation, method, arguments) ?? ReadInReadHelper(invocation) ?? ReadSumLoopHelper(invocation, method) ?? ParseDifferentiableCall(invocation, method, arguments);
        }

        if (CallSite.Defined(invocation, context.Compilation) is { } defined)
        {
            return ParseValueHelper(defined, "is read through its definition"); // Vector3.Dot(a, b), v.Length()
        }

        if (invocation.Arguments.Select(a => a.Value).Prepend(invocation.Instance).Any(o => o is not null && PartsOf(o) is not null))
        {
            context.ReportCallWithoutDerivative(invocation.Syntax.GetLocation(), method); // a struct passed to a function the generator cannot read
            return null;
        }

        var callee = method.IsStatic
            ? KnownTypes.Qualified(method.ContainingType!) + "." + method.Name
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
        var name = invocation.Instance is null ? invocation.TargetMethod.Name : StatementParser.Text(invocation.Instance.Syntax); // a lambda: the local holding it
        if (body.Operations.Length != 1 || body.Operations[0] is not IReturnOperation { ReturnedValue: { } returned })
        {
            context.Unsupported(invocation.Syntax, $"'{name}' is read in place where it is called, so its body must be one expression ('=> expression', or a block that only returns one); write it as a [Differentiable] method of the type, or as an expression");
            return null;
        }

        if (IsBeingInlined(body))
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
                var type = KnownTypes.Of(parameter.Type);
                var local = context.NewLocal(Identifier.Bare(parameter.Name), type);
                _effects.Add(new AssignStmt(new VariableExpr(local, type), parsed, Declares: true));
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

    /// <summary>
    /// A [Differentiable] static method whose body is one expression of its number parameters (<c>Sigmoid(x) =&gt; 1 / (1 +
    /// Math.Exp(-x))</c>) is read in place, as a local function is: its gates join the caller's, so a gate the generator
    /// recognises keeps only what its rule reads (σ's result, not its argument) and no call or pullback runs per use
    /// (issue 14, "inline small callees — decide by measurement": ADBench LSTM's gradient 11 % faster). Null — and the
    /// call stays a call gate, its pullback called going back — for any other body, a [NoDiff] parameter, or a body that
    /// cannot be read here (its own errors are reported at its declaration).
    /// </summary>
    private Expr? ReadExpressionHelper(IInvocationOperation invocation, IMethodSymbol method, List<IArgumentOperation> arguments)
    {
        if (StaticNumberBody(method, p => KnownTypes.Keyword(p.Type) is not null && !KnownTypes.HasAttribute(p, KnownTypes.NoDiffAttribute)) is not { } body
            || body.Operations.Length != 1 || body.Operations[0] is not IReturnOperation { ReturnedValue: not null })
        {
            return null;
        }

        if (ReadOrUndo(() => ParseInlined(invocation, body, method.Parameters, arguments)) is not { } value)
        {
            return null;
        }

        if (_effects is null || _sometimes > 0 || value is VariableExpr or LiteralExpr || AssignedWhole(invocation))
        {
            return value;
        }

        // Held in a local named after the method, as its call's result would be: sigmoid = 1 / (1 + Math.Exp(-s)) (where
        // the call is all a variable is given, that variable names it, and no second local holds the same value).
        var type = KnownTypes.Of(method.ReturnType);
        var local = context.NewLocal(char.ToLowerInvariant(method.Name[0]) + method.Name.Substring(1), type);
        _effects.Add(new AssignStmt(new VariableExpr(local, type), value, Declares: true));
        return Read(new VariableExpr(local, type));
    }

    /// <summary>How many helpers read in place (a void helper filling a span, a helper passed a slice) are being read now.</summary>
    public int ReadingHelpers { get; set; }

    /// <summary>
    /// A [Differentiable] method called inside a helper read in place (BA's <c>Dot(axis, point)</c> in the rotation) is read
    /// in place too, where it always runs: its gates join the caller's, and no call and pullback run per use (BA's Jacobian
    /// about 4 % faster). Null — the call stays a call gate — where it cannot be read (its reasons are not reported: the call works).
    /// </summary>
    private Expr? ReadInReadHelper(IInvocationOperation invocation)
    {
        if (ReadingHelpers == 0 || _effects is null || _sometimes > 0 || HelperReader is null || invocation.TargetMethod.ReturnsVoid)
        {
            return null;
        }

        return ReadOrUndo(() => ParseValueHelper(invocation, "is called in a helper read in place"));
    }

    /// <summary>True while the method's own body is parsed inside a loop (set by the statement parser).</summary>
    public System.Func<bool>? InLoop { get; set; }

    /// <summary>
    /// A [Differentiable] static method that is one loop calling nothing, between declaring its locals and returning (a
    /// sum: GMM's <c>SquaredNorm(v)</c>, a <c>Dot(a, b)</c>), called in a loop of the method, is read in place where it
    /// always runs: its loop joins the caller's, where the JIT would not inline a method with a loop — ADBench GMM at
    /// d = 2, K = 5 called it once per component and point, and its gradient took 1.29× Manual's time with the call, 0.93×
    /// with the loop written in its place (Zen 3, AVX2). Null — the call stays a call gate — where it cannot be read.
    /// </summary>
    private Expr? ReadSumLoopHelper(IInvocationOperation invocation, IMethodSymbol method)
    {
        if (InLoop?.Invoke() != true || _effects is null || _sometimes > 0 || HelperReader is null || !IsSumLoop(method))
        {
            return null;
        }

        return ReadOrUndo(() => ParseValueHelper(invocation, "is a loop read in place"));
    }

    /// <summary>
    /// True for a static, non-generic method returning a number, of number, array and span parameters passed by value, whose
    /// body declares locals, runs one <c>for</c> loop that calls nothing, and returns.
    /// </summary>
    private bool IsSumLoop(IMethodSymbol method)
    {
        if (StaticNumberBody(method, p => KnownTypes.Keyword(p.Type) is not null || KnownTypes.SequenceElement(p.Type) is not null) is not { } body)
        {
            return false;
        }

        var operations = body.Operations;
        return operations.Length is >= 2 and <= 3
            && operations[operations.Length - 1] is IReturnOperation { ReturnedValue: not null }
            && operations.Count(o => o is IForLoopOperation) == 1
            && operations.All(o => o is IForLoopOperation or IVariableDeclarationGroupOperation or IReturnOperation)
            && operations.OfType<IForLoopOperation>().Single().Body.Descendants().All(o => o is not (IInvocationOperation or ILoopOperation));
    }

    /// <summary>
    /// The body of a static, non-generic method returning a number whose parameters are all passed by value and
    /// <paramref name="takes"/> accepts, when it is in source and not being read in place already (a call of itself); else null.
    /// </summary>
    private IBlockOperation? StaticNumberBody(IMethodSymbol method, System.Func<IParameterSymbol, bool> takes) =>
        method.IsStatic && !method.IsGenericMethod && KnownTypes.Keyword(method.ReturnType) is not null && context.Compilation is { } compilation
        && method.Parameters.All(p => p.RefKind == RefKind.None && takes(p))
        && MethodParser.BodyOf(method, compilation, context.CancellationToken) is { } body && !IsBeingInlined(body)
            ? body
            : null;

    /// <summary>
    /// An attempt to read a call in place: where it fails (null, or it reported a problem or met a call without a
    /// derivative), everything it recorded is undone — diagnostics, calls without derivative, staged effects, reads, the
    /// helper's locals (fuzz seed 51205: forward mode declared them unused, CS0219) — and the result is null, so that the
    /// caller can read the call another way.
    /// </summary>
    private Expr? ReadOrUndo(System.Func<Expr?> read)
    {
        var (reported, opaque, effects, reads) = (context.Diagnostics.Count, context.CallsWithoutDerivative.Count, _effects?.Count ?? 0, new HashSet<string>(_reads));
        var locals = context.Locals.Count;
        var value = read();
        if (value is not null && context.Diagnostics.Count == reported && context.CallsWithoutDerivative.Count == opaque)
        {
            return value;
        }

        context.Diagnostics.RemoveRange(reported, context.Diagnostics.Count - reported);
        context.CallsWithoutDerivative.RemoveRange(opaque, context.CallsWithoutDerivative.Count - opaque);
        _effects?.RemoveRange(effects, _effects.Count - effects);
        context.Locals.RemoveRange(locals, context.Locals.Count - locals);
        _reads = reads;
        return null;
    }

    /// <summary>True when the call is all that a declaration or assignment gives its variable (<c>double f = Sigmoid(z);</c>).</summary>
    private static bool AssignedWhole(IOperation call)
    {
        var value = call.Parent is IConversionOperation { IsImplicit: true } conversion ? conversion : call;
        return value.Parent is IVariableInitializerOperation || value.Parent is ISimpleAssignmentOperation assignment && assignment.Value == value;
    }

    /// <summary>
    /// A helper that returns a value and works through a ref or out argument (<c>temp = Modify(ref i, ref j)</c>), or a
    /// [Differentiable] method passed a span slice (<c>Dot(x.AsSpan(1), w)</c>: a slice has no adjoint of its own): read in
    /// place, its statements staged ahead of this one — which needs a place where effects can be staged, and nothing read
    /// earlier in the statement that the helper writes (C# read it before the call).
    /// </summary>
    private Expr? ParseValueHelper(IInvocationOperation invocation, string why) => ParseValueHelper(CallSite.Of(invocation), why);

    private Expr? ParseValueHelper(CallSite invocation, string why)
    {
        var name = invocation.TargetMethod.Name;
        if (_effects is null || _sometimes > 0 || HelperReader is null)
        {
            context.Unsupported(invocation.Syntax, $"'{name}' {why}, so it is read in place, which it can be only where it always runs: call it in a statement of its own, or where it is not in a branch of '?:' or the right side of '&&' or '||'");
            return null;
        }

        var readBefore = new HashSet<string>(_reads);
        if (HelperReader(invocation, _effects) is not var (value, written))
        {
            return null;
        }

        if (written.FirstOrDefault(readBefore.Contains) is { } conflict)
        {
            context.Unsupported(invocation.Syntax, $"'{conflict}' is read earlier in the same statement, and C# gives that read the value from before '{name}' changes it; copy it into a local first, or call '{name}' in a statement of its own before this one");
            return null;
        }

        _reads = new HashSet<string>(readBefore.Concat(written));
        return value is VariableExpr variable ? Read(variable) : value;
    }

    /// <summary>A scalar function the user gave a derivative rule: the forward calls it, the backward calls its rule.</summary>
    /// <summary>
    /// A static function of generic math on T (<c>T.Sin(x)</c>, <c>T.CreateChecked(0.5)</c>): a Math function of T's own, or a
    /// constant made from a number; a value converted from something else that takes no gradient is a value of T like any other.
    /// </summary>
    private Expr? ParseGenericMath(IInvocationOperation invocation, IMethodSymbol method, List<IArgumentOperation> arguments)
    {
        var type = KnownTypes.Keyword(method.ReturnType)!;
        if (method.Name is "CreateChecked" or "CreateTruncating" or "CreateSaturating" && arguments.Count == 1)
        {
            var value = arguments[0].Value is IConversionOperation { IsImplicit: true } boxed ? boxed.Operand : arguments[0].Value;
            if (value.ConstantValue.HasValue)
            {
                return new LiteralExpr($"{type.Name}.{method.Name}({ConstantText(value)})", type);
            }

            var converted = Parse(value);
            if (converted is null)
            {
                return null;
            }

            if (converted.IsFloating && converted.Type != type)
            {
                context.Unsupported(invocation.Syntax, $"a value that may carry gradient cannot be converted to {type}: keep the computation in {type} (T.CreateChecked of a constant or a count is fine)");
                return null;
            }

            return converted.Type == type ? converted : new OpaqueCallExpr($"{type.Name}.{method.Name}", EquatableArray.Of(converted), type);
        }

        if (GateRules.Supports(method.Name, method.Parameters.Length) && method.Parameters.All(p => SymbolEqualityComparer.Default.Equals(p.Type, method.ReturnType)))
        {
            var args = ParseAll(arguments.Select(a => a.Value));
            return args is null ? null : new MathCallExpr(type.Name!, method.Name, args.ToEquatableArray(), type);
        }

        context.Unsupported(invocation.Syntax, $"{type}.{method.Name} has no derivative rule; the functions of generic math that differentiate are those of System.Math (T.Sin, T.Exp, T.Sqrt, T.Pow, T.Max…) and T.CreateChecked of a constant");
        return null;
    }

    private Expr? ParseRuleCall(IInvocationOperation invocation, IMethodSymbol method, List<IArgumentOperation> arguments)
    {
        if (!method.IsStatic || method.IsGenericMethod || KnownTypes.Keyword(method.ReturnType) is not { Kind: DataKind.Double or DataKind.Float }
            || method.Parameters.Any(p => p.RefKind != RefKind.None || KnownTypes.SequenceElement(p.Type) is not null || KnownTypes.IsTensor(p.Type)))
        {
            context.Unsupported(invocation.Syntax, "in scalar code, a function with a derivative rule must be static, not generic, return double or float and take values (use tensor code for Tensor functions)");
            return null;
        }

        if (DerivativeRules.Find(method, invocation.Syntax, context) is not { } rule)
        {
            return null;
        }

        if (rule.Residual is not null)
        {
            context.Unsupported(invocation.Syntax, "a derivative rule that takes a residual from its forward companion (Forward = …) is supported in tensor code only");
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

        return new UserCallExpr(KnownTypes.Qualified(method.ContainingType), method.Name, parsed.ToEquatableArray(), KnownTypes.Keyword(method.ReturnType)!, rule.Callee);
    }

    private Expr? ParseDifferentiableCall(IInvocationOperation invocation, IMethodSymbol method, List<IArgumentOperation> arguments)
    {
        // A generic one (Square<T>(x) from generic code over T, Square(x) or Square<double>(x) from code over double):
        // its generated members are generic too, called with the type argument spelled out.
        var generic = method.IsGenericMethod && MethodParser.GenericOf(method.OriginalDefinition) is not null && KnownTypes.IsFloating(method.TypeArguments[0]);
        if (method.IsGenericMethod && !generic || !KnownTypes.IsFloating(method.ReturnType))
        {
            context.Unsupported(invocation.Syntax, "only [Differentiable] methods returning double or float (or T, generic over floating point) can be called");
            return null;
        }

        var facts = context.Compilation is { } compilation ? MethodParser.FactsOf(method.OriginalDefinition, compilation, context.CancellationToken) : CalleeFacts.Sound;
        if (facts.HasErrors)
        {
            // Clad's FunctionCalls.C fn2 and fn5, ported: the generated code called modify2Backward, which was never generated.
            context.Unsupported(invocation.Syntax, $"'{method.Name}' has errors of its own (see them at its declaration), so it has no derivative to call yet");
            return null;
        }

        string receiver;
        if (method.IsStatic)
        {
            receiver = KnownTypes.Qualified(method.ContainingType);
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
            var value = argument.Value is IConversionOperation { IsImplicit: true } spanConversion // double[] or Span<double> to ReadOnlySpan<double>
                && spanConversion.Operand.Type is { } from && KnownTypes.SequenceElement(from) is not null && !SymbolEqualityComparer.Default.Equals(from, spanConversion.Type)
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

        return new UserCallExpr(receiver, method.Name, parsed.ToEquatableArray(), KnownTypes.Keyword(method.ReturnType)!)
        {
            FirstOrderRule = facts.FirstOrderRule,
            TypeArgument = generic ? KnownTypes.Of(method.TypeArguments[0]) : null,
        };
    }

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
}
