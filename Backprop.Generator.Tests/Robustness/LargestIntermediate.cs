using System;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>
/// The largest magnitude a random method's variables take while F runs: a copy of F, <c>FObserved</c>, in a partial
/// class of its own, records every value assigned to a variable. Where that magnitude dwarfs the result, values of that
/// size cancelled to make it (seed 1502: x grew to 4.6e18 and <c>y = x + y</c> came back to exactly 0), so F is
/// quantised at the scale of the input and its derivative is rounding noise in every mode: the derivative has no
/// reference to be checked against there.
/// </summary>
internal static class LargestIntermediate
{
    private const string Observe = "ObserveMagnitude__";

    /// <summary>The syntax tree adding <c>FObserved</c> and <c>LargestIntermediate(x, y, a, n)</c> to the method's class.</summary>
    public static SyntaxTree ObservedCopy(string methodSource)
    {
        var root = CSharpSyntaxTree.ParseText(methodSource, GeneratorHarness.ParseOptions).GetCompilationUnitRoot();
        var type = root.Members.OfType<ClassDeclarationSyntax>().Single();
        var f = type.Members.OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "F");
        var observed = ((MethodDeclarationSyntax)new Observer().Visit(f))
            .WithIdentifier(Identifier("FObserved"))
            .WithAttributeLists(default);
        var text = $$"""
            using System;
            using Backprop;

            public static partial class {{type.Identifier.Text}}
            {
                private static double s_largestIntermediate;

                private static void {{Observe}}(object value)
                {
                    var magnitude = value switch { double d => Math.Abs(d), int i => Math.Abs((double)i), _ => 0 };
                    if (!(magnitude <= s_largestIntermediate))
                    {
                        s_largestIntermediate = magnitude;
                    }
                }

                public static double LargestIntermediate(double x, double y, double[] a, int n)
                {
                    s_largestIntermediate = 0;
                    FObserved(x, y, a, n);
                    return s_largestIntermediate;
                }

            {{observed.NormalizeWhitespace().ToFullString()}}
            }
            """;
        return CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: $"Observed{type.Identifier.Text}.cs");
    }

    /// <summary>Adds <c>Observe(v);</c> after each statement that assigns or declares a variable.</summary>
    private sealed class Observer : CSharpSyntaxRewriter
    {
        public override SyntaxNode VisitBlock(BlockSyntax node) =>
            node.WithStatements(List(node.Statements.SelectMany(s => WithObservation((StatementSyntax)Visit(s)))));

        public override SyntaxNode VisitSwitchSection(SwitchSectionSyntax node) =>
            node.WithStatements(List(node.Statements.SelectMany(s => WithObservation((StatementSyntax)Visit(s)))));

        public override SyntaxNode? VisitExpressionStatement(ExpressionStatementSyntax node) =>
            node.Parent is BlockSyntax or SwitchSectionSyntax || Observations(node).Length == 0
                ? node
                : Block(WithObservation(node));

        private static StatementSyntax[] WithObservation(StatementSyntax statement) => [statement, .. Observations(statement)];

        private static StatementSyntax[] Observations(StatementSyntax statement) => statement switch
        {
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } } => [Call(name.Identifier)],
            ExpressionStatementSyntax { Expression: PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax name } } => [Call(name.Identifier)],
            ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax name } } => [Call(name.Identifier)],
            LocalDeclarationStatementSyntax { Declaration: { Type: PredefinedTypeSyntax type } declaration } when type.Keyword.IsKind(SyntaxKind.DoubleKeyword) =>
                declaration.Variables.Where(v => v.Initializer is not null).Select(v => Call(v.Identifier)).ToArray(),
            _ => [],
        };

        private static StatementSyntax Call(SyntaxToken variable) =>
            ExpressionStatement(InvocationExpression(IdentifierName(Observe), ArgumentList(SingletonSeparatedList(Argument(IdentifierName(variable))))));
    }
}
