using System.Collections.Immutable;
using Backprop.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Backprop.Generator.Diagnostics;

/// <summary>
/// Reports BP0014 once, at the <c>[DerivativeRule]</c> attribute of a function whose rule is missing or has the wrong
/// signature, as soon as the rule is written and whether or not anything calls the function yet. (A
/// <c>[Differentiable]</c> method that calls the function also gets BP0014 at the call: that is why it has no gradient,
/// and the rule may live in another assembly the user cannot see the declaration of.)
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DerivativeRuleAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [DiagnosticDescriptors.DerivativeRuleMismatch];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var function = (IMethodSymbol)context.Symbol;
        if (DerivativeRules.Problem(function) is { } problem)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.DerivativeRuleMismatch,
                DerivativeRules.AttributeLocation(function) ?? function.Locations[0],
                problem.Function, problem.What, problem.Expected));
        }
    }
}
