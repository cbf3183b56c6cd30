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
        var element = new ElementExpr("dx", new VariableExpr("i", "int"), "double");
        var contribute = new SweepContribute(element, Declare: false, EquatableArray.Of(new RuleTerm(Subtract: false, Term.G)), new GateNames(new VariableExpr("g", "double"), new VariableExpr("z", "double"), EquatableArray<Expr>.Empty));
        var inner = new SweepBlock(new IfHeader(new NonNegativeCondition(new VariableExpr("a", "double"), "double")), EquatableArray.Of<SweepStep>(contribute), EquatableArray<SweepStep>.Empty);
        var loop = new SweepBlock(new ForHeader("i", LiteralExpr.Int(0), BinaryOp.LessThan, new VariableExpr("n", "int"), Ascending: true), EquatableArray.Of<SweepStep>(inner), EquatableArray<SweepStep>.Empty);

        Assert.True(NamesHeld.AnyOf(EquatableArray.Of<SweepStep>(new SweepBlank(), loop), Gradients));
    }

    [Fact]
    public void FindsANamePassedToACallsPullback()
    {
        var call = new SweepRuleCall("Rules.SquareBackward", EquatableArray.Of<Expr>(new VariableExpr("x", "double")), new VariableExpr("z", "double"), new VariableExpr("g", "double"), EquatableArray.Of<CallAdjoint>(new AdjointSpan("dx")));

        Assert.True(NamesHeld.AnyOf(EquatableArray.Of<SweepStep>(call), Gradients));
    }

    [Fact]
    public void IgnoresOtherNames_AndNamesThatOnlyContainIt()
    {
        // dxs, x, "dx" inside a longer local's name: no reference to dx.
        var steps = EquatableArray.Of<SweepStep>(
            new SweepAssign(new VariableExpr("dxs", "double"), new BinaryExpr(BinaryOp.Multiply, new VariableExpr("x", "double"), new VariableExpr("dx2", "double"), "double"), "double"),
            new SweepKeep(new KeepInLocal("dxBefore", "double"), new VariableExpr("x", "double")));

        Assert.False(NamesHeld.AnyOf(steps, Gradients));
    }
}
