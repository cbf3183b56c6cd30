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

/// <summary>BP0004: marks the called method [Differentiable] (and its types partial) when its source is in the solution.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkCalleeDifferentiableCodeFix)), Shared]
public sealed class MarkCalleeDifferentiableCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticIds.CallWithoutDerivative];

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || model?.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol callee
            || callee.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference
            || context.Document.Project.Solution.GetDocument(reference.SyntaxTree) is not { } calleeDocument)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Mark '{callee.Name}' [Differentiable]",
                ct => MarkAsync(calleeDocument, reference.Span, ct),
                equivalenceKey: nameof(MarkCalleeDifferentiableCodeFix)),
            context.Diagnostics);
    }

    private static async Task<Solution> MarkAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
    {
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var method = root.FindNode(span).FirstAncestorOrSelf<MethodDeclarationSyntax>()!;
        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Differentiable"))))
            .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed);
        var marked = method.WithAttributeLists(method.AttributeLists.Add(attribute)).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
        root = root.ReplaceNode(method, marked);

        // Every containing type must be partial for the generated members to join it.
        var types = root.FindNode(span).AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();
        root = root.ReplaceNodes(types, (_, rewritten) => rewritten.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword)));
        if (!root.Usings.Any(u => u.Name?.ToString() == "Backprop"))
        {
            root = root.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.IdentifierName("Backprop")).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation));
        }

        var formatted = await Microsoft.CodeAnalysis.Formatting.Formatter.FormatAsync(document.WithSyntaxRoot(root), Microsoft.CodeAnalysis.Formatting.Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return formatted.Project.Solution;
    }
}
