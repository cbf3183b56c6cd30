using System;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// A count set before a nest and stepped in it is started afresh going back, the backward nest running forward, when the
/// nest's iterations commute and nothing else reads the count going back (CountsFromTheirStart, issue 14: GMM's lIndex);
/// otherwise it stays on the tape. The gradients,
/// tangents and Hessians of these functions are the catalog's (Functions/CountedNests.cs), against central differences.
/// </summary>
public sealed class CountsFromTheirStartTests
{
    [Fact]
    public void Triangle_KeepsNothing_AndRunsItsBackwardNestForward()
    {
        var sweeps = ScalarSweeps.OfCatalog("CountedNests.cs", "Triangle");
        var code = GeneratedBackward.OfCatalog("CountedNests.cs", "Triangle");

        Assert.DoesNotContain(ScalarSweeps.OnTape(sweeps), kept => kept == "tape at");
        var start = Assert.Single(ScalarSweeps.Flat(sweeps.Forward.Concat(sweeps.Backward)).OfType<SweepCountFromStart>());
        Assert.Equal("at", start.Count);
        Assert.Contains("int atBack = p * d * d; // at where the loop below began, worked out again (nothing kept): its iterations touch separate elements, so it runs forward", code, StringComparison.Ordinal);
        Assert.Contains("atBack += 1; // as at = at + 1 going forward", code, StringComparison.Ordinal);
        Assert.DoesNotContain("atBack -= 1", code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CountReadGoingBack")]
    [InlineData("SteppedFirst")]
    [InlineData("ReadsWhatItWrites")]
    public void NearMisses_KeepTheCount(string method)
    {
        var sweeps = ScalarSweeps.OfCatalog("CountedNests.cs", method);

        Assert.Contains("tape at", ScalarSweeps.OnTape(sweeps));
        Assert.Empty(ScalarSweeps.Flat(sweeps.Forward.Concat(sweeps.Backward)).OfType<SweepCountFromStart>());
    }
}
