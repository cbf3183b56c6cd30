using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// An array each pass of a loop fills, then reads last in a loop over every element: going back, that loop's first
/// contribution sets each element of its adjoint, and the fill's takes leave the adjoint uncleared — the next pass back
/// sets it before adding to it (Analysis.PassReaders; ADBench GMM). Gradients, tangents and Hessians of these functions:
/// the catalog (Functions/PassAdjoints.cs), against central differences, with two or more passes.
/// </summary>
public sealed class PassAdjointsTests
{
    [Fact]
    public void ArraysRefilledEachPass_AreSetByTheirLastReader_AndTakenWithoutClearing()
    {
        var backward = Steps("RefilledEachPass");

        // b is read last by a plain loop (its contribution sets db[i]); a by a triangular nest, summed in a local that sets da[i].
        var set = Assert.Single(backward.OfType<SweepContribute>(), c => c.Sets);
        Assert.Equal(new ElementExpr("db", new VariableExpr("i", DataType.Int), DataType.Double), set.Adjoint);
        var handed = Assert.Single(backward.OfType<SweepAddLocal>(), a => a.Sets);
        Assert.Equal("da", ((ElementExpr)handed.Target).Array);

        Assert.Equal(["da", "db"], backward.OfType<SweepTakeElement>().Select(t => Assert.IsType<ElementExpr>(t.Element)).Select(e => e.Array).Order());
        Assert.All(backward.OfType<SweepTakeElement>(), take => Assert.True(take.LeftAsIs));
        Assert.DoesNotContain(backward.OfType<SweepZero>(), zero => zero.Target is ElementExpr { Array: "da" or "db" });

        var code = GeneratedBackward.OfCatalog("PassAdjoints.cs", "RefilledEachPass");
        Assert.Contains("da[i] = daSum; // this pass's first contribution: it sets, not adds", code, StringComparison.Ordinal);
        Assert.Contains("// not cleared: the next pass sets it first", code, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArrayRefilledInPassesThatGoBackRightAfterTheyRun_IsSetToo()
    {
        var steps = Steps("RefilledEachFusedPass");

        Assert.Single(steps.OfType<SweepContribute>(), c => c.Sets);
        Assert.True(Assert.Single(steps.OfType<SweepTakeElement>()).LeftAsIs);
        Assert.Contains("only sums into the result", GeneratedBackward.OfCatalog("PassAdjoints.cs", "RefilledEachFusedPass"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ReadBeforeTheFill")]
    [InlineData("ReadLastInSomeIterations")]
    [InlineData("ReadLastUnlessThePassStops")]
    [InlineData("ReadLastAtAnotherElement")]
    [InlineData("ReadAfterThePasses")]
    public void NearMisses_ClearTheAdjointAsTheyTakeIt(string method)
    {
        var backward = Steps(method);

        Assert.DoesNotContain(backward.OfType<SweepContribute>(), c => c.Sets);
        Assert.DoesNotContain(backward.OfType<SweepAddLocal>(), a => a.Sets);
        var takes = backward.OfType<SweepTakeElement>().ToList();
        Assert.NotEmpty(takes);
        Assert.All(takes, take => Assert.False(take.LeftAsIs));
        Assert.Equal(takes.Count, backward.OfType<SweepZero>().Count(z => z.Target is ElementExpr { Array: "da" }));
    }

    [Fact]
    public void RefilledEachPass_OverSeveralPasses_MatchesCentralDifferences()
    {
        // One pass, and several: each pass back must overwrite what the pass before left in da and db.
        foreach (var n in new[] { 1, 2, 5 })
        {
            var (x, y) = (0.37, -0.81);
            var value = Functions.PassAdjoints.RefilledEachPassGradient(x, y, n, out var dx, out var dy);
            Assert.Equal(Functions.PassAdjoints.RefilledEachPass(x, y, n), value, 12);
            Assert.Equal(FiniteDifference.Central(v => Functions.PassAdjoints.RefilledEachPass(v, y, n), x, FiniteDifference.DoubleStep(x)), dx, 6);
            Assert.Equal(FiniteDifference.Central(v => Functions.PassAdjoints.RefilledEachPass(x, v, n), y, FiniteDifference.DoubleStep(y)), dy, 6);
        }
    }

    /// <summary>Every step of both sweeps: a loop whose passes go back right after they run does so in the forward one.</summary>
    private static List<SweepStep> Steps(string method)
    {
        var sweeps = ScalarSweeps.OfCatalog("PassAdjoints.cs", method);
        return ScalarSweeps.Flat(sweeps.Forward.Concat(sweeps.Backward));
    }
}
