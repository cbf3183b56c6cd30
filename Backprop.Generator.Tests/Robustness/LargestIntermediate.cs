using System;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>
/// The largest magnitude a random method's values and tangents take while its derivative is computed: a copy of the
/// generated <c>FTangent</c>, <c>FTangentObserved</c>, in a partial class of its own, records every value assigned to a
/// variable — values and tangents alike, and the tangents a helper hands back through <c>out</c>. Where that magnitude
/// dwarfs both F and its derivative, values of that size cancelled to make them, so the derivative is rounding noise in
/// every mode and F is quantised at the scale of any step: nothing can check the derivative there. Seed 1502: x grew to
/// 4.6e18 and <c>y = x + y</c> came back to exactly 0. Seed 1515: tangents grew to 1.2e13 (x passed 2.9e6 on a path
/// that divides by 1 + (4x)²) and cancelled to 0.0101 where the exact derivative of that path is -0.0211, while F itself
/// ignored a step in x (its only way in is cos of 1e-5, which rounds).
/// </summary>
internal static class LargestIntermediate
{
    private const string Observe = "ObserveMagnitude__";

    /// <summary>
    /// The syntax tree adding <c>FTangentObserved</c> and <c>LargestIntermediate(x, y, a, n, direction)</c> to the class of
    /// <paramref name="generated"/>, the file the generator wrote for F.
    /// </summary>
    public static SyntaxTree ObservedCopy(SyntaxTree generated)
    {
        var tangent = generated.GetCompilationUnitRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "FTangent");
        var type = (ClassDeclarationSyntax)tangent.Parent!;
        var observed = ((MethodDeclarationSyntax)new Observer().Visit(tangent))
            .WithIdentifier(Identifier("FTangentObserved"))
            .WithAttributeLists(default);
        var text = $$"""
            using System;
            using Backprop;

            partial class {{type.Identifier.Text}}
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

                public static double LargestIntermediate(double x, double y, double[] a, int n, double[] direction)
                {
                    s_largestIntermediate = 0;
                    FTangentObserved(x, y, a, n, direction[0], direction[1], direction.AsSpan(2), out _);
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
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Right: StackAllocArrayCreationExpressionSyntax } } => [], // a span: no number to observe
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } assignment } =>
                [Call(name.Identifier), .. OutArguments(assignment.Right).Select(Call)],
            ExpressionStatementSyntax { Expression: PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax name } } => [Call(name.Identifier)],
            ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax name } } => [Call(name.Identifier)],
            LocalDeclarationStatementSyntax { Declaration: { Type: PredefinedTypeSyntax type } declaration } when type.Keyword.IsKind(SyntaxKind.DoubleKeyword) =>
                declaration.Variables.Where(v => v.Initializer is not null).Select(v => Call(v.Identifier)).ToArray(),
            _ => [],
        };

        /// <summary>The variables a call hands values back through: <c>weighted = WeightedTangent(a, y, da, dy, out dweighted)</c>.</summary>
        private static SyntaxToken[] OutArguments(ExpressionSyntax value) => value.DescendantNodesAndSelf().OfType<ArgumentSyntax>()
            .Where(a => a.RefKindKeyword.IsKind(SyntaxKind.OutKeyword) && a.Expression is IdentifierNameSyntax)
            .Select(a => ((IdentifierNameSyntax)a.Expression).Identifier)
            .ToArray();

        private static StatementSyntax Call(SyntaxToken variable) =>
            ExpressionStatement(InvocationExpression(IdentifierName(Observe), ArgumentList(SingletonSeparatedList(Argument(IdentifierName(variable))))));
    }
}
