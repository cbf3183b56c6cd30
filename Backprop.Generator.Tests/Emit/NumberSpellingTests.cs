using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>The numbers Differentiate writes are values in the model; Emit spells each as its type writes numbers.</summary>
public sealed class NumberSpellingTests
{
    [Theory]
    [InlineData(2.0, "double", "2.0")]
    [InlineData(0.0, "double", "0.0")]
    [InlineData(-0.5, "double", "-0.5")]
    [InlineData(2.0, "float", "2f")]
    [InlineData(0.0, "float", "0f")]
    [InlineData(0.0, "T", "T.Zero")]
    [InlineData(1.0, "T", "T.One")]
    [InlineData(2.0, "T", "T.CreateChecked(2.0)")]
    [InlineData(-0.5, "T", "T.CreateChecked(-0.5)")]
    public void ANumber_IsSpelledAsItsTypeWritesNumbers(double value, string typeName, string expected)
    {
        var type = typeName switch { "double" => DataType.Double, "float" => DataType.Float, _ => DataType.Parameter(typeName) };

        Assert.Equal(expected, ExprPrinter.Print(new NumberExpr(value, type)));
    }

    /// <summary>A negative number is an operand like a negation: <c>x * -0.5</c> parses back as x times the number, and a negated one keeps its parentheses.</summary>
    [Fact]
    public void ANegativeNumber_PrintsWhereCSharpReadsItBackAsOneOperand()
    {
        var x = new VariableExpr("x", DataType.Double);
        var half = new NumberExpr(-0.5, DataType.Double);

        var product = ExprPrinter.Print(new BinaryExpr(BinaryOp.Multiply, x, half, DataType.Double));
        var negated = ExprPrinter.Print(new UnaryExpr(UnaryOp.Negate, half, DataType.Double));

        Assert.Equal("x * -0.5", product);
        Assert.IsType<PrefixUnaryExpressionSyntax>(((BinaryExpressionSyntax)SyntaxFactory.ParseExpression(product)).Right);
        Assert.Equal("-(-0.5)", negated);
    }

    [Fact]
    public void ANumberOfOne_IsOne_AsALiteralOfOneIs()
    {
        Assert.True(new NumberExpr(1, DataType.Double).IsOne);
        Assert.True(new LiteralExpr("1f", DataType.Float).IsOne);
        Assert.False(new NumberExpr(2, DataType.Double).IsOne);
    }
}
