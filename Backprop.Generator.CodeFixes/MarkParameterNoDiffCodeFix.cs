using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.CodeFixes;

/// <summary>BP0004: when an argument of the call is a parameter of the [Differentiable] method, marks that parameter [NoDiff].</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkParameterNoDiffCodeFix)), Shared]
public sealed class MarkParameterNoDiffCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticIds.CallWithoutDerivative];

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation || model is null)
        {
            return;
        }

        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (model.GetSymbolInfo(argument.Expression, context.CancellationToken).Symbol is IParameterSymbol { Type.SpecialType: SpecialType.System_Double or SpecialType.System_Single } parameter
                && parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) is ParameterSyntax declaration
                && declaration.SyntaxTree == root.SyntaxTree)
            {
                var marked = declaration.AddAttributeLists(
                    SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.ParseName(NoDiffName.Of(root, "NoDiff")))))
                        .WithTrailingTrivia(SyntaxFactory.Space));
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Mark parameter '{parameter.Name}' [NoDiff]: no gradient for it",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(declaration, marked))),
                        equivalenceKey: nameof(MarkParameterNoDiffCodeFix) + parameter.Name),
                    context.Diagnostics);
            }
        }
    }
}
