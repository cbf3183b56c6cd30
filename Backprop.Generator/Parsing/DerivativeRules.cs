using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Parsing;

/// <summary>A function's derivative rule, found through its [DerivativeRule] attribute and checked against the signature it must have.</summary>
/// <param name="Callee">The rule method, global-qualified (<c>global::Backprop.Nn.ReluBackward</c>).</param>
/// <param name="Slots">Per parameter of the function, the adjoint the rule takes for it.</param>
/// <param name="Shares">Per parameter of the function, true when the rule marks its adjoint [SharesGradient]: it may be dResult's own tensor.</param>
/// <param name="Writes">Per parameter of the function, true when the rule marks its adjoint [WritesFirst]: it may be a fresh tensor the rule writes.</param>
/// <param name="Residual">The forward companion, when the rule takes a residual from the forward pass.</param>
internal sealed record RuleMatch(string Callee, AdjointSlot[] Slots, bool[] Shares, bool[] Writes, ResidualForward? Residual = null);

/// <summary>
/// A rule's forward companion (<c>[DerivativeRule(…, Forward = nameof(FForward))]</c>): <c>R FForward(A a, …, out Tensor
/// residual)</c> computes what F does and hands out a residual that the rule takes after the result.
/// </summary>
/// <param name="Callee">The companion, global-qualified (<c>global::Backprop.Nn.SoftmaxCrossEntropyForward</c>).</param>
/// <param name="Name">Its out parameter's name (<c>probabilities</c>), for the local that holds the residual.</param>
internal sealed record ResidualForward(string Callee, string Name);

/// <summary>
/// Finds derivative rules declared as data: <c>[DerivativeRule(nameof(FBackward))]</c> or
/// <c>[DerivativeRule(typeof(T), nameof(T.FBackward))]</c> on a function <c>R F(A a, …)</c> names a static void method
/// <c>(A a, …, R result, R dResult, adjoints…)</c>; see the attribute's documentation for the adjoint types.
/// </summary>
internal static class DerivativeRules
{
    /// <summary>True when <paramref name="function"/> declares a derivative rule.</summary>
    public static bool HasRule(IMethodSymbol function) => Attribute(function) is not null;

    /// <summary>
    /// The rule of <paramref name="function"/>, or null after reporting BP0014 at <paramref name="callSite"/> when
    /// the rule is missing or its signature does not match (the message spells out the signature expected).
    /// </summary>
    public static RuleMatch? Find(IMethodSymbol function, SyntaxNode callSite, ParseContext context)
    {
        var (match, problem) = Resolve(function);
        if (problem is not null)
        {
            context.Report(DiagnosticDescriptors.DerivativeRuleMismatch, callSite, problem.Value.Function, problem.Value.What, problem.Value.Expected);
        }

        return match;
    }

    /// <summary>
    /// What is wrong with the rule <paramref name="function"/>'s [DerivativeRule] names, as the three arguments of BP0014
    /// (the function, the problem, the signature expected); null when the rule is usable or there is no attribute.
    /// </summary>
    public static (string Function, string What, string Expected)? Problem(IMethodSymbol function) =>
        Attribute(function) is null ? null : Resolve(function).Problem;

    /// <summary>Where the [DerivativeRule] attribute of <paramref name="function"/> is written, if in source.</summary>
    public static Location? AttributeLocation(IMethodSymbol function) =>
        Attribute(function)?.ApplicationSyntaxReference is { } reference
            ? Location.Create(reference.SyntaxTree, reference.Span)
            : null;

    private static (RuleMatch? Match, (string Function, string What, string Expected)? Problem) Resolve(IMethodSymbol function)
    {
        var attribute = Attribute(function)!;
        var arguments = attribute.ConstructorArguments;
        var ruleType = arguments.Length == 2 ? arguments[0].Value as INamedTypeSymbol : function.ContainingType;
        var ruleName = arguments.Length == 0 ? null : arguments[arguments.Length - 1].Value as string;
        var slots = function.Parameters.Select(Slot).ToArray();
        var expected = ExpectedSignature(function, ruleName ?? "?", slots);
        var functionName = function.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        if (ruleType is null || ruleName is null)
        {
            return (null, (functionName, "the attribute does not name a rule", expected));
        }

        var forwardName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Forward").Value.Value as string;
        IMethodSymbol? companion = null;
        if (forwardName is not null)
        {
            var companions = function.ContainingType.GetMembers(forwardName).OfType<IMethodSymbol>().ToList();
            companion = companions.FirstOrDefault(c => IsCompanion(c, function));
            if (companion is null)
            {
                var shown = function.ContainingType.ToDisplayString(KnownTypes.Short);
                var signature = $"static {function.ReturnType.ToDisplayString(KnownTypes.Short)} {forwardName}({string.Join(", ", function.Parameters.Select(p => $"{p.Type.ToDisplayString(KnownTypes.Short)} {p.Name}").Append("out Tensor residual"))})";
                var what = companions.Count == 0
                    ? $"Forward names '{forwardName}', which '{shown}' does not declare (a forward companion is {signature})"
                    : $"Forward names '{shown}.{forwardName}', which has another signature (a forward companion is {signature})";
                return (null, (functionName, what, expected));
            }

            expected = ExpectedSignature(function, ruleName, slots, companion.Parameters.Last().Name);
        }

        var residualParameter = companion?.Parameters.Last();
        var candidates = ruleType.GetMembers(ruleName).OfType<IMethodSymbol>().ToList();
        var match = candidates.FirstOrDefault(rule => Matches(rule, function, slots, residualParameter?.Type));
        if (match is null)
        {
            var problem = candidates.Count == 0
                ? $"'{ruleType.ToDisplayString(KnownTypes.Short)}' has no method '{ruleName}'"
                : $"'{ruleType.ToDisplayString(KnownTypes.Short)}.{ruleName}' has another signature";
            return (null, (functionName, problem, expected));
        }

        // The rule's adjoints follow the function's parameters, the result and dResult: the k-th is that of the k-th
        // parameter that takes one.
        var adjoints = match.Parameters.Skip(function.Parameters.Length + 2).ToList();
        var owners = Enumerable.Range(0, slots.Length).Where(i => slots[i] != AdjointSlot.None).ToList();
        var shares = new bool[slots.Length];
        var writes = new bool[slots.Length];
        foreach (var (marker, shown, marked) in new[] { (KnownTypes.SharesGradientAttribute, "SharesGradient", shares), (KnownTypes.WritesFirstAttribute, "WritesFirst", writes) })
        {
            foreach (var parameter in match.Parameters.Where(p => KnownTypes.HasAttribute(p, marker)))
            {
                var k = adjoints.IndexOf(parameter);
                if (k < 0 || slots[owners[k]] != AdjointSlot.Tensor)
                {
                    return (null, (functionName, $"[{shown}] marks '{parameter.Name}', which is not a Tensor? adjoint", expected));
                }

                marked[owners[k]] = true;
            }
        }

        var residual = companion is null ? null : new ResidualForward(KnownTypes.Qualified(companion.ContainingType) + "." + companion.Name, residualParameter!.Name);
        return (new RuleMatch(KnownTypes.Qualified(match.ContainingType) + "." + match.Name, slots, shares, writes, residual), null);
    }

    private static AttributeData? Attribute(IMethodSymbol function) =>
        function.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownTypes.DerivativeRuleAttribute);

    private static AdjointSlot Slot(IParameterSymbol parameter) =>
        KnownTypes.HasAttribute(parameter, KnownTypes.NoDiffAttribute) ? AdjointSlot.None
        : KnownTypes.IsTensor(parameter.Type) ? AdjointSlot.Tensor
        : KnownTypes.IsFloating(parameter.Type) ? AdjointSlot.Scalar
        : AdjointSlot.None;

    /// <summary>A forward companion: static, not generic, F's return type, F's parameters and then <c>out Tensor</c>.</summary>
    private static bool IsCompanion(IMethodSymbol companion, IMethodSymbol function) =>
        companion.IsStatic && !companion.IsGenericMethod
        && companion.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal
        && SymbolEqualityComparer.Default.Equals(companion.ReturnType, function.ReturnType)
        && companion.Parameters.Length == function.Parameters.Length + 1
        && function.Parameters.Select((p, i) => SymbolEqualityComparer.Default.Equals(p.Type, companion.Parameters[i].Type) && p.RefKind == companion.Parameters[i].RefKind).All(ok => ok)
        && companion.Parameters.Last() is { RefKind: RefKind.Out } residual && KnownTypes.IsTensor(residual.Type);

    private static bool Matches(IMethodSymbol rule, IMethodSymbol function, AdjointSlot[] slots, ITypeSymbol? residual)
    {
        var expected = new List<(ITypeSymbol Type, RefKind RefKind)>();
        expected.AddRange(function.Parameters.Select(p => (p.Type, p.RefKind)));
        expected.Add((function.ReturnType, RefKind.None));
        if (residual is not null)
        {
            expected.Add((residual, RefKind.None));
        }

        expected.Add((function.ReturnType, RefKind.None));
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] != AdjointSlot.None)
            {
                expected.Add((function.Parameters[i].Type, slots[i] == AdjointSlot.Scalar ? RefKind.Ref : RefKind.None));
            }
        }

        return rule.IsStatic && rule.ReturnsVoid && !rule.IsGenericMethod
            && rule.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal
            && rule.Parameters.Length == expected.Count
            && rule.Parameters.Select((p, i) => SymbolEqualityComparer.Default.Equals(p.Type, expected[i].Type) && p.RefKind == expected[i].RefKind).All(ok => ok);
    }

    private static string ExpectedSignature(IMethodSymbol function, string ruleName, AdjointSlot[] slots, string? residual = null)
    {
        var result = function.ReturnType.ToDisplayString(KnownTypes.Short);
        var parameters = function.Parameters.Select(p => $"{p.Type.ToDisplayString(KnownTypes.Short)} {p.Name}")
            .Append($"{result} result")
            .Concat(residual is null ? [] : [$"Tensor {residual}"])
            .Append($"{result} dResult")
            .Concat(function.Parameters.Where((p, i) => slots[i] != AdjointSlot.None).Select(p =>
                KnownTypes.IsTensor(p.Type) ? $"Tensor? d{p.Name}" : $"ref {p.Type.ToDisplayString(KnownTypes.Short)} d{p.Name}"));
        return $"static void {ruleName}({string.Join(", ", parameters)})";
    }
}
