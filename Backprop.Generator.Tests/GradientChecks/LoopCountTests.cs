using System;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Which loops the backward sweep goes back through from their bounds, with no iteration count kept (issue 14: record
/// only what is needed), and which keep their counts. Their gradients are in the catalog (Functions/Loops.cs).
/// </summary>
public sealed class LoopCountTests
{
    [Fact]
    public void CountedLoops_OfEveryComparison_GoBackFromTheirBounds()
    {
        var code = GeneratedBackward.OfCatalog("Loops.cs", "CountedEveryWay");

        Assert.DoesNotContain("iterations", code, StringComparison.Ordinal);
        Assert.Contains("for (int i = n; i >= 1; i--)", code, StringComparison.Ordinal);        // i <= n
        Assert.Contains("for (int i = 1; i <= top; i++)", code, StringComparison.Ordinal);      // i > 0, from top
        Assert.Contains("for (int i = -1; i <= n; i++)", code, StringComparison.Ordinal);       // i >= -1, from n
        Assert.Contains("for (int j = top - 1; j >= i; j--)", code, StringComparison.Ordinal);  // an outer counter as start
    }

    [Fact]
    public void LoopLeftEarly_OrWithAChangingBound_KeepsItsCount()
    {
        var sweeps = ScalarSweeps.OfCatalog("Loops.cs", "CountKeptWhenLeftEarlyOrBoundChanges");

        // both inner loops run inside the outer one: their counts go on the tape
        Assert.Equal(2, ScalarSweeps.OnTape(sweeps).Count(k => k.StartsWith("tape iterations", StringComparison.Ordinal)));
    }

    [Fact]
    public void GmmObjective_KeepsNothingPerMultiplyAdd_NorAnyLoopCount()
    {
        var code = GeneratedBackward.Of(System.IO.Path.Combine("Backprop.Benchmarks", "Adbench", "Gmm.cs"), "Objective");

        // Per component and point: x − μ and Q's diagonal part fill d values each afresh, so each component takes rows of
        // its own for them and keeps nothing they overwrite (before the rows: a block of 2d per component); the
        // triangular loop only adds into Q·(x − μ), which the loop just before it filled element by element, so nothing
        // is kept for it, nor for lIndex, which going back starts again from ik * icfSize + d (CountsFromTheirStart). The main
        // term is not kept: going back through a point, nothing before the component
        // loop reads it (the previous point's backward step has run). No count: every loop runs to its bound. Before the
        // points, sumQs[ik] = s and qDiags[ik * d + id] = exp(…) write each element of their fresh arrays once: nothing kept.
        var sweeps = ScalarSweeps.Of(System.IO.Path.Combine("Backprop.Benchmarks", "Adbench", "Gmm.cs"), "Objective");
        Assert.Empty(ScalarSweeps.OnTape(sweeps));
        Assert.Empty(ScalarSweeps.SaveBlocks(sweeps));
        Assert.Contains("xCentered = xCenteredRows[ik] ??= new double[d];", code, StringComparison.Ordinal);
        Assert.Contains("qxCentered = qxCenteredRows[ik]; // this pass's qxCentered", code, StringComparison.Ordinal);
        Assert.Contains("int lIndexBack = ik * icfSize + d;", code, StringComparison.Ordinal);

        // The contribution into dxCentered[id] just before its take, which leaves it as is, is added in the take (TakenContributions).
        Assert.Contains("double dxCenteredElement = dxCentered[id] + qDiags[ikTimesD + id] * dqxCenteredElement; // not cleared: the next pass sets it first", code, StringComparison.Ordinal);
        Assert.Contains("// dxCentered[id] += qDiags[ikTimesD + id] * dqxCenteredElement: in the statement below that takes dxCentered[id]", code, StringComparison.Ordinal);
    }
}
