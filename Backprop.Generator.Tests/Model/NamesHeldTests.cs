using System.Collections.Generic;
using Backprop.Generator.Model;
using Xunit;

namespace Backprop.Generator.Tests.Model;

/// <summary>
/// Whether a Jacobian's rows may run the backward sweep again from one forward sweep depends on the forward sweep naming
/// no parameter's gradient: <see cref="NamesHeld"/> must find a name wherever a step holds it, and only a whole name.
/// </summary>
public sealed class NamesHeldTests
{
    private static readonly HashSet<string> Gradients = ["dx"];

    [Fact]
    public void FindsANameHeldDeepInsideTheSteps()
    {
        // for (…) { if (a >= 0) { dx[i] += g; } }: the name is an element's array, in a contribution, in two blocks.
        var element = new ElementExpr("dx", new VariableExpr("i", DataType.Int), DataType.Double);
        var contribute = new SweepContribute(element, Declare: false, EquatableArray.Of(new RuleTerm(Subtract: false, Term.G)), new GateNames(new VariableExpr("g", DataType.Double), new VariableExpr("z", DataType.Double), EquatableArray<Expr>.Empty));
        var inner = new SweepBlock(new IfHeader(new NonNegativeCondition(new VariableExpr("a", DataType.Double), DataType.Double)), EquatableArray.Of<SweepStep>(contribute), EquatableArray<SweepStep>.Empty);
        var loop = new SweepBlock(new ForHeader("i", LiteralExpr.Int(0), BinaryOp.LessThan, new VariableExpr("n", DataType.Int), Ascending: true), EquatableArray.Of<SweepStep>(inner), EquatableArray<SweepStep>.Empty);

        Assert.True(NamesHeld.AnyOf(EquatableArray.Of<SweepStep>(new SweepBlank(), loop), Gradients));
    }

    [Fact]
    public void FindsANamePassedToACallsPullback()
    {
        var call = new SweepRuleCall("Rules.SquareBackward", EquatableArray.Of<Expr>(new VariableExpr("x", DataType.Double)), new VariableExpr("z", DataType.Double), new VariableExpr("g", DataType.Double), EquatableArray.Of<CallAdjoint>(new AdjointSpan("dx")));

        Assert.True(NamesHeld.AnyOf(EquatableArray.Of<SweepStep>(call), Gradients));
    }

    [Fact]
    public void IgnoresOtherNames_AndNamesThatOnlyContainIt()
    {
        // dxs, x, "dx" inside a longer local's name: no reference to dx.
        var steps = EquatableArray.Of<SweepStep>(
            new SweepAssign(new VariableExpr("dxs", DataType.Double), new BinaryExpr(BinaryOp.Multiply, new VariableExpr("x", DataType.Double), new VariableExpr("dx2", DataType.Double), DataType.Double), DataType.Double),
            new SweepKeep(new KeepInLocal("dxBefore", DataType.Double), new VariableExpr("x", DataType.Double)));

        Assert.False(NamesHeld.AnyOf(steps, Gradients));
    }
}
