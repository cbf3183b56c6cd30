using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation;
using Backprop.Generator.Model;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// Two contributions into one adjoint element become one statement only where nothing between them reads the element,
/// may write it, or changes what the first reads (the merge itself is pinned by the Rosenbrock snapshot).
/// </summary>
public sealed class ElementContributionTests
{
    private static readonly VariableExpr I = new("i", DataType.Int);

    [Fact]
    public void ContributionsIntoOneElement_WithAnotherElementBetween_BecomeOne()
    {
        var code = Steps(Into(Element(I), "db"), Into(Element(Plus(I, 1)), "da"), Into(Element(I), "dp"));

        ElementContributions.Merge(code);

        var last = Assert.IsType<SweepContribute>(Assert.IsType<CodeStep>(code[2]).Step);
        Assert.Equal("db", Assert.IsType<VariableExpr>(last.Earlier!.Gate.Gradient).Name);
        Assert.IsType<SweepContributedBelow>(Assert.IsType<CodeStep>(code[0]).Step);
    }

    [Fact]
    public void AWriteOfWhatTheFirstReads_InBetween_KeepsThemApart()
    {
        var code = Steps(Into(Element(I), "db"), Into(new VariableExpr("db", DataType.Double), "dq"), Into(Element(I), "dp"));

        ElementContributions.Merge(code);

        Assert.All(code, c => Assert.Null((Assert.IsType<CodeStep>(c).Step as SweepContribute)?.Earlier));
    }

    [Fact]
    public void AnElementThatMayBeTheSame_InBetween_KeepsThemApart()
    {
        var code = Steps(Into(Element(I), "db"), Into(Element(new VariableExpr("j", DataType.Int)), "da"), Into(Element(I), "dp"));

        ElementContributions.Merge(code);

        Assert.All(code, c => Assert.Null((Assert.IsType<CodeStep>(c).Step as SweepContribute)?.Earlier));
    }

    private static List<Code> Steps(params SweepStep[] steps) => steps.Select(s => (Code)new CodeStep(s)).ToList();

    private static ElementExpr Element(Expr index) => new("dx", index, DataType.Double);

    private static BinaryExpr Plus(Expr index, int by) => new(BinaryOp.Add, index, LiteralExpr.Int(by), DataType.Int);

    private static SweepContribute Into(Expr adjoint, string gradient) =>
        new(adjoint, Declare: false, EquatableArray.Of(new RuleTerm(Subtract: false, Term.G)),
            new GateNames(new VariableExpr(gradient, DataType.Double), new VariableExpr("z", DataType.Double), EquatableArray<Expr>.Empty));
}
