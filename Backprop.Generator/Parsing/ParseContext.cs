using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Parsing;

/// <summary>What the statement and expression parsers share while reading one method body.</summary>
internal sealed class ParseContext(IMethodSymbol method, CancellationToken cancellationToken)
{
    private readonly Dictionary<ILocalSymbol, string> _localNames = new(SymbolEqualityComparer.Default);

    public IMethodSymbol Method { get; } = method;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public List<DiagnosticInfo> Diagnostics { get; } = [];

    public List<LocalModel> Locals { get; } = [];

    /// <summary>Exit labels of the switch statements being lowered, innermost last.</summary>
    public List<ILabelSymbol> SwitchExits { get; } = [];

    public bool HasErrors => Diagnostics.Exists(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);

    /// <summary>Calls to methods with no derivative: an error only if an argument turns out to carry gradient.</summary>
    public List<(OpaqueCallExpr Call, Location Location, IMethodSymbol Method)> CallsWithoutDerivative { get; } = [];

    /// <summary>Conversions from double or float to an integer: a warning if the value carries gradient.</summary>
    public List<(Expr Operand, Location Location, string Text, DataType Target)> IntegerConversions { get; } = [];

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments) =>
        Diagnostics.Add(DiagnosticInfo.Create(descriptor, node.GetLocation(), arguments));

    public void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments) =>
        Diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    /// <summary>
    /// BP0004 for a call to <paramref name="method"/>, which has no derivative. A method of the user's own source can be
    /// marked [Differentiable]; a library method (the BCL, a package, a delegate's Invoke) cannot, so the message then
    /// says what can be done instead.
    /// </summary>
    public void ReportCallWithoutDerivative(Location location, IMethodSymbol method, bool throughReceiver = false) =>
        Report(DiagnosticDescriptors.CallWithoutDerivative, location, method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
            throughReceiver ? "the object it is called on" : "an argument",
            throughReceiver
                ? "mark that field [NoDiff] if it needs no gradient, or call the method on NoDiff.Value(...) of it"
                : method.Locations.Any(l => l.IsInSource) && method.MethodKind == MethodKind.Ordinary
                ? "mark it [Differentiable], give it a derivative rule, or wrap the argument in NoDiff.Value(...) so that no gradient flows through it"
                : $"it is a library method, which cannot be marked [Differentiable]: give the generator its definition in C# ([assembly: Definitions(typeof({method.ContainingType.ToDisplayString(KnownTypes.Short)}), typeof(YourDefinitions))], a static [Differentiable] {(method.MethodKind == MethodKind.Constructor ? "New" : method.Name)} in it), write the computation with supported operations, call a function of your own that has a [DerivativeRule], or wrap the argument in NoDiff.Value(...) so that no gradient flows through it");

    /// <summary>
    /// Why a call to a member Backprop generates (<c>FBackward</c>, <c>FGradient</c> of a [Differentiable] method F of this
    /// type) cannot be differentiated; null for anything else. The generator does not see its own output, so to the
    /// parser such a call is an unresolved name.
    /// </summary>
    public string? CallToGeneratedMember(IOperation operation)
    {
        if (operation is not IInvalidOperation { Syntax: InvocationExpressionSyntax call })
        {
            return null;
        }

        var name = call.Expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Name: var member } => member.Identifier.ValueText,
            _ => null,
        };

        // Other.FGradient(…) or other.FGradient(…): the type of what it is called on; FGradient(…): this type.
        var owner = call.Expression is MemberAccessExpressionSyntax
            ? operation.ChildOperations.FirstOrDefault() switch
            {
                { Type: { } type } => type,
                IInvalidOperation { Syntax: var receiver } when operation.SemanticModel?.GetSymbolInfo(receiver).Symbol is ITypeSymbol type => type,
                _ => null,
            }
            : Method.ContainingType;
        foreach (var suffix in new[] { "Backward", "Gradient" })
        {
            if (name is not null && owner is not null && name.EndsWith(suffix, System.StringComparison.Ordinal)
                && owner.GetMembers(name.Substring(0, name.Length - suffix.Length)).OfType<IMethodSymbol>()
                    .Any(m => KnownTypes.HasAttribute(m, KnownTypes.DifferentiableAttribute)))
            {
                return $"'{name}' is a derivative Backprop generates, and derivatives are not differentiated again yet (no second derivatives or Hessians: reverse mode only); write the derivative you need as a [Differentiable] method of its own";
            }
        }

        return null;
    }

    /// <summary>Reports <paramref name="node"/> as a construct Backprop cannot differentiate, saying why.</summary>
    public void Unsupported(SyntaxNode node, string why)
    {
        // For a statement with a body, point at its header: the squiggle and the message stay short.
        var (first, last) = node switch
        {
            ForEachStatementSyntax f => (f.ForEachKeyword, f.CloseParenToken),
            LockStatementSyntax l => (l.LockKeyword, l.CloseParenToken),
            UsingStatementSyntax u => (u.UsingKeyword, u.CloseParenToken),
            TryStatementSyntax t => (t.TryKeyword, t.TryKeyword),
            _ => (node.GetFirstToken(), node.GetLastToken()),
        };
        var span = TextSpan.FromBounds(first.SpanStart, last.Span.End);
        var text = node.SyntaxTree.GetText().ToString(span);
        Report(DiagnosticDescriptors.UnsupportedConstruct, Location.Create(node.SyntaxTree, span), Shorten(text), why);
    }

    public void NameLocal(ILocalSymbol local, string name, bool isCountedLoopVariable)
    {
        name = Identifier.Escape(name);
        _localNames[local] = name;
        Locals.Add(new LocalModel(name, TypeOf(local), isCountedLoopVariable));
    }

    private readonly Dictionary<ILocalSymbol, DataType> _stackArrays = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// <c>Span&lt;double&gt; t = stackalloc double[3];</c> (never reassigned): t is a local array the method allocates on
    /// the stack, read and written by index like <c>new double[3]</c>; its adjoint is stack-allocated too.
    /// </summary>
    public void DeclareStackArray(ILocalSymbol local, DataType elementType) => _stackArrays[local] = elementType;

    public bool IsStackArray(ILocalSymbol local) => _stackArrays.ContainsKey(local);

    /// <summary>The type a local is held in: its own, or <c>Span&lt;T&gt;</c> for a stack array declared read-only.</summary>
    public DataType TypeOf(ILocalSymbol local) =>
        _stackArrays.TryGetValue(local, out var element) ? DataType.SpanOf(element) : KnownTypes.Of(local.Type);

    public string NameOf(ILocalSymbol local) => _localNames.TryGetValue(local, out var name) ? name : Identifier.Escape(local.Name);

    private readonly Dictionary<ILocalSymbol, bool> _aliases = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// <c>double[] b = a;</c> where neither is reassigned, or <c>ref double r = ref x;</c> where r never refers to another:
    /// <paramref name="local"/> is read and written under <paramref name="name"/>. Writes through another name for an
    /// array are allowed only when it names a local array of this method.
    /// </summary>
    public void Alias(ILocalSymbol local, string name, bool isLocalArray)
    {
        _localNames[local] = name;
        _aliases[local] = isLocalArray;
    }

    private readonly Dictionary<ILocalSymbol, (IOperation Array, IOperation Index, string IndexLocal)> _elementAliases = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// <c>ref double r = ref a[i];</c> where r never refers to another element and a is never another array: r is
    /// element <c>a[rIndex]</c>, with <c>int rIndex = i</c> taken where r is declared.
    /// </summary>
    public void AliasElement(ILocalSymbol local, IOperation array, IOperation index) =>
        _elementAliases[local] = (array, index, NewLocal(local.Name + "Index", DataType.Int));

    /// <summary>The array, index and index local of a ref local to an element (<see cref="AliasElement"/>), if it is one.</summary>
    public (IOperation Array, IOperation Index, string IndexLocal)? ElementAliasOf(ILocalSymbol local) =>
        _elementAliases.TryGetValue(local, out var alias) ? alias : null;

    private readonly Dictionary<ILocalSymbol, Sequence?> _windows = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// <c>ReadOnlySpan&lt;double&gt; row = x.Slice(i * n, n);</c> (never reassigned): row is a window on x, read as x's
    /// elements from where it starts (taken where it is declared, <see cref="SetWindow"/>).
    /// </summary>
    public void DeclareWindow(ILocalSymbol local) => _windows[local] = null;

    public bool IsWindow(ILocalSymbol local) => _windows.ContainsKey(local);

    /// <summary>The window a span local is, once its declaration was read; null before, or when it could not be.</summary>
    public Sequence? WindowOf(ILocalSymbol local) => _windows.TryGetValue(local, out var window) ? window : null;

    public void SetWindow(ILocalSymbol local, Sequence window) => _windows[local] = window;

    /// <summary>Locals that hold a window's bounds, assigned once where the window is made and never again.</summary>
    public HashSet<string> KeptBounds { get; } = [];

    private readonly Dictionary<ILocalSymbol, IReadOnlyList<VariableExpr>> _parts = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// A tuple or struct local is a local for each element or field (<c>s.Mean</c> is <c>sMean</c>, <c>p.X</c> is
    /// <c>pX</c>); the tuple or struct itself is never a value.
    /// </summary>
    public void NameParts(ILocalSymbol local, IReadOnlyList<VariableExpr> elements)
    {
        _parts[local] = elements;
        foreach (var element in elements.Where(e => !IsArrayPart(e)))
        {
            Locals.Add(new LocalModel(element.Name, element.Type, IsCountedLoopVariable: false));
        }
    }

    /// <summary>
    /// An array field of a struct local (<c>q.C</c>): no local of its own, but another name for the array the struct was
    /// given where it was declared (<see cref="BindArrayPart"/>), as <c>double[] b = a;</c> is for <c>a</c>.
    /// </summary>
    public static bool IsArrayPart(VariableExpr part) => part.Type.Kind == DataKind.Array;

    /// <summary>Makes the array field <paramref name="index"/> of the struct local <paramref name="local"/> another name for <paramref name="array"/>.</summary>
    public void BindArrayPart(ILocalSymbol local, int index, VariableExpr array)
    {
        var parts = _parts[local].ToList();
        parts[index] = array;
        _parts[local] = parts;
    }

    /// <summary>The locals of a tuple local's elements or a struct local's fields, in order; null for any other local.</summary>
    public IReadOnlyList<VariableExpr>? PartsOf(ILocalSymbol local) => _parts.TryGetValue(local, out var elements) ? elements : null;

    /// <summary>True for a local array the method itself created (not another name for an array it was given).</summary>
    public bool IsLocalArray(ILocalSymbol local) => !_aliases.TryGetValue(local, out var isLocalArray) || isLocalArray;

    /// <summary>True when <paramref name="local"/> is another name for an array (<see cref="Alias"/>) and not a declaration of its own.</summary>
    public bool IsAlias(ILocalSymbol local) => _aliases.ContainsKey(local);

    private readonly Dictionary<IMethodSymbol, IBlockOperation> _localFunctions = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, IAnonymousFunctionOperation> _lambdas = new(SymbolEqualityComparer.Default);

    /// <summary>Remembers the local functions declared in <paramref name="body"/>: their calls are read in place.</summary>
    public void CollectLocalFunctions(IBlockOperation body)
    {
        foreach (var function in body.Descendants().OfType<ILocalFunctionOperation>())
        {
            if ((function.Body ?? function.IgnoredBody) is { } block)
            {
                _localFunctions[function.Symbol] = block;
            }
        }
    }

    /// <summary>A local that holds a lambda all its life (<c>Func&lt;double, double&gt; f = v =&gt; v * v;</c>): its calls are read in place.</summary>
    public void AddLambda(ILocalSymbol local, IAnonymousFunctionOperation lambda) => _lambdas[local] = lambda;

    public bool HoldsLambda(ILocalSymbol local) => _lambdas.ContainsKey(local);

    /// <summary>The body and parameters of the local function or lambda <paramref name="invocation"/> calls; null for any other call.</summary>
    public (IBlockOperation Body, System.Collections.Immutable.ImmutableArray<IParameterSymbol> Parameters)? InlinedBody(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.LocalFunction && _localFunctions.TryGetValue(method.OriginalDefinition, out var body))
        {
            return (body, method.Parameters);
        }

        return method.MethodKind == MethodKind.DelegateInvoke && invocation.Instance is ILocalReferenceOperation { Local: var local }
            && _lambdas.TryGetValue(local, out var lambda)
            ? (lambda.Body, lambda.Symbol.Parameters)
            : null;
    }

    /// <summary>The body and parameters of the void local function <paramref name="method"/> calls, if it has a block body.</summary>
    public IBlockOperation? LocalFunctionBody(IMethodSymbol method) =>
        method.MethodKind == MethodKind.LocalFunction && _localFunctions.TryGetValue(method.OriginalDefinition, out var body) ? body : null;

    /// <summary>
    /// The compilation the method is part of: the bodies of the void helpers it calls are read from it
    /// (<see cref="StatementParser"/> reads them in place).
    /// </summary>
    public Compilation? Compilation { get; init; }

    /// <summary>
    /// Parameters whose elements or value the body may write: the arrays, spans and <c>ref</c>/<c>out</c> parameters of a
    /// void helper, which works through them.
    /// </summary>
    public HashSet<IParameterSymbol> WritableParameters { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Struct locals whose type cannot be held, reported once where they are declared: their uses say nothing more.</summary>
    public HashSet<ILocalSymbol> RejectedStructs { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Names a local of a helper read in place (each time it is read: the same local in two calls is two locals of
    /// this method), clear of every name of this method and of the names the generated signature takes.
    /// </summary>
    public void NameInlinedLocal(ILocalSymbol local, bool isCountedLoopVariable) => NameLocal(local, InlinedName(local.Name), isCountedLoopVariable);

    /// <summary>A name for a local of a helper read in place, clear of every name of this method and of the generated signature's.</summary>
    public string InlinedName(string name)
    {
        var unique = name;
        for (var i = 2; SignatureNames.Contains(unique) || !Identifiers.Add(unique); i++)
        {
            unique = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return unique;
    }

    /// <summary>
    /// The names the generated signature takes: the parameters, their gradients and <c>dResult</c>. A local never takes
    /// one (the generated pullback declares the user's locals beside them).
    /// </summary>
    public HashSet<string> SignatureNames => _signatureNames ??= [.. Method.Parameters
        .SelectMany(p => (StructTypes.Fields(p.Type, out _)?.Select(f => Identifier.Part(p.Name, f.Name)) ?? []).Prepend(p.Name))
        .SelectMany(name => new[] { name, "d" + name }).Append("dResult")];

    /// <summary>The struct parameters of the method being differentiated, each with the parameters that hold its fields.</summary>
    public Dictionary<IParameterSymbol, IReadOnlyList<VariableExpr>> StructParameters { get; } = new(SymbolEqualityComparer.Default);

    private HashSet<string>? _signatureNames;

    /// <summary>Identifiers the method's source uses; a local Parse introduces keeps clear of them.</summary>
    public HashSet<string> Identifiers { get; } = [];

    /// <summary>
    /// A local of Parse's own (the value of a switch on a computed expression, the value before a postfix ++, a foreach
    /// index), named clear of the user's.
    /// </summary>
    public string NewLocal(string name, DataType type, bool isCountedLoopVariable = false)
    {
        var unique = Identifier.Escape(NameBuilder.Take(name, Identifiers));
        Locals.Add(new LocalModel(unique, type, isCountedLoopVariable));
        return unique;
    }

    private static string Shorten(string text)
    {
        text = string.Join(" ", text.Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
