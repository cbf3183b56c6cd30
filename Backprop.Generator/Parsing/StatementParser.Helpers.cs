using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Helpers — a <c>[Differentiable]</c> method that returns nothing or takes a <c>ref</c>/<c>out</c> parameter, or a void
/// local function with a block body — work through their arguments (<c>Normalize(v)</c> scales the array it is given,
/// <c>Swap(ref a, ref b)</c>). A call of one is read in place: the helper's statements join the caller's, its array and
/// span parameters name the caller's arrays, its <c>ref</c>/<c>out</c> parameters the caller's variables, and its value
/// parameters become locals of their own, assigned the argument where C# evaluates it; a result is kept in a local.
/// </summary>
internal sealed partial class StatementParser
{
    /// <summary>The helpers being read in place, outermost first: one that calls itself cannot be.</summary>
    private readonly List<IMethodSymbol> _helpers = [];

    /// <summary>The bodies of the helpers being read in place (a local's reassignments are looked for there too).</summary>
    private readonly List<IBlockOperation> _helperBodies = [];

    /// <summary>True while the body of a void helper itself is parsed (it is checked where it is declared).</summary>
    private bool _parsingHelper;

    /// <summary>After <see cref="ParseHelperBody"/>: the values a helper's final return gives, one per tuple element (null for others).</summary>
    public List<Expr>? Results { get; private set; }

    /// <summary>
    /// Parses a void helper's own body, for its errors (its arrays, spans and ref parameters are its to write); returns its
    /// statements, the body of a vector-valued function.
    /// </summary>
    public List<Stmt> ParseHelperBody(IBlockOperation body, IMethodSymbol helper)
    {
        _expressions.HelperReader = ReadValueHelper;
        _expressions.PartsReader = PartValues;
        _body = body;
        _parsingHelper = true;
        _helpers.Add(helper); // a call of itself is recursion, reported where it stands
        context.CollectLocalFunctions(body);
        foreach (var parameter in helper.Parameters.Where(p => p.RefKind is RefKind.Ref or RefKind.Out || KnownTypes.SequenceElement(p.Type) is not null))
        {
            context.WritableParameters.Add(parameter);
        }

        // A struct parameter is read field by field (p.X), as where a call passes it one; so is 'this' of a struct's method.
        if (IsStructMethod(helper))
        {
            _expressions.ThisParts = FieldLocals("this", StructTypes.Fields(helper.ContainingType, out _)!);
        }

        foreach (var parameter in helper.Parameters)
        {
            if (StructTypes.Fields(parameter.Type, out _) is { } fields)
            {
                _expressions.BindParts(parameter, FieldLocals(parameter.Name, fields));
            }
        }

        var statements = new List<Stmt>();
        foreach (var operation in body.Operations)
        {
            ParseInto(operation, statements);
        }

        return statements;
    }

    /// <summary>
    /// True for a [Differentiable] method that is a helper read in place: it returns nothing, or it takes a <c>ref</c> or
    /// <c>out</c> parameter (a value it hands back besides its result), so it works through its arguments.
    /// </summary>
    public static bool IsHelper(IMethodSymbol method) =>
        method.ReturnsVoid || method.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out) || ReturnsTuple(method) || ReturnsStruct(method)
        || IsStructMethod(method) && !method.ContainingType.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax { Modifiers: var modifiers } && modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>True for an instance method of a struct that may change the struct (not <c>readonly</c>, nor of a <c>readonly struct</c>).</summary>
    private static bool MayChange(IMethodSymbol method) => IsStructMethod(method) && !method.IsReadOnly && !method.ContainingType.IsReadOnly;

    /// <summary>
    /// True for an instance method of a struct of numbers (<c>v.Length()</c>): read in place where it is called on a
    /// struct, <c>this</c> that struct. (In a partial struct it is also differentiated on its own, its fields constants.)
    /// </summary>
    public static bool IsStructMethod(IMethodSymbol method) =>
        !method.IsStatic && method.MethodKind == MethodKind.Ordinary && StructTypes.Fields(method.ContainingType, out _) is not null;

    /// <summary>True for a method that returns a struct of numbers: a helper whose result a struct local takes.</summary>
    public static bool ReturnsStruct(IMethodSymbol method) => StructTypes.Fields(method.ReturnType, out _) is not null;

    /// <summary>True for a method that takes a struct of numbers that carries a gradient: a call of it is read in place (a struct has no one variable to hand its …Backward).</summary>
    public static bool TakesStruct(IMethodSymbol method) =>
        method.Parameters.Any(p => StructTypes.Fields(p.Type, out _) is not null && !KnownTypes.HasAttribute(p, KnownTypes.NoDiffAttribute));

    /// <summary>True for a method that returns a tuple of numbers or bools: a helper whose results a deconstruction takes.</summary>
    public static bool ReturnsTuple(IMethodSymbol method) => method.ReturnType.IsTupleType && StructTypes.Parts(method.ReturnType) is not null;

    /// <summary>True for a call of a helper whose body can be read: a [Differentiable] method in source, a void local function with a block body.</summary>
    private bool IsHelperCall(IInvocationOperation invocation) =>
        invocation.TargetMethod.ReturnsVoid && context.LocalFunctionBody(invocation.TargetMethod) is not null
        || invocation.TargetMethod.MethodKind == MethodKind.Ordinary
            && (IsHelper(invocation.TargetMethod) || IsStructMethod(invocation.TargetMethod) && invocation.Instance is not IInstanceReferenceOperation)
            && KnownTypes.HasAttribute(invocation.TargetMethod.OriginalDefinition, KnownTypes.DifferentiableAttribute);

    /// <summary>True for a user-defined operator marked [Differentiable] (<c>a + b</c> on a struct): read in place, as a helper is.</summary>
    public static bool IsDifferentiableOperator(IMethodSymbol? method) =>
        method is { MethodKind: MethodKind.UserDefinedOperator } && KnownTypes.HasAttribute(method.OriginalDefinition, KnownTypes.DifferentiableAttribute);

    /// <summary>
    /// A helper that returns a value, called inside an expression (<c>temp = Modify(ref i, ref j)</c>): its statements
    /// are staged into <paramref name="effects"/> ahead of the statement, and its result is kept in a local of its own.
    /// Returns the value and the variables and arrays the helper may write (null after reporting why it cannot be read).
    /// </summary>
    private (Expr Value, HashSet<string> Written)? ReadValueHelper(CallSite call, List<Stmt> effects) =>
        ParseHelperCall(call, effects, keepValue: true, out var values, out var written) && values.Count == 1 ? (values[0], written) : null;

    /// <summary>
    /// Reads a call of a helper in place into <paramref name="into"/>; false after reporting why it cannot be read.
    /// <paramref name="result"/> is the helper's result (kept in a local when <paramref name="keepValue"/>; null for a void
    /// helper); <paramref name="written"/> the caller's variables and arrays it may write (ref arguments, writable arrays).
    /// </summary>
    private bool ParseHelperCall(CallSite invocation, List<Stmt> into, bool keepValue, out IReadOnlyList<Expr> results, out HashSet<string> written)
    {
        results = [];
        written = [];
        var callee = invocation.TargetMethod.OriginalDefinition;
        var isLocal = callee.MethodKind == MethodKind.LocalFunction;
        var name = callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        var body = isLocal ? context.LocalFunctionBody(callee) : BodyOf(callee);
        var problem = callee switch
        {
            _ when _helpers.Contains(callee, SymbolEqualityComparer.Default) => "it calls itself, and a helper read in place cannot be recursive",
            { IsGenericMethod: true } => "generic helpers are not supported",
            { IsStatic: false } when !isLocal && !IsStructMethod(callee) => "a helper must be static (an instance method works on state Backprop cannot follow)",
            _ when body is null => "its source must be in this project",
            _ when invocation.Arguments.Any(a => a.IsParamArray) => "pass every argument explicitly (no params array)",
            _ when EarlyReturns(body!).Any() =>
                "it returns before its end; a helper read in place may return only as its last statement (use if/else instead)",
            _ => null,
        };
        if (problem is not null)
        {
            context.Unsupported(invocation.Syntax, $"'{name}' cannot be read in place: {problem}");
            return false;
        }

        // An instance method of a struct: 'this' is the struct it is called on (its writes are the caller's, as in C#),
        // evaluated before the arguments, as C# evaluates the receiver first.
        var outerThis = _expressions.ThisParts;
        IReadOnlyList<Expr>? instance = null;
        if (IsStructMethod(callee))
        {
            instance = invocation.Instance is { } given ? _expressions.PartsOf(given) ?? PartValues(given, into) : null;
            if (instance is null)
            {
                return false;
            }

            if (MayChange(callee) && instance.Any(part => part is not VariableExpr))
            {
                // A method that may change 'this', called on a value that is no variable (a given struct, a constant): on a copy.
                instance = CopiedIntoFieldLocals("this", StructTypes.Fields(callee.ContainingType, out _)!, instance, into);
            }
        }

        var bound = BindArguments(invocation, name, body!, into);
        if (bound is null)
        {
            return false;
        }

        if (instance is not null)
        {
            _expressions.ThisParts = instance;
        }

        NameHelperLocals(body!);
        if (!isLocal)
        {
            context.CollectLocalFunctions(body!);
        }

        var reported = context.Diagnostics.Count;
        _helpers.Add(callee);
        _helperBodies.Add(body!);
        _expressions.ReadingHelpers++;
        foreach (var operation in WithoutFinalReturn(body!))
        {
            ParseInto(operation, into);
        }

        _expressions.ReadingHelpers--;

        // The result: its effects staged (return x *= 2), its value kept in a local when the caller uses it — one per
        // element for a tuple (statsMean, statsVar) or a struct (stepX, stepV).
        if (FinalReturn(body!) is { ReturnedValue: { } returned })
        {
            var parts = callee.ReturnType is INamedTypeSymbol { IsTupleType: true } named ? named.TupleElements.Select(e => (e.Name, e.Type)).ToList()
                : StructTypes.Fields(callee.ReturnType, out _);
            var values = parts is not null ? PartValues(returned, into)
                : _expressions.Staging(into, () => _expressions.Parse(returned)) is { } single ? [single]
                : null;
            if (values is not null && keepValue)
            {
                var kept = new List<Expr>();
                for (var i = 0; i < values.Count; i++)
                {
                    if (values[i] is LiteralExpr || values[i] is VariableExpr array && ParseContext.IsArrayPart(array))
                    {
                        kept.Add(values[i]); // a constant, or an array field: the array it holds
                        continue;
                    }

                    var type = KnownTypes.Of(parts is null ? callee.ReturnType : parts[i].Type);
                    var local = context.NewLocal(Identifier.Part(ResultName(callee), parts is null ? "Result" : parts[i].Name), type);
                    into.Add(new AssignStmt(new VariableExpr(local, type), values[i], Declares: true));
                    kept.Add(new VariableExpr(local, type));
                }

                values = kept;
            }

            results = values ?? [];
        }

        written = new HashSet<string>(bound.Where(p => p.RefKind is RefKind.Ref or RefKind.Out || KnownTypes.SequenceElement(p.Type) is not null && p.Type.Name != "ReadOnlySpan")
            .Select(p => _expressions.BoundTo(p)).OfType<string>());
        _helpers.RemoveAt(_helpers.Count - 1);
        _helperBodies.RemoveAt(_helperBodies.Count - 1);
        _expressions.ThisParts = outerThis;
        foreach (var parameter in bound)
        {
            _expressions.Unbind(parameter);
        }

        if (!isLocal && context.Diagnostics.Count > reported)
        {
            // The helper's own problems are reported at its declaration; here, one message says why this call cannot be read.
            var first = context.Diagnostics[reported].ToDiagnostic();
            context.Diagnostics.RemoveRange(reported, context.Diagnostics.Count - reported);
            var where = first.Location.GetLineSpan();
            context.Unsupported(invocation.Syntax, $"'{name}' cannot be read in place here: its body has an error ({System.IO.Path.GetFileName(where.Path)}, line {where.StartLinePosition.Line + 1}): {first.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            return false;
        }

        return true;
    }

    /// <summary>What a helper's result locals are named after: the method (<c>step</c>), or what an operator makes (<c>sum</c>, <c>product</c>).</summary>
    /// <remarks>An operator's definition (<c>op_Addition</c>) is named as the operator; a constructor's (<c>New</c>) after the type it makes (<c>vector3</c>).</remarks>
    private static string ResultName(IMethodSymbol callee) => callee.Name switch
    {
        "op_Addition" => "sum",
        "op_Subtraction" => "difference",
        "op_Multiply" => "product",
        "op_Division" => "quotient",
        "op_UnaryNegation" => "negated",
        var other when other.StartsWith("op_", System.StringComparison.Ordinal) => other.Substring(3).ToLowerInvariant(),
        Definitions.ConstructorName when callee.ReturnType is { Name: { Length: > 0 } made } => char.ToLowerInvariant(made[0]) + made.Substring(1),
        var other => char.ToLowerInvariant(other[0]) + other.Substring(1),
    };

    /// <summary>
    /// Binds each parameter of the helper to what the call passes; value arguments are evaluated here, in order, into
    /// locals named after the parameters. Returns the parameters bound, or null after reporting why a call cannot be read.
    /// Every argument is evaluated before any parameter is bound: an argument may call the same helper
    /// (<c>a + (b + c)</c> with an operator read in place), whose reading binds and unbinds the same parameters.
    /// </summary>
    private List<IParameterSymbol>? BindArguments(CallSite invocation, string name, IBlockOperation body, List<Stmt> into)
    {
        var bindings = new List<(IParameterSymbol Parameter, System.Action Bind)>();
        var byReference = invocation.Arguments.Where(a => a.Parameter!.RefKind is RefKind.Ref or RefKind.Out).Select(a => KnownTypes.Unwrap(a.Value)).ToList();
        foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter!.Ordinal))
        {
            var parameter = argument.Parameter!.OriginalDefinition;
            var value = argument.Value switch
            {
                // double[] to Span<double>: a user-defined conversion, or C# 14's span conversion.
                IConversionOperation { IsImplicit: true } span when KnownTypes.SequenceElement(span.Operand.Type!) is not null => span.Operand,
                IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } => declared, // out double r
                _ => argument.Value,
            };
            Expr? target;
            bool writable;
            Sequence? window = null;
            if (KnownTypes.SequenceElement(parameter.Type) is not null)
            {
                var reported = context.Diagnostics.Count;
                if (_expressions.Staging(into, () => _expressions.SequenceOf(value)) is not { } sequence)
                {
                    if (context.Diagnostics.Count == reported)
                    {
                        context.Unsupported(argument.Syntax, $"pass '{name}' an array or span parameter or local, or a slice of one");
                    }

                    return Unbound();
                }

                target = new VariableExpr(sequence.Array, KnownTypes.Of(parameter.Type));
                window = sequence.IsWhole ? null : sequence;
                writable = sequence.Writable;
                if (!writable && WritesElements(parameter))
                {
                    context.Report(DiagnosticDescriptors.WriteOutsideMethod, invocation.Syntax, Text(invocation.Syntax),
                        $"the array it was given ('{invocation.TargetMethod.Name}' writes into its parameter '{parameter.Name}'; pass it a local array, a copy)");
                    return Unbound();
                }
            }
            else if (parameter.RefKind is RefKind.Ref or RefKind.Out)
            {
                target = _expressions.ParseTarget(value);
                if (target is ElementExpr { Index: not (LiteralExpr or VariableExpr) })
                {
                    context.Unsupported(argument.Syntax, $"pass '{name}' an element whose index is a variable or a constant (compute the index into a local first)");
                    return Unbound();
                }

                writable = true;
            }
            else if (StructTypes.Fields(parameter.Type, out _) is { } fields)
            {
                if (StructArgument(parameter, fields, value, keepCopy: Assigns(parameter) || byReference.Count > 0, into) is not { } parts)
                {
                    return Unbound();
                }

                bindings.Add((parameter, () => _expressions.BindParts(parameter, parts)));
                continue;
            }
            else if (!KnownTypes.IsSupportedLocal(parameter.Type))
            {
                context.Unsupported(argument.Syntax, $"'{name}' takes '{parameter.Name}' as {parameter.Type.ToDisplayString(KnownTypes.Short)}; a helper read in place takes numbers, bools, arrays and spans of double or float, and ref or out numbers");
                return Unbound();
            }
            else
            {
                // The helper may assign its parameter, and a ref argument may change the variable passed here: a copy.
                var parsed = _expressions.Staging(into, () => _expressions.Parse(value));
                if (parsed is null)
                {
                    return Unbound();
                }

                var type = KnownTypes.Of(parameter.Type);
                if (parsed is LiteralExpr || parsed is VariableExpr && !Assigns(parameter) && !byReference.Any(r => SameVariable(r, value)))
                {
                    target = parsed;
                    writable = false;
                }
                else
                {
                    var local = context.NewLocal(Identifier.Bare(parameter.Name), type);
                    into.Add(new AssignStmt(new VariableExpr(local, type), parsed, Declares: true));
                    target = new VariableExpr(local, type);
                    writable = true;
                }
            }

            if (target is null)
            {
                return Unbound();
            }

            if (window is not null)
            {
                var fixedWindow = Fixed(window, parameter.Name, into);
                bindings.Add((parameter, () => _expressions.BindWindow(parameter, fixedWindow)));
            }
            else
            {
                bindings.Add((parameter, () => _expressions.Bind(parameter, target, writable)));
            }
        }

        foreach (var (_, bind) in bindings)
        {
            bind();
        }

        return bindings.Select(b => b.Parameter).ToList();

        static List<IParameterSymbol>? Unbound() => null; // nothing is bound before every argument has been read

        // The parameter itself, a field of a struct parameter (p.X = …), or a struct parameter a method of it may change (p.Scale(2)).
        bool Assigns(IParameterSymbol parameter) => Writes(parameter, target => Refers(target, parameter) || target is IMemberReferenceOperation { Instance: var instance } && Refers(instance, parameter))
            || body.Descendants().OfType<IInvocationOperation>().Any(call => MayChange(call.TargetMethod) && Refers(call.Instance, parameter));

        // Element by element, or by passing it on to a call that takes an array or a (writable) span.
        bool WritesElements(IParameterSymbol parameter) =>
            Writes(parameter, target => target switch
            {
                IArrayElementReferenceOperation element => Refers(element.ArrayReference, parameter),
                IPropertyReferenceOperation { Property.IsIndexer: true } indexer => Refers(indexer.Instance, parameter),
                IImplicitIndexerReferenceOperation indexer => Refers(indexer.Instance, parameter),
                _ => false,
            })
            || body.Descendants().OfType<IArgumentOperation>().Any(a =>
                a.Parameter is { Type: var type } && (type is IArrayTypeSymbol || type.Name == "Span") && Refers(a.Value, parameter));

        bool Writes(IParameterSymbol parameter, System.Func<IOperation, bool> isWritten) =>
            body.Descendants().Any(o => o switch
            {
                IAssignmentOperation assignment => isWritten(assignment.Target),
                IIncrementOrDecrementOperation increment => isWritten(increment.Target),
                _ => false,
            });
    }

    private static bool Refers(IOperation? operation, IParameterSymbol parameter) =>
        operation is not null && KnownTypes.Unwrap(operation) is IParameterReferenceOperation { Parameter: var p } && SymbolEqualityComparer.Default.Equals(p, parameter);

    private static bool SameVariable(IOperation reference, IOperation value) => (reference, KnownTypes.Unwrap(value)) switch
    {
        (ILocalReferenceOperation a, ILocalReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Local, b.Local),
        (IParameterReferenceOperation a, IParameterReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Parameter, b.Parameter),
        _ => false,
    };

    /// <summary>Names the helper's locals for this reading of it: counted-loop variables keep that role.</summary>
    private void NameHelperLocals(IBlockOperation body)
    {
        var counted = new HashSet<ILocalSymbol>(
            body.Descendants().OfType<IForLoopOperation>().Select(CountedLoop.Match).Where(m => m is not null).Select(m => m!.Variable),
            SymbolEqualityComparer.Default);
        var assigned = MethodParser.AssignedLocals(body);
        foreach (var (local, declarator) in MethodParser.DeclaredLocals(body))
        {
            if (local.IsConst || local.Type.TypeKind == TypeKind.Delegate)
            {
                continue;
            }

            MethodParser.DeclareIfStackArray(local, MethodParser.InitializerOf(declarator), assigned, context); // as in the method itself

            // A tuple or struct local is a local per element or field, as in the method itself.
            if (!local.IsRef && StructTypes.Parts(local.Type) is { } parts)
            {
                if (StructTypes.ArrayFieldReason(parts) is { } reason && !MethodParser.KeepsItsArrays(local, MethodParser.InitializerOf(declarator), assigned, body))
                {
                    context.Unsupported(declarator?.Syntax ?? body.Syntax, $"a local of type '{local.Type.ToDisplayString(KnownTypes.Short)}' is not supported: {reason}");
                    context.RejectedStructs.Add(local);
                    continue;
                }

                context.NameParts(local, parts.Select(p => new VariableExpr(Identifier.Escape(context.InlinedName(Identifier.Part(local.Name, p.Name))), KnownTypes.Of(p.Type))).ToList());
                continue;
            }

            context.NameInlinedLocal(local, counted.Contains(local));
        }
    }

    private IBlockOperation? BodyOf(IMethodSymbol method) =>
        context.Compilation is { } compilation ? MethodParser.BodyOf(method, compilation, context.CancellationToken) : null;

    /// <summary>The body's statements but the <c>return</c> that ends it.</summary>
    private static IEnumerable<IOperation> WithoutFinalReturn(IBlockOperation body) =>
        FinalReturn(body) is null ? body.Operations : body.Operations.Take(body.Operations.Length - 1);

    private static IReturnOperation? FinalReturn(IBlockOperation body) => body.Operations.LastOrDefault() as IReturnOperation;

    /// <summary>The returns of <paramref name="body"/> other than its last statement (those of its local functions and lambdas aside).</summary>
    public static IEnumerable<IReturnOperation> EarlyReturns(IBlockOperation body) =>
        body.Descendants().OfType<IReturnOperation>().Where(r => !InLocalFunction(r, body) && r != FinalReturn(body));

    /// <summary>True for the statement that ends the body being parsed (a helper's own body: its final return).</summary>
    private bool IsFinal(IOperation operation) => _body is not null && _body.Operations.LastOrDefault() == operation;

    /// <summary>True when <paramref name="operation"/> belongs to a local function or lambda declared inside <paramref name="body"/>.</summary>
    private static bool InLocalFunction(IOperation operation, IBlockOperation body)
    {
        for (var parent = operation.Parent; parent is not null && parent != body; parent = parent.Parent)
        {
            if (parent is ILocalFunctionOperation or IAnonymousFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }
}
