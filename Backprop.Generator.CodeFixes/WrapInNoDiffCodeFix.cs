using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.CodeFixes;

/// <summary>
/// BP0004: wraps the floating-point arguments of the call in <c>NoDiff.Value(...)</c>, saying that no gradient
/// flows through the callee; BP0011: wraps the converted value the same way, saying the zero gradient is intended.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInNoDiffCodeFix)), Shared]
public sealed class WrapInNoDiffCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticIds.CallWithoutDerivative, DiagnosticIds.GradientLostInConversion];

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
        if (root is null || model is null || node is null)
        {
            return;
        }

        var targets = node.FirstAncestorOrSelf<CastExpressionSyntax>() is { } cast && context.Diagnostics[0].Id == DiagnosticIds.GradientLostInConversion
            ? [cast.Expression]
            : node.FirstAncestorOrSelf<InvocationExpressionSyntax>()?.ArgumentList.Arguments
                .Select(a => a.Expression)
                .Where(e => model.GetTypeInfo(e, context.CancellationToken).Type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single)
                .Where(e => !IsNoDiffValue(e))
                .ToList() ?? [];
        if (targets.Count == 0)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                "Wrap in NoDiff.Value(...): no gradient flows here",
                ct => Task.FromResult(context.Document.WithSyntaxRoot(Wrap(root, targets, NoDiffName.Of(root, "NoDiff.Value")))),
                equivalenceKey: nameof(WrapInNoDiffCodeFix)),
            context.Diagnostics);
    }

    private static SyntaxNode Wrap(SyntaxNode root, System.Collections.Generic.IEnumerable<ExpressionSyntax> targets, string noDiffValue) =>
        root.ReplaceNodes(targets, (original, _) =>
            SyntaxFactory.InvocationExpression(
                    SyntaxFactory.ParseExpression(noDiffValue),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                        (original is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : original).WithoutTrivia()))))
                .WithTriviaFrom(original));

    private static bool IsNoDiffValue(ExpressionSyntax expression) =>
        expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Value", Expression: var owner } }
        && owner.ToString().EndsWith("NoDiff", System.StringComparison.Ordinal);
}
