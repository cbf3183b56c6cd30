using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// One SinCos per angle (issue 14): which sines and cosines the forward sweep computes once and shares, asserted on the
/// plan (<see cref="SweepSinCos"/>: computed, or taken from values held for the same angle). The gradients are checked
/// with the catalog (Functions/SharedSinCos.cs).
/// </summary>
public sealed class SharedSinCosTests
{
    [Fact]
    public void Rotation_CallsSinCosOncePerValueOfTheAngle()
    {
        var pairs = ForwardOf("Rotation");

        Assert.Equal(2, Computed(pairs)); // t, then t * 2
        Assert.Equal(2, pairs.Count(p => p.Held is not null));
    }

    [Fact]
    public void AcrossABranch_SharesInside_ButNotAfterABranchThatChangesTheAngle()
    {
        var pairs = ForwardOf("AcrossABranch");

        Assert.Equal(2, Computed(pairs)); // before the branch (shared inside it), and after it
        Assert.Single(pairs, p => p.Held is not null);
    }

    [Fact]
    public void InALoop_SharesWithinAnIteration_NotAnAngleTheLoopChanges()
    {
        var pairs = ForwardOf("InALoop");

        // sin(t) before the loop; in the body sin(a) with cos(a) shared, cos(t) again (t changes in the loop); cos(t) after.
        Assert.Equal(4, Computed(pairs));
        var held = Assert.Single(pairs, p => p.Held is not null);
        Assert.Equal("a", Assert.IsType<VariableExpr>(held.Angle).Name);
    }

    [Theory]
    [InlineData("Rotation")]
    [InlineData("AcrossABranch")]
    [InlineData("InALoop")]
    public void ForwardMode_SharesAsTheReverseSweepsForwardPassDoes(string method)
    {
        var tangent = ScalarSweeps.Flat(ScalarSweeps.TangentOfCatalog("SharedSinCos.cs", method).Body).OfType<SweepSinCos>().ToList();

        Assert.Equal(Computed(ForwardOf(method)), Computed(tangent));
        Assert.Contains(tangent, p => p.Held is not null);
    }

    /// <summary>The SinCos pairs of the pullback's forward sweep, in order.</summary>
    private static List<SweepSinCos> ForwardOf(string method) =>
        ScalarSweeps.Flat(ScalarSweeps.OfCatalog("SharedSinCos.cs", method).Forward).OfType<SweepSinCos>().ToList();

    /// <summary>How many of <paramref name="pairs"/> call SinCos (the others take values held for their angle).</summary>
    private static int Computed(List<SweepSinCos> pairs) => pairs.Count(p => p.Held is null);
}
