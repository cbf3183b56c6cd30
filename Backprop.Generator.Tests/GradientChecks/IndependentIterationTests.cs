using System;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Which loops go back through each iteration right after it (issue 14: no tape beyond one iteration, as ADBench's Manual
/// GMM derivative does per point), and which may not. Gradients: the catalog (Functions/IndependentIterations.cs).
/// </summary>
public sealed class IndependentIterationTests
{
    private const string Fused = "only sums into the result";

    [Fact]
    public void ScratchArraysSetEachRound_AndASubtractedSum_AreFused_WithMinusDResult()
    {
        var code = GeneratedBackward.OfCatalog("IndependentIterations.cs", "PointsSubtracted");

        Assert.Contains("// total only sums into the result: its gradient is -dResult", code, StringComparison.Ordinal);
        Assert.Contains("double dtotal = -dResult;", code, StringComparison.Ordinal);
        Assert.DoesNotContain("backward of: for (int p = 0", code, StringComparison.Ordinal);
    }

    [Fact]
    public void ABranchOnAValueTheIterationSets_IsFused()
    {
        Assert.Contains(Fused, GeneratedBackward.OfCatalog("IndependentIterations.cs", "BranchPerIteration"), StringComparison.Ordinal);
    }

    [Fact]
    public void AParameterSumReadBeforeTheLoop_IsFused()
    {
        Assert.Contains(Fused, GeneratedBackward.OfCatalog("IndependentIterations.cs", "ParameterSumReadBefore"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CarriedState")]
    [InlineData("ReadAfterTheLoop")]
    [InlineData("SumValueReadGoingBack")]
    public void IterationsThatDependOnEachOther_OrOnWhatIsReadAfter_AreNotFused(string method)
    {
        Assert.DoesNotContain(Fused, GeneratedBackward.OfCatalog("IndependentIterations.cs", method), StringComparison.Ordinal);
    }

    private const string Merged = "SampleLossBackward returns SampleLoss's value";

    [Theory]
    [InlineData("PerSampleLoss", "dloss")]
    [InlineData("PerSampleLikelihoodSubtracted", "dtotal")]
    public void ACallAddedIntoTheSum_RunsOnce_ItsPullbackInItsPlace(string method, string sumGradient)
    {
        var code = GeneratedBackward.OfCatalog("IndependentIterations.cs", method);

        Assert.Contains(Merged, code, StringComparison.Ordinal);
        Assert.Matches(@"\w+ = global::Backprop\.Generator\.Tests\.GradientChecks\.Functions\.IndependentIterations\.SampleLossBackward\(", code);
        Assert.DoesNotContain(code.Split('\n'), line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal) && line.Contains("IndependentIterations.SampleLoss(", StringComparison.Ordinal)); // no forward call left
        Assert.Contains(sumGradient, code, StringComparison.Ordinal);
    }

    [Fact]
    public void ACallWhoseValueIsReadAgain_KeepsItsForwardCall()
    {
        var code = GeneratedBackward.OfCatalog("IndependentIterations.cs", "SampleLossReadTwice");

        Assert.Contains(Fused, code, StringComparison.Ordinal);
        Assert.DoesNotContain(Merged, code, StringComparison.Ordinal);
        Assert.Contains(code.Split('\n'), line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal) && line.Contains("IndependentIterations.SampleLoss(", StringComparison.Ordinal));
    }

    [Fact]
    public void GmmObjective_GoesBackThroughEachPointRightAfterIt()
    {
        var code = GeneratedBackward.Of(System.IO.Path.Combine("Backprop.Benchmarks", "Adbench", "Gmm.cs"), "Objective");

        Assert.Contains("// slse only sums into the result: its gradient is dResult", code, StringComparison.Ordinal);
        Assert.DoesNotContain("backward of: for (int ix", code, StringComparison.Ordinal);

        // as the Manual derivative's dmi: the triangular loop's gradient into x − μ at i is summed in a register
        Assert.Contains("dxCentered[i] = dxCenteredSum; // this pass's first contribution: it sets, not adds", code, StringComparison.Ordinal);

        // each point's log-sum-exp runs once: its pullback returns its value
        Assert.Contains("logSumExp = global::Backprop.Benchmarks.Adbench.Gmm.LogSumExpBackward(mainTerm, dlogSumExp, dmainTerm);", code, StringComparison.Ordinal);
    }
}
