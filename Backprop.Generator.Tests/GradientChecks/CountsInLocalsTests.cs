using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// A count the backward sweep steps back inside a loop nest (<c>m -= 1</c>) is held in a local of the nest
/// (<see cref="CountsInLocals"/>): the method-wide count lived in memory, a load and a store at every step back.
/// </summary>
public sealed class CountsInLocalsTests
{
    private static readonly GateStatement Step = new(GateForm.Assign, Count, new BinaryExpr(BinaryOp.Add, Count, LiteralExpr.Int(1), DataType.Int));

    private static VariableExpr Count => new("m", DataType.Int);

    [Fact]
    public void ACountCarriedAcrossRounds_IsHeldInALocalOfTheNest_AndTakenOffTheTapeAfter()
    {
        var sweeps = ScalarSweeps.OfCatalog("Accumulations.cs", "CountCarriedAcrossRounds");
        var backward = ScalarSweeps.Flat(sweeps.Backward);

        // The round's backward block takes m off the tape, so it is not the nest that holds m: the triangular nest inside it is.
        var held = Assert.Single(backward.OfType<SweepCountInLocal>());
        Assert.Equal(("mBack", "m"), (held.Local, held.Count));
        Assert.Contains("tape m", ScalarSweeps.OnTape(sweeps));
        Assert.All(backward.OfType<SweepUndoCount>(), undo => Assert.Equal("mBack", undo.Name));

        var code = GeneratedBackward.OfCatalog("Accumulations.cs", "CountCarriedAcrossRounds");
        Assert.Contains("int mBack = m; // the loop below steps m back: a local of its own stays in a register", code);
        Assert.Contains("dl[mBack] += ", code);
        Assert.DoesNotContain("m = mBack;", code); // the next step that names m puts it back from the tape
    }

    [Fact]
    public void ACountCarriedAcrossRounds_MatchesCentralDifferences()
    {
        const int d = 5;
        var random = new Random(16);
        var l = Enumerable.Range(0, d + (d * (d - 1) / 2)).Select(_ => random.NextDouble() - 0.5).ToArray();
        var x = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var (dl, dx) = (new double[l.Length], new double[d]);

        var value = Accumulations.CountCarriedAcrossRoundsGradient(l, x, d, dl, dx);

        Assert.Equal(Accumulations.CountCarriedAcrossRounds(l, x, d), value, 12);
        for (var i = 0; i < l.Length; i++)
        {
            Assert.Equal(FiniteDifference.CentralAt(l, i, v => Accumulations.CountCarriedAcrossRounds(v, x, d)), dl[i], 7);
        }

        for (var i = 0; i < d; i++)
        {
            Assert.Equal(FiniteDifference.CentralAt(x, i, v => Accumulations.CountCarriedAcrossRounds(l, v, d)), dx[i], 7);
        }
    }

    [Fact]
    public void ANestThatOnlyStepsTheCount_HoldsIt_AndHandsItBack()
    {
        var steps = CountsInLocals.Hold([Nest(new SweepUndoCount("m", Adds: true, LiteralExpr.Int(1), Step), Use())], Names(), Types());

        Assert.Equal(3, steps.Count);
        Assert.Equal(new SweepCountInLocal("mBack", DataType.Int, "m"), steps[0]);
        var body = ((SweepBlock)steps[1]).Body;
        Assert.Equal("mBack", Assert.IsType<SweepUndoCount>(body[0]).Name);
        Assert.Equal(new ElementExpr("dl", new VariableExpr("mBack", DataType.Int), DataType.Double), Assert.IsType<SweepContribute>(body[1]).Adjoint);
        Assert.Equal(new SweepAssign(Count, new VariableExpr("mBack", DataType.Int)), steps[2]);
    }

    [Fact]
    public void ANestWithAStepTheWalkDoesNotKnow_KeepsTheCountAsItIs()
    {
        // A call may read the count where the walk cannot see: renaming around it could leave a read of the stale m.
        var call = new SweepRuleCall("Rule", new Expr[] { Count }.ToEquatableArray(), null, new VariableExpr("dq", DataType.Double), Array.Empty<CallAdjoint>().ToEquatableArray());
        var nest = Nest(new SweepUndoCount("m", Adds: true, LiteralExpr.Int(1), Step), call);

        Assert.Equal([nest], CountsInLocals.Hold([nest], Names(), Types()));
    }

    [Fact]
    public void ANestThatAlsoPutsTheCountBack_LeavesItToTheNestInside()
    {
        var inner = Nest(new SweepUndoCount("m", Adds: true, LiteralExpr.Int(1), Step), Use());
        var outer = new SweepBlock(new BackByCountHeader("r", LiteralExpr.Int(0), Ascending: true, "rounds"), new SweepStep[] { inner, new SweepRestore(Count, new KeptOnTape("tape", DataType.Int)) }.ToEquatableArray(), []);

        var steps = CountsInLocals.Hold([outer], Names(), Types());

        var body = Assert.IsType<SweepBlock>(Assert.Single(steps)).Body;
        Assert.IsType<SweepCountInLocal>(body[0]);
        Assert.IsType<SweepBlock>(body[1]);
        Assert.Equal(new SweepRestore(Count, new KeptOnTape("tape", DataType.Int)), body[2]); // no hand-back: m comes off the tape next
        Assert.Equal(3, body.Count);
    }

    private static SweepBlock Nest(params SweepStep[] body) =>
        new(new BackFromBoundHeader("j", BinaryOp.LessThan, LiteralExpr.Int(0), new VariableExpr("d", DataType.Int)), body.ToEquatableArray(), []);

    /// <summary><c>dl[m] += x * dq;</c> — the multiply gate of <c>q = l[m] * x</c>.</summary>
    private static SweepContribute Use()
    {
        var element = new ElementExpr("l", Count, DataType.Double);
        var x = new VariableExpr("x", DataType.Double);
        var gate = new GateNames(new VariableExpr("dq", DataType.Double), new VariableExpr("q", DataType.Double), new Expr[] { element, x }.ToEquatableArray());
        return new SweepContribute(new ElementExpr("dl", Count, DataType.Double), Declare: false, new[] { new RuleTerm(false, Term.A(1) * Term.G) }.ToEquatableArray(), gate);
    }

    private static NameBuilder Names() => new(["m", "d", "j", "l", "dl", "x", "q", "dq", "r"]);

    private static Dictionary<string, DataType> Types() => new() { ["m"] = DataType.Int, ["d"] = DataType.Int };
}
