using System;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// What a loop that only adds to a value keeps for the backward sweep (issue 14's "record only what is needed"): the
/// scalar cases are in the gradient catalog (<see cref="Accumulations"/>); here the array one, and the code itself.
/// </summary>
public sealed class AccumulationTests
{
    [Fact]
    public void TriangularQuadratic_MatchesCentralDifferences()
    {
        const int d = 4;
        var random = new Random(14);
        var q = Enumerable.Range(0, d * d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var x = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var (dq, dx) = (new double[q.Length], new double[d]);

        var value = Accumulations.TriangularQuadraticGradient(q, x, d, dq, dx);

        Assert.Equal(Accumulations.TriangularQuadratic(q, x, d), value, 12);
        for (var i = 0; i < q.Length; i++)
        {
            Assert.Equal(FiniteDifference.CentralAt(q, i, v => Accumulations.TriangularQuadratic(v, x, d)), dq[i], 7);
        }

        for (var i = 0; i < d; i++)
        {
            Assert.Equal(FiniteDifference.CentralAt(x, i, v => Accumulations.TriangularQuadratic(q, v, d)), dx[i], 7);
        }
    }

    [Fact]
    public void TriangularQuadratic_KeepsNothingPerMultiplyAdd()
    {
        var code = GeneratedBackward.OfCatalog("Accumulations.cs", "TriangularQuadratic");

        // Nothing at all: per multiply-add the sum is not read going back, idx++ is undone and the inner loop is gone back
        // through from its bound (no count kept); the outer iterations only add into total, so each goes back right after
        // it, and acc = 0.0 and idx = i * d overwrite only an earlier iteration's values, which nothing reads.
        var sweeps = ScalarSweeps.OfCatalog("Accumulations.cs", "TriangularQuadratic");
        Assert.Empty(ScalarSweeps.OnTape(sweeps));
        Assert.Empty(ScalarSweeps.InLocals(sweeps));
        Assert.Single(ScalarSweeps.Flat(sweeps.Forward).OfType<SweepFusedSumComment>());
        Assert.Single(ScalarSweeps.Flat(sweeps.Forward), s => s is SweepUndoCount { Name: "idxBack", Adds: true, By: LiteralExpr { Text: "1" } });
        Assert.Contains("only sums into the result", code);
        Assert.Contains("idxBack -= 1; // undoes idx = idx + 1: nothing kept", code);
    }

    [Fact]
    public void NestedSums_KeepNothing_TheOuterIterationsBeingIndependent()
    {
        // s = 0 overwrites the s that the last iteration's s * s read: that one is kept; the inner += keep nothing.
        // The outer iterations only add into total: each goes back right after it, so s = 0 keeps no earlier s either.
        Assert.Empty(ScalarSweeps.OnTape(ScalarSweeps.OfCatalog("Accumulations.cs", "Nested")));
    }

    [Fact]
    public void AValueReadBeforeTheLoop_IsKeptOnceAtItsEntry()
    {
        var code = GeneratedBackward.OfCatalog("Accumulations.cs", "ReadBeforeTheLoop");

        Assert.Contains("double accBeforeLoop = acc; // the loop only adds to acc, which the backward pass does not read inside it: its value before the loop is kept", code);
        Assert.Contains("acc = accBeforeLoop; // as it was before the loop", code);
        var sweeps = ScalarSweeps.OfCatalog("Accumulations.cs", "ReadBeforeTheLoop");
        Assert.Contains("accBeforeLoop ← acc", ScalarSweeps.InLocals(sweeps));
        Assert.DoesNotContain(ScalarSweeps.OnTape(sweeps), p => p.Contains("acc", StringComparison.Ordinal));
    }

    [Fact]
    public void AnArrayOnlyAddedInto_KeepsNothingPerMultiplyAdd_NorWhole()
    {
        var code = GeneratedBackward.OfCatalog("Accumulations.cs", "TriangularIntoArray");

        // The rounds only add into total: each goes back right after it, so y[i] = x[i]·(w + r), first in the round, keeps
        // no old element (going back, nothing before it in the round reads y, and the earlier round's step has run); the
        // triangular loop only adds into y, which that loop filled just before it, so y is not kept whole either; m++ is
        // undone; m = 0 and sin(y[d / 2]) keep no earlier m or cos.
        Assert.Empty(ScalarSweeps.OnTape(ScalarSweeps.OfCatalog("Accumulations.cs", "TriangularIntoArray")));
        Assert.DoesNotContain("PopAll", code, StringComparison.Ordinal);

        // Going back over j, dx[i] does not move: it is added up in a local, and into the element once after the loop.
        Assert.Contains("double dxSum = 0.0; // what the loop adds into one element, added into it once after", code);
        Assert.Contains("dxSum += ", code);
        Assert.Contains("dx[i] += dxSum;", code);
        Assert.Contains("mBack -= 1; // undoes m = m + 1: nothing kept", code);
    }

    [Fact]
    public void AnArrayFilledOnlyInPart_IsStillKeptWholeBeforeTheLoopThatAddsIntoIt()
    {
        var code = GeneratedBackward.OfCatalog("Accumulations.cs", "PartlyFilledThenAddedInto");
        Assert.Contains("tape all y", ScalarSweeps.OnTape(ScalarSweeps.OfCatalog("Accumulations.cs", "PartlyFilledThenAddedInto")));
        Assert.Contains("tape.PopAll(y); // as it was before the loop", code, StringComparison.Ordinal);
    }

    [Fact]
    public void ArrayAddedIntoEachRound_IsKeptWholePerRound()
    {
        // y[i] = x[i] writes each element of the fresh array first: the zeros it overwrites are not kept. Each round's
        // inner loop only adds into y, and reads only its length: y is kept whole, once per round.
        Assert.Equal(["tape all y"], ScalarSweeps.OnTape(ScalarSweeps.OfCatalog("Accumulations.cs", "ArrayAddedIntoEachRound")));
    }

    [Fact]
    public void FirstWritesIntoAFreshArray_KeepNothing_ASecondWriteKeepsTheFirst()
    {
        var code = GeneratedBackward.OfCatalog("FreshArrays.cs", "ConstantIndexWrites");

        // c is held in locals, c0 for c[0] (SmallArraysInLocals): either spelling
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(code, @"double cBefore\w* = c(\[0\]|0);"));
        Assert.DoesNotMatch(@"= c(\[1\]|1);", code);
        Assert.DoesNotMatch(@"= c(\[2\]|2);", code);
        Assert.Empty(ScalarSweeps.OnTape(ScalarSweeps.OfCatalog("FreshArrays.cs", "LoopWritesEachElementFirst")));
        Assert.Equal(["block cos"], ScalarSweeps.OnTape(ScalarSweeps.OfCatalog("FreshArrays.cs", "GridWrittenRowByRow"))); // sin's cos, per pass
    }

    [Fact]
    public void AnElementSeveralPassesWrite_KeepsWhatEachWriteOverwrites()
    {
        Assert.Contains("block t[r + c]", ScalarSweeps.OnTape(ScalarSweeps.OfCatalog("FreshArrays.cs", "OverlappingElements")));
    }

    [Fact]
    public void APassThatReadsAnotherPassesElement_KeepsWhatItsWriteOverwrites()
    {
        Assert.Contains("block t[i]", ScalarSweeps.OnTape(ScalarSweeps.OfCatalog("FreshArrays.cs", "LoopReadsAnotherPassesElement")));
    }

    [Fact]
    public void AZeroReadBeforeTheFirstWrite_IsKept()
    {
        Assert.Matches(@"double tBefore\w* = t(\[1\]|1);", GeneratedBackward.OfCatalog("FreshArrays.cs", "ZeroReadBeforeTheWrite")); // t1: held in locals
    }
}
