using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Reads a [Differentiable] method into a <see cref="MethodModel"/>; the only stage that sees symbols and syntax.</summary>
internal static class MethodParser
{
    public static ParseResult ParseSafely(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return Parse((MethodDeclarationSyntax)context.TargetNode, (IMethodSymbol)context.TargetSymbol, context.SemanticModel, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, context.TargetNode.GetLocation(),
                context.TargetSymbol.Name, $"{e.GetType().Name} while parsing: {e.Message}");
            return new ParseResult(null, new[] { diagnostic }.ToEquatableArray());
        }
    }

    /// <summary>The [Differentiable] methods whose errors are being looked for on this thread (a call cycle ends there).</summary>
    [ThreadStatic]
    private static HashSet<IMethodSymbol>? s_checking;

    /// <summary>How often, on this thread, a cycle was cut by assuming a method sound: an answer that relied on it is not kept.</summary>
    [ThreadStatic]
    private static int s_assumptions;

    /// <summary>Per compilation, what is known of each callee: each is parsed once, not once per caller.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, CalleeFacts>> s_known = new();

    /// <summary>
    /// What a caller needs to know of the [Differentiable] method <paramref name="callee"/>: whether it has errors of its
    /// own, so nothing is generated for it and a call of its derivative would not compile (Clad's FunctionCalls.C fn5,
    /// ported); and which first-order [DerivativeRule] it reaches, if any, so it has no second derivative. Its body is
    /// parsed again, as the generator parses it, once per compilation; a method already being checked up the call chain
    /// counts as sound (and an answer that relied on that is not kept).
    /// </summary>
    public static CalleeFacts FactsOf(IMethodSymbol callee, Compilation compilation, CancellationToken cancellationToken)
    {
        var known = s_known.GetValue(compilation, _ => new(SymbolEqualityComparer.Default));
        var method = callee.OriginalDefinition;
        if (known.TryGetValue(method, out var facts))
        {
            return facts;
        }

        s_checking ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax)
        {
            return CalleeFacts.Sound;
        }

        if (!s_checking.Add(method))
        {
            s_assumptions++;
            return CalleeFacts.Sound;
        }

        var assumptions = s_assumptions;
        try
        {
            var result = Parse(syntax, method, compilation.GetSemanticModel(syntax.SyntaxTree), cancellationToken);
            var hasErrors = result.Diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
            facts = new CalleeFacts(hasErrors, result.Method is { } model ? FirstOrderRuleIn(model) : null);
            if (hasErrors || s_assumptions == assumptions)
            {
                known[method] = facts;
            }

            return facts;
        }
        finally
        {
            s_checking.Remove(method);
        }
    }

    /// <summary>"F's rule FBackward" for the first call in <paramref name="model"/> that goes through a [DerivativeRule] (or reaches one).</summary>
    private static string? FirstOrderRuleIn(MethodModel model) =>
        Stmts.All(model.Body).SelectMany(Stmts.ExpressionsOf).SelectMany(Descendants).OfType<UserCallExpr>()
            .Select(call => call.Rule is { } rule ? $"{call.Name}, whose [DerivativeRule] {rule.Substring(rule.LastIndexOf('.') + 1)}" : call.FirstOrderRule)
            .FirstOrDefault(r => r is not null);

    /// <summary><paramref name="expr"/> and every expression inside it.</summary>
    internal static IEnumerable<Expr> Descendants(Expr expr) => new[] { expr }.Concat(expr switch
    {
        ElementExpr e => Descendants(e.Index),
        OpaqueCallExpr call => call.Arguments.SelectMany(Descendants),
        UnaryExpr u => Descendants(u.Operand),
        BinaryExpr b => Descendants(b.Left).Concat(Descendants(b.Right)),
        ConditionalExpr c => Descendants(c.Condition).Concat(Descendants(c.WhenTrue)).Concat(Descendants(c.WhenFalse)),
        CastExpr c => Descendants(c.Operand),
        MathCallExpr m => m.Arguments.SelectMany(Descendants),
        UserCallExpr call => call.Arguments.SelectMany(a => Descendants(a.Value)),
        StopGradientExpr s => Descendants(s.Operand),
        _ => [],
    });

    /// <summary>The body of <paramref name="method"/> when its source is in <paramref name="compilation"/> (a block, or an expression body's).</summary>
    public static IBlockOperation? BodyOf(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is BaseMethodDeclarationSyntax declaration // a method or an operator
        && compilation.GetSemanticModel(declaration.SyntaxTree).GetOperation(declaration, cancellationToken) is IMethodBodyOperation body
            ? body.BlockBody ?? body.ExpressionBody
            : null;

    /// <summary>BP0009 for [Differentiable] on a local function: generated methods need a partial type to live in.</summary>
    public static EquatableArray<DiagnosticInfo> LocalFunctionError(LocalFunctionStatementSyntax syntax) =>
        new[]
        {
            DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMethodShape, syntax.Identifier.GetLocation(), syntax.Identifier.ValueText,
                "[Differentiable] does not apply to local functions (nor to top-level statements): the generated methods need a partial class to live in. Move it into a static partial class as a method"),
        }.ToEquatableArray();

    /// <summary>BP0018 for a definition that stands for no function of the type its class defines.</summary>
    private static EquatableArray<DiagnosticInfo> DefinitionErrors(MethodDeclarationSyntax syntax, IMethodSymbol definition, Compilation compilation)
    {
        var mismatches = Definitions.Classes(compilation)
            .Where(c => SymbolEqualityComparer.Default.Equals(c.Definitions, definition.ContainingType) && c.Type is INamedTypeSymbol)
            .Select(c => Definitions.Mismatch(definition, (INamedTypeSymbol)c.Type))
            .ToList();
        return !definition.IsStatic
            ? new[] { DiagnosticInfo.Create(DiagnosticDescriptors.DefinitionMismatch, syntax.Identifier.GetLocation(), definition.Name, "it is an instance method; a definition is static, an instance member's instance its first parameter") }.ToEquatableArray()
            : mismatches.Count > 0 && mismatches.All(m => m is not null)
            ? new[] { DiagnosticInfo.Create(DiagnosticDescriptors.DefinitionMismatch, syntax.Identifier.GetLocation(), definition.Name, mismatches[0]!) }.ToEquatableArray()
            : EquatableArray<DiagnosticInfo>.Empty;
    }

    private static ParseResult Parse(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (Definitions.IsDefinitionsClass(method.ContainingType, semanticModel.Compilation))
        {
            return new ParseResult(null, DefinitionErrors(syntax, method, semanticModel.Compilation)); // a definition: read in place where its function is called
        }

        var context = new ParseContext(method, cancellationToken) { Compilation = semanticModel.Compilation };
        var containing = StatementParser.IsStructMethod(method) && StatementParser.IsHelper(method) ? null : ReadHierarchy(syntax, method, context); // read in place only: nothing is added to the struct
        CheckShape(syntax, method, context);

        var isHelper = StatementParser.IsHelper(method);
        var parameters = method.Parameters.Select(p => DescribeParameter(p, context, isHelper)).ToList();
        if (isHelper)
        {
            return ParseHelper(syntax, method, semanticModel, context, containing, parameters);
        }

        var structs = TakeStructsApart(method, parameters, context);
        CheckGeneratedNames(syntax, method, parameters, context);

        var body = new List<Stmt>();
        TensorProgram? tensors = null;
        var isTensorCode = false;
        var shapeErrors = context.HasErrors;
        context.Identifiers.UnionWith(syntax.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        if (!shapeErrors && semanticModel.GetOperation(syntax, cancellationToken) is IMethodBodyOperation { } bodyOperation
            && (bodyOperation.BlockBody ?? bodyOperation.ExpressionBody) is { } block)
        {
            isTensorCode = TensorParser.Applies(method, block);
            if (isTensorCode && structs.Count > 0)
            {
                context.Report(DiagnosticDescriptors.UnsupportedParameter, syntax.ParameterList, structs[0].Name, "a struct parameter is not supported in tensor code; take its fields as parameters");
            }
            else if (isTensorCode)
            {
                tensors = new TensorParser(context, method.Parameters.Select(p => p.Name), semanticModel.Compilation).Parse(block, method);
            }
            else
            {
                NameLocals(block, method, context);
                context.Identifiers.UnionWith(context.Locals.Select(l => Identifier.Bare(l.Name)));
                body = new StatementParser(context).ParseBody(block);
            }
        }

        if (containing is null)
        {
            return new ParseResult(null, context.Diagnostics.ToEquatableArray());
        }

        // Every identifier the method mentions, the locals' emitted names and Parse's own locals: generated names keep clear.
        var reserved = context.Identifiers
            .Concat(context.Locals.Select(l => l.Name))
            .Distinct()
            .OrderBy(n => n, StringComparer.Ordinal);

        var model = new MethodModel(
            containing,
            method.Name,
            Modifiers(method),
            KnownTypes.IsTensor(method.ReturnType) ? DataType.Tensor : KnownTypes.Keyword(method.ReturnType)!,
            parameters.ToEquatableArray(),
            string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString())),
            body.ToEquatableArray(),
            context.Locals.ToEquatableArray(),
            reserved.ToEquatableArray(),
            tensors,
            structs.ToEquatableArray())
        {
            Generic = GenericOf(method),
        };
        if (tensors is not null)
        {
            CheckTensorGradientFlow(model, tensors, syntax, context);
        }
        else if (!shapeErrors && !isTensorCode)
        {
            // Even when the body has errors: a call that loses the gradient is worth knowing in the same build.
            CheckGradientFlow(model, syntax, context);
        }

        return new ParseResult(context.HasErrors ? null : model, context.Diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// A void [Differentiable] method, or one with a ref or out parameter, is a helper: it works through its arguments
    /// (an array it fills, a ref it sets) and is read in place where it is called, so nothing is generated for it; its
    /// body is checked here, once, so its errors stand where it is declared.
    /// </summary>
    private static ParseResult ParseHelper(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel semanticModel, ParseContext context, TypeHierarchy? containing, List<ParameterModel> parameters)
    {
        var isVectorFunction = VectorFunctionParser.Applies(method);
        if (isVectorFunction)
        {
            parameters = method.Parameters.Zip(parameters, (symbol, model) => VectorFunctionParser.IsOutput(symbol) ? model with { IsOutput = true } : model).ToList();
            CheckVectorFunctionNames(syntax, method, parameters, context);
        }

        if (!method.IsStatic && !StatementParser.IsStructMethod(method))
        {
            context.Report(DiagnosticDescriptors.UnsupportedMethodShape, syntax.Identifier.GetLocation(), method.Name,
                "a void [Differentiable] method, or one with a ref or out parameter or a tuple or struct result, is a helper read in place where it is called, and must be static (an instance method works on state Backprop cannot follow)");
        }

        // A tuple function gets a vector function's members (…Tangent, …Backward, …Jacobian): no note that nothing is generated.
        if (!method.ReturnsVoid && !VectorFunctionParser.AppliesToTuple(method))
        {
            var (shape, instead) = method switch
            {
                _ when StatementParser.ReturnsTuple(method) => ("returns a tuple", "return one value (a static method that takes values and returns a tuple of doubles or floats gets a vector function's members)"),
                _ when StatementParser.ReturnsStruct(method) => ("returns a struct", "return one number (a struct result is not differentiated on its own yet)"),
                _ when StatementParser.IsStructMethod(method) => ("is an instance method of a struct that is not partial", "declare the struct partial (its fields are then constants to it), or make the method static and take the struct as a parameter"),
                _ => ("takes a ref or out parameter", "return its results instead"),
            };
            context.Report(DiagnosticDescriptors.HelperReadInPlace, syntax.Identifier.GetLocation(), method.Name, shape, instead);
        }

        if (!context.HasErrors && semanticModel.GetOperation(syntax, context.CancellationToken) is IMethodBodyOperation { } bodyOperation
            && (bodyOperation.BlockBody ?? bodyOperation.ExpressionBody) is { } block)
        {
            if (isVectorFunction)
            {
                // Its members are generated: Parse's own locals (a lambda's parameter read in place) keep clear of every
                // identifier of the method, as for any differentiated method (fuzz: 'exp = dx => y' met the tangent dx).
                context.Identifiers.UnionWith(syntax.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
            }

            NameLocals(block, method, context);
            context.Identifiers.UnionWith(context.Locals.Select(l => Identifier.Bare(l.Name)));
            if (isVectorFunction)
            {
                VectorFunctionParser.CheckBody(block, method, context);
            }

            var statements = new StatementParser(context);
            var body = statements.ParseHelperBody(block, method);
            if (isVectorFunction && !context.HasErrors && containing is not null)
            {
                return new ParseResult(VectorFunctionParser.Model(method, parameters, body, containing, Modifiers(method), context), context.Diagnostics.ToEquatableArray());
            }

            // (double R, double Theta) Polar(double x, double y): a vector function whose outputs are the tuple's elements.
            if (VectorFunctionParser.AppliesToTuple(method) && statements.Results is { } results && !context.HasErrors && containing is not null)
            {
                return new ParseResult(VectorFunctionParser.TupleModel(method, parameters, body, results, containing, Modifiers(method), context), context.Diagnostics.ToEquatableArray());
            }
        }

        return new ParseResult(null, context.Diagnostics.ToEquatableArray());
    }

    /// <summary>Tensor code: something must take a gradient (a parameter or a trainable field), and the result must depend on it.</summary>
    private static void CheckTensorGradientFlow(MethodModel model, TensorProgram tensors, MethodDeclarationSyntax syntax, ParseContext context)
    {
        if (!model.Parameters.Any(p => p.HasGradient) && tensors.Fields.Count == 0)
        {
            context.Report(DiagnosticDescriptors.NoDifferentiableParameter, syntax.Identifier.GetLocation(), model.Name);
        }
        else if (!tensors.Result.Active)
        {
            context.Report(DiagnosticDescriptors.ResultIndependentOfParameters, syntax.Identifier.GetLocation(), model.Name);
        }
    }

    /// <summary>The checks that need the whole body: which values carry gradient decides whether a call or a conversion loses it.</summary>
    private static void CheckGradientFlow(MethodModel model, MethodDeclarationSyntax syntax, ParseContext context)
    {
        if (!model.Parameters.Any(p => p.HasGradient))
        {
            context.Report(DiagnosticDescriptors.NoDifferentiableParameter, syntax.Identifier.GetLocation(), model.Name);
            return;
        }

        var activity = Activity.Analyze(model);
        foreach (var (call, location, callee) in context.CallsWithoutDerivative)
        {
            if (call.Arguments.Any(a => activity.IsActive(a) || a is VariableExpr v && activity.IsActiveName(v.Name)))
            {
                context.ReportCallWithoutDerivative(location, callee);
            }
        }

        foreach (var (operand, location, text, target) in context.IntegerConversions)
        {
            if (activity.IsActive(operand))
            {
                context.Report(DiagnosticDescriptors.GradientLostInConversion, location, text, target.ToString());
            }
        }

        if (!context.HasErrors && !Returns(model.Body).Any(activity.IsActive))
        {
            context.Report(DiagnosticDescriptors.ResultIndependentOfParameters, syntax.Identifier.GetLocation(), model.Name);
        }
    }

    private static IEnumerable<Expr> Returns(IEnumerable<Stmt> statements) => statements.SelectMany(statement => statement switch
    {
        ReturnStmt r => [r.Value],
        IfStmt s => Returns(s.Then).Concat(Returns(s.Else)),
        CountedForStmt s => Returns(s.Body),
        WhileStmt s => Returns(s.Body),
        _ => [],
    });

    private static TypeHierarchy? ReadHierarchy(MethodDeclarationSyntax syntax, IMethodSymbol method, ParseContext context)
    {
        var declarations = new List<string>();
        var typeNames = new List<string>();
        for (var node = syntax.Parent; node is not null; node = node.Parent)
        {
            if (node is not TypeDeclarationSyntax type)
            {
                continue;
            }

            if (!type.Modifiers.Any(SyntaxKind.PartialKeyword) || type is InterfaceDeclarationSyntax)
            {
                context.Report(DiagnosticDescriptors.TypeNotPartial, type.Identifier.GetLocation(), type.Identifier.ValueText, method.Name);
                return null;
            }

            var keyword = type switch
            {
                RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                StructDeclarationSyntax => "struct",
                _ => "class",
            };
            var modifiers = string.Concat(type.Modifiers
                .Where(m => m.IsKind(SyntaxKind.ReadOnlyKeyword) || m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.UnsafeKeyword))
                .Select(m => m.ValueText + " "));
            declarations.Insert(0, $"{modifiers}partial {keyword} {type.Identifier.ValueText}{type.TypeParameterList}");
            var arity = type.TypeParameterList?.Parameters.Count ?? 0;
            typeNames.Insert(0, arity == 0 ? type.Identifier.ValueText : $"{type.Identifier.ValueText}`{arity}");
        }

        var ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new TypeHierarchy(ns, declarations.ToEquatableArray(), typeNames.ToEquatableArray(), SkipsLocalsInit(method));
    }

    /// <summary>True when a type containing <paramref name="method"/>, or its module, is <c>[SkipLocalsInit]</c> — as the generated members then are.</summary>
    private static bool SkipsLocalsInit(IMethodSymbol method)
    {
        static bool Marked(ISymbol symbol) => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.SkipLocalsInitAttribute");
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (Marked(type))
            {
                return true;
            }
        }

        return Marked(method.ContainingModule);
    }

    private static void CheckShape(MethodDeclarationSyntax syntax, IMethodSymbol method, ParseContext context)
    {
        if (!KnownTypes.IsFloating(method.ReturnType) && !KnownTypes.IsTensor(method.ReturnType) && !method.ReturnsVoid && !StatementParser.ReturnsTuple(method)
            && !StatementParser.ReturnsStruct(method))
        {
            context.Report(DiagnosticDescriptors.UnsupportedReturnType, syntax.ReturnType, method.Name, method.ReturnType.ToDisplayString());
        }

        var problem = method switch
        {
            { IsGenericMethod: true } when GenericOf(method) is null =>
                "a generic method must have one type parameter, constrained to floating point (where T : IFloatingPointIeee754<T>), return T and be static",
            { IsAbstract: true } or { IsExtern: true } => "it has no body to differentiate",
            { IsAsync: true } => "async methods are not supported",
            _ when syntax.Body is null && syntax.ExpressionBody is null => "it has no body to differentiate",
            _ when syntax.Modifiers.Any(SyntaxKind.UnsafeKeyword) => "unsafe code is not supported",
            _ => null,
        };
        if (problem is not null)
        {
            context.Report(DiagnosticDescriptors.UnsupportedMethodShape, syntax.Identifier.GetLocation(), method.Name, problem);
        }
    }

    /// <summary>
    /// For generic math — <c>static T F&lt;T&gt;(T x) where T : IFloatingPointIeee754&lt;T&gt;</c> — the type parameter and its
    /// constraint clause as the generated members repeat it; null for any other generic method.
    /// </summary>
    internal static GenericParameter? GenericOf(IMethodSymbol method)
    {
        if (method.TypeParameters.Length != 1 || !method.IsStatic || !KnownTypes.IsGenericFloating(method.TypeParameters[0])
            || !SymbolEqualityComparer.Default.Equals(method.ReturnType, method.TypeParameters[0]))
        {
            return null;
        }

        var parameter = method.TypeParameters[0];
        var constraints = parameter.ConstraintTypes.Select(c => c.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
            .Prepend(parameter.HasValueTypeConstraint ? "struct" : null)
            .Where(c => c is not null);
        return new GenericParameter(Identifier.Escape(parameter.Name), $"where {Identifier.Escape(parameter.Name)} : {string.Join(", ", constraints)}");
    }

    private static ParameterModel DescribeParameter(IParameterSymbol parameter, ParseContext context, bool isHelper)
    {
        var model = ParameterDescriber.Describe(parameter, out var problem);
        if (isHelper && parameter.RefKind is RefKind.Ref or RefKind.Out)
        {
            problem = null; // a helper's ref and out parameters are the caller's variables
        }

        if (problem is not null && parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is { } node)
        {
            context.Report(DiagnosticDescriptors.UnsupportedParameter, node, parameter.Name, problem);
        }

        if (model.Shape == ParameterShape.NoGradient && model.ElementType is null && !KnownTypes.IsFloating(parameter.Type)
            && KnownTypes.UnsupportedContainerElement(parameter.Type) is null
            && StructTypes.Fields(parameter.Type, out _) is null // [NoDiff] on a struct makes it a given value, not a helper's
            && !TensorParser.IsModule(parameter.Type) // [NoDiff] on a model freezes its parameters
            && parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownTypes.NoDiffAttribute)?.ApplicationSyntaxReference?.GetSyntax() is { } attribute)
        {
            context.Report(DiagnosticDescriptors.NoDiffHasNoEffect, attribute, parameter.Name, parameter.Type.ToDisplayString());
        }

        return model;
    }

    /// <summary>
    /// True when a struct local with an array field is given its value where it is declared and keeps it (neither it
    /// nor its array field is assigned again): its array field is then another name for the array it was given.
    /// </summary>
    internal static bool KeepsItsArrays(ILocalSymbol local, IOperation? initializer, HashSet<ILocalSymbol> assigned, IBlockOperation body) =>
        initializer is not null && !assigned.Contains(local)
        && !body.Descendants().OfType<IAssignmentOperation>().Any(a => a.Target is IMemberReferenceOperation { Instance: ILocalReferenceOperation { Local: var owner } } target
            && SymbolEqualityComparer.Default.Equals(owner, local) && StructTypes.IsArray(target.Type!));

    /// <summary>
    /// A struct parameter that takes a gradient (<c>Particle p</c>) becomes a parameter per field in
    /// <paramref name="parameters"/> (<c>pX</c>, <c>pV</c>), which the body's <c>p.X</c> reads; returns the struct
    /// parameters, for the overloads that take the struct whole.
    /// </summary>
    private static List<StructParameterModel> TakeStructsApart(IMethodSymbol method, List<ParameterModel> parameters, ParseContext context)
    {
        var structs = new List<StructParameterModel>();
        var taken = new HashSet<string>(method.Parameters.Select(p => p.Name));
        for (var i = parameters.Count - 1; i >= 0; i--)
        {
            var symbol = method.Parameters[i];
            if (StructTypes.Fields(symbol.Type, out _) is not { } fields || KnownTypes.HasAttribute(symbol, KnownTypes.NoDiffAttribute))
            {
                continue;
            }

            var models = new List<ParameterModel>();
            var parts = new List<VariableExpr>();
            foreach (var (member, type) in fields)
            {
                var name = Identifier.Part(symbol.Name, member);
                var keyword = KnownTypes.Keyword(type);
                if (!taken.Add(name) && symbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is { } node)
                {
                    context.Report(DiagnosticDescriptors.GeneratedNameClash, node, $"parameter for the field '{member}' of '{symbol.Name}'", name, "parameter");
                }

                models.Add(StructTypes.IsArray(type)
                    ? new ParameterModel(Identifier.Escape(name), KnownTypes.Of(type), ParameterShape.Sequence, KnownTypes.SequenceElement(type), Identifier.Prefixed("d", name))
                    : KnownTypes.IsFloating(type)
                    ? new ParameterModel(Identifier.Escape(name), keyword!, ParameterShape.Scalar, keyword, Identifier.Prefixed("d", name))
                    : new ParameterModel(Identifier.Escape(name), keyword!, ParameterShape.NoGradient, null, null));
                parts.Add(new VariableExpr(Identifier.Escape(name), KnownTypes.Of(type)));
            }

            parameters.RemoveAt(i);
            parameters.InsertRange(i, models);
            context.StructParameters[symbol] = parts;
            structs.Insert(0, new StructParameterModel(
                Identifier.Escape(symbol.Name),
                symbol.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                fields.Select((f, k) => new StructFieldModel(StructTypes.EscapedPath(f.Name), models[k].Name)).ToEquatableArray(),
                StructTypes.Nested(symbol.Type).Select(n => new NestedStructModel(StructTypes.EscapedPath(n.Path), n.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))).ToEquatableArray()));
        }

        return structs;
    }

    private static void CheckGeneratedNames(MethodDeclarationSyntax syntax, IMethodSymbol method, List<ParameterModel> parameters, ParseContext context)
    {
        ReportDerivativeNameClashes(method, parameters, p => $"gradient parameter of '{p.Name}'", context);
        if (parameters.Any(p => p.Name == "dResult"))
        {
            context.Report(DiagnosticDescriptors.GeneratedNameClash, syntax.ParameterList, "pullback parameter", "dResult", "parameter");
        }

        // …Tangent (forward mode) and the second-order members are written for scalar code only; each suffix with how
        // many parameters the member adds to the method's.
        var scalarCode = !method.Parameters.Any(p => KnownTypes.IsTensor(p.Type)) && !KnownTypes.IsTensor(method.ReturnType);
        var n = parameters.Count(p => p.HasGradient);
        var members = new List<(string Suffix, int Added)> { ("Gradient", n), ("Backward", n + 1) };
        if (scalarCode)
        {
            members.AddRange([("Tangent", n + 1), ("Directional", n), ("DirectionalBackward", 3 * n + 1), ("HessianVector", 2 * n), ("Hessian", 1)]);
        }

        ReportMemberClashes(syntax, method, members, context);
    }

    /// <summary>BP0008 at a parameter named like another parameter's generated derivative (<c>dx</c> beside <c>x</c>).</summary>
    private static void ReportDerivativeNameClashes(IMethodSymbol method, List<ParameterModel> parameters, Func<ParameterModel, string> describe, ParseContext context)
    {
        var names = new HashSet<string>(parameters.Select(p => p.Name));
        foreach (var parameter in parameters.Where(p => p.HasGradient && names.Contains(p.GradientName!)))
        {
            if (method.Parameters.FirstOrDefault(p => p.Name == parameter.GradientName)?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is { } existing)
            {
                context.Report(DiagnosticDescriptors.GeneratedNameClash, existing, describe(parameter), parameter.GradientName!, "parameter");
            }
        }
    }

    /// <summary>BP0008 at the method for each generated member (suffix, parameters it adds) that would meet an existing one.</summary>
    private static void ReportMemberClashes(MethodDeclarationSyntax syntax, IMethodSymbol method, IEnumerable<(string Suffix, int Added)> members, ParseContext context)
    {
        foreach (var (suffix, added) in members)
        {
            var clashes = method.ContainingType.GetMembers(method.Name + suffix)
                .Any(member => member is not IMethodSymbol other || other.Parameters.Length == method.Parameters.Length + added);
            if (clashes)
            {
                context.Report(DiagnosticDescriptors.GeneratedNameClash, syntax.Identifier.GetLocation(), "method", method.Name + suffix, "member of " + method.ContainingType.Name);
            }
        }
    }

    /// <summary>BP0008 for a vector-valued function: a tangent or adjoint named like a parameter, a member named like a generated one.</summary>
    private static void CheckVectorFunctionNames(MethodDeclarationSyntax syntax, IMethodSymbol method, List<ParameterModel> parameters, ParseContext context)
    {
        ReportDerivativeNameClashes(method, parameters, p => $"{(p.IsOutput ? "derivative" : "tangent and adjoint")} parameter of '{p.Name}'", context);
        var n = parameters.Count(p => p.HasGradient);
        ReportMemberClashes(syntax, method, [("Tangent", n), ("Backward", n), ("Jacobian", 1)], context);
    }

    /// <summary>Gives each local a unique name: counted-loop variables keep theirs (each backward loop re-declares it); the rest are hoisted and renamed on collision.</summary>
    private static void NameLocals(IBlockOperation body, IMethodSymbol method, ParseContext context)
    {
        // A local never takes a name of the signature; sibling counted loops may share a variable name.
        var signature = context.SignatureNames;
        var taken = new HashSet<string>(signature);
        var counted = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var loop in body.Descendants().OfType<IForLoopOperation>())
        {
            if (CountedLoop.Match(loop) is { } match)
            {
                counted.Add(match.Variable);
                var loopName = NameBuilder.Numbered(match.Variable.Name, signature.Contains);
                taken.Add(loopName);
                context.NameLocal(match.Variable, loopName, isCountedLoopVariable: true);
            }
        }

        var assigned = AssignedLocals(body);
        bool refReassigned(ILocalSymbol local) => body.Descendants().OfType<ISimpleAssignmentOperation>()
            .Any(a => a.IsRef && a.Target is ILocalReferenceOperation { Local: var target } && SymbolEqualityComparer.Default.Equals(target, local));

        foreach (var (local, declarator) in DeclaredLocals(body))
        {
            if (counted.Contains(local) || local.IsConst || local.Type.TypeKind == TypeKind.Delegate)
            {
                continue;
            }

            var initializer = InitializerOf(declarator);

            // ReadOnlySpan<double> row = x.Slice(i * n, n); (never reassigned): row is a window on x.
            if (KnownTypes.SequenceElement(local.Type) is not null && local.Type is not IArrayTypeSymbol && !local.IsRef
                && !assigned.Contains(local) && initializer is not null
                && (ExpressionParser.IsSlice(KnownTypes.Unwrap(initializer)) || KnownTypes.Unwrap(initializer) is ILocalReferenceOperation { Local: var other } && context.IsWindow(other)))
            {
                context.DeclareWindow(local);
                if (SlicedLocal(KnownTypes.Unwrap(initializer)) is { } sliced && assigned.Contains(sliced) && !context.IsWindow(sliced))
                {
                    context.Unsupported(initializer.Syntax, $"'{sliced.Name}' is assigned another array in this method, so which elements this slice holds would change; slice an array that keeps its elements");
                }

                continue;
            }

            // (double Mean, double Var) s = …, Particle p = new Particle(x, v): a local for each element or field (sMean, pX).
            if (!local.IsRef && StructTypes.Parts(local.Type) is { } parts && (StructTypes.ArrayFieldReason(parts) is null || KeepsItsArrays(local, initializer, assigned, body)))
            {
                context.NameParts(local, parts
                    .Select(f => new VariableExpr(Identifier.Escape(NameBuilder.Take(Identifier.Part(local.Name, f.Name), taken)), KnownTypes.Of(f.Type)))
                    .ToList());
                continue;
            }

            var unsupported = StructTypes.Fields(local.Type, out var reason) is { } arrayFields ? StructTypes.ArrayFieldReason(arrayFields) : reason; // why a struct type cannot be held, when it is one

            // A class of your own: a reference type, which two names can share (see StructTypes.ClassAdvice).
            if (unsupported is null && local.Type is INamedTypeSymbol { TypeKind: TypeKind.Class, DeclaringSyntaxReferences.Length: > 0 } && !KnownTypes.IsTensor(local.Type))
            {
                unsupported = StructTypes.ClassAdvice;
            }

            if (unsupported is not null && (declarator?.Syntax ?? local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken)) is { } declared)
            {
                context.Unsupported(declared, $"a local of type '{local.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(KnownTypes.Short)}' is not supported: {unsupported}");
                context.RejectedStructs.Add(local);
                continue;
            }

            // double[] b = a; (a parameter or a local array, neither ever reassigned): b is another name for a.
            if (KnownTypes.SequenceElement(local.Type) is not null && !assigned.Contains(local) && initializer is not null
                && KnownTypes.Unwrap(initializer) switch
                {
                    IParameterReferenceOperation { Parameter: var p } when KnownTypes.SequenceElement(p.Type) is not null => (Identifier.Escape(p.Name), false),
                    ILocalReferenceOperation { Local: var l } when KnownTypes.SequenceElement(l.Type) is not null && !assigned.Contains(l) => (context.NameOf(l), context.IsLocalArray(l)),
                    _ => ((string, bool)?)null,
                } is var (aliased, isLocalArray))
            {
                context.Alias(local, aliased, isLocalArray);
                continue;
            }

            // ref double r = ref x; (x a local or parameter number, r never made to refer to another): r is another name for x.
            if (local.IsRef && KnownTypes.IsSupportedLocal(local.Type) && KnownTypes.SequenceElement(local.Type) is null && !refReassigned(local)
                && initializer switch
                {
                    IParameterReferenceOperation { Parameter: var p } when p.RefKind != RefKind.In && KnownTypes.SequenceElement(p.Type) is null => Identifier.Escape(p.Name),
                    ILocalReferenceOperation { Local: var l } when KnownTypes.SequenceElement(l.Type) is null => context.NameOf(l),
                    _ => null,
                } is { } referred)
            {
                context.Alias(local, referred, isLocalArray: false);
                continue;
            }

            // ref double r = ref a[i]; (r never made to refer to another, a never another array): r is a[rIndex].
            if (local.IsRef && KnownTypes.IsFloating(local.Type) && !refReassigned(local) && ElementReferredTo(initializer) is var (array, index)
                && !(KnownTypes.Unwrap(array) is ILocalReferenceOperation { Local: var arrayLocal } && assigned.Contains(arrayLocal)))
            {
                context.AliasElement(local, array, index);
                continue;
            }

            DeclareIfStackArray(local, initializer, assigned, context);

            var name = NameBuilder.Take(local.Name, taken);
            context.NameLocal(local, name, isCountedLoopVariable: false);
        }
    }

    /// <summary>The locals <paramref name="body"/> assigns after their declaration.</summary>
    public static HashSet<ILocalSymbol> AssignedLocals(IBlockOperation body) => new(
        body.Descendants().OfType<IAssignmentOperation>().Select(a => a.Target).OfType<ILocalReferenceOperation>().Select(r => r.Local),
        SymbolEqualityComparer.Default);

    /// <summary>What a local's declaration gives it (<c>double a = …, b = …;</c> or <c>double a, b = …;</c>), if anything.</summary>
    public static IOperation? InitializerOf(IVariableDeclaratorOperation? declarator) =>
        declarator?.Initializer?.Value ?? (declarator?.Parent as IVariableDeclarationOperation)?.Initializer?.Value;

    /// <summary>Span&lt;double&gt; t = stackalloc double[3]; (never reassigned): declares t a local array on the stack.</summary>
    public static void DeclareIfStackArray(ILocalSymbol local, IOperation? initializer, HashSet<ILocalSymbol> assigned, ParseContext context)
    {
        if (!local.IsRef && !assigned.Contains(local) && initializer is not null && ExpressionParser.StackAllocated(KnownTypes.Unwrap(initializer)) is { } stackElement)
        {
            context.DeclareStackArray(local, stackElement);
        }
    }

    /// <summary>The local a slice (or a slice of a slice) is taken of; null when it is a parameter or field.</summary>
    private static ILocalSymbol? SlicedLocal(IOperation operation) => operation switch
    {
        ILocalReferenceOperation { Local: var local } => local,
        IInvocationOperation invocation when ExpressionParser.SliceOf(invocation) is var (of, _, _) => SlicedLocal(KnownTypes.Unwrap(of)),
        IImplicitIndexerReferenceOperation { Instance: var instance } => SlicedLocal(KnownTypes.Unwrap(instance)),
        IObjectCreationOperation { Arguments: { Length: > 0 } arguments } => SlicedLocal(KnownTypes.Unwrap(arguments[0].Value)),
        _ => null,
    };

    /// <summary>
    /// The locals <paramref name="body"/> declares, in order: in declarations (with their declarator) and as
    /// <c>out double r</c> arguments (without).
    /// </summary>
    public static IEnumerable<(ILocalSymbol Local, IVariableDeclaratorOperation? Declarator)> DeclaredLocals(IBlockOperation body)
    {
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    yield return (declarator.Symbol, declarator);
                    break;
                case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared }:
                    yield return (declared.Local, null);
                    break;
                case ILocalReferenceOperation { IsDeclaration: true, Parent: ITupleOperation } deconstructed: // var (m, v) = …
                    yield return (deconstructed.Local, null);
                    break;
            }
        }
    }

    /// <summary>The array (a parameter or local) and index of <c>a[i]</c> or <c>span[i]</c>; null for anything else, and for <c>a[^k]</c>.</summary>
    private static (IOperation Array, IOperation Index)? ElementReferredTo(IOperation? operation)
    {
        var (array, index) = operation switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } element => (element.ArrayReference, element.Indices[0]),
            IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } span } indexer => (span, indexer.Arguments[0].Value),
            _ => ((IOperation?)null, (IOperation?)null),
        };
        return array is not null && index is not null && index is not IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } && index is not IRangeOperation
            && KnownTypes.SequenceElement(array.Type!) is not null
            && KnownTypes.Unwrap(array) is IParameterReferenceOperation { Parameter.RefKind: RefKind.None } or ILocalReferenceOperation
                ? (array, index)
                : null;
    }

    private static string Modifiers(IMethodSymbol method)
    {
        var accessibility = method.DeclaredAccessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };
        return method.IsStatic ? accessibility + " static" : accessibility;
    }
}

/// <summary>What a caller needs to know of a [Differentiable] callee (see <see cref="MethodParser.FactsOf"/>).</summary>
/// <param name="HasErrors">It has errors of its own: nothing is generated for it.</param>
/// <param name="FirstOrderRule">The first-order [DerivativeRule] it reaches ("G, whose [DerivativeRule] GBackward"), or null.</param>
internal sealed record CalleeFacts(bool HasErrors, string? FirstOrderRule)
{
    public static readonly CalleeFacts Sound = new(false, null);
}
