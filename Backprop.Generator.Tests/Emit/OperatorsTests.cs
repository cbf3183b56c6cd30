using System;
using System.Linq;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Backprop.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// Operators are enums in the model: Parse maps Roslyn's kinds onto them in one place, Emit spells them in one place.
/// These tests hold the two maps to C# itself — what the compiler reads back from the spelling.
/// </summary>
public sealed class OperatorsTests
{
    [Fact]
    public void EveryOperator_HasItsOwnSpelling()
    {
        var binary = Enum.GetValues<BinaryOp>().Select(Operators.Symbol).ToList();
        var unary = Enum.GetValues<UnaryOp>().Select(Operators.Symbol).ToList();

        Assert.Equal(binary.Count, binary.Distinct().Count());
        Assert.Equal(unary.Count, unary.Distinct().Count());
    }

    [Fact]
    public void EveryBinaryOperator_ParsesBackAsItself()
    {
        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            var (left, right) = op is BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr ? ("a", "b") : ("x", "y");

            var operation = Operation<IBinaryOperation>($"{left} {Operators.Symbol(op)} {right}");

            Assert.Equal(op, RoslynOperators.From(operation.OperatorKind));
        }
    }

    [Fact]
    public void EveryUnaryOperator_ParsesBackAsItself()
    {
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            var operand = op == UnaryOp.Not ? "a" : "x";

            var operation = Operation<IUnaryOperation>($"{Operators.Symbol(op)}{operand}");

            Assert.Equal(op, RoslynOperators.From(operation.OperatorKind));
        }
    }

    /// <summary>
    /// For every pair of operators, nested either way round, the printed expression parses back to the same tree: the
    /// printer's parentheses follow C#'s precedence and associativity (a − (b − c) keeps them, (a − b) − c drops them).
    /// </summary>
    [Fact]
    public void NestedOperators_PrintWithTheParenthesesCSharpNeeds()
    {
        var one = new LiteralExpr("1", DataType.Int);
        var two = new LiteralExpr("2", DataType.Int);
        var three = new LiteralExpr("3", DataType.Int);
        foreach (var outer in Enum.GetValues<BinaryOp>())
        {
            foreach (var inner in Enum.GetValues<BinaryOp>())
            {
                foreach (var expr in new[]
                {
                    new BinaryExpr(outer, new BinaryExpr(inner, one, two, DataType.Int), three, DataType.Int),
                    new BinaryExpr(outer, one, new BinaryExpr(inner, two, three, DataType.Int), DataType.Int),
                    new BinaryExpr(outer, new UnaryExpr(UnaryOp.Negate, one, DataType.Int), new UnaryExpr(UnaryOp.Complement, two, DataType.Int), DataType.Int),
                })
                {
                    var text = ExprPrinter.Print(expr);

                    Assert.Equal(Shape(expr), Shape(SyntaxFactory.ParseExpression(text)));
                }
            }
        }
    }

    /// <summary>The tree as a string of nested parentheses, from the model.</summary>
    private static string Shape(Expr expr) => expr switch
    {
        BinaryExpr b => $"({Shape(b.Left)} {Operators.Symbol(b.Op)} {Shape(b.Right)})",
        UnaryExpr u => $"({Operators.Symbol(u.Op)}{Shape(u.Operand)})",
        LiteralExpr l => l.Text,
        _ => throw new InvalidOperationException(expr.ToString()),
    };

    /// <summary>The same, from C#'s syntax tree (its own parentheses dropped).</summary>
    private static string Shape(ExpressionSyntax syntax) => syntax switch
    {
        ParenthesizedExpressionSyntax p => Shape(p.Expression),
        BinaryExpressionSyntax b => $"({Shape(b.Left)} {b.OperatorToken.Text} {Shape(b.Right)})",
        PrefixUnaryExpressionSyntax u => $"({u.OperatorToken.Text}{Shape(u.Operand)})",
        LiteralExpressionSyntax l => l.Token.Text,
        _ => throw new InvalidOperationException($"unexpected {syntax.Kind()}: {syntax}"),
    };

    /// <summary>The operation of <paramref name="expression"/> in a method with ints x, y and bools a, b.</summary>
    private static T Operation<T>(string expression)
        where T : class, IOperation
    {
        var tree = CSharpSyntaxTree.ParseText($"class C {{ object M(int x, int y, bool a, bool b) => {expression}; }}");
        var compilation = CSharpCompilation.Create("Operators", [tree], [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]);
        var syntax = tree.GetRoot().DescendantNodes().OfType<ArrowExpressionClauseSyntax>().Single().Expression;
        var operation = compilation.GetSemanticModel(tree).GetOperation(syntax);
        return Assert.IsAssignableFrom<T>(operation is IConversionOperation conversion ? conversion.Operand : operation);
    }
}
