using System;
using System.Linq;
using System.Text.RegularExpressions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// One SinCos per angle (issue 14): which sines and cosines the forward sweep computes once and shares. The gradients are
/// checked with the catalog (Functions/SharedSinCos.cs).
/// </summary>
public sealed class SharedSinCosTests
{
    [Fact]
    public void Rotation_CallsSinCosOncePerValueOfTheAngle()
    {
        var code = ForwardOf("Rotation");

        Assert.Equal(2, Calls(code)); // t, then t * 2
        Assert.Equal(2, code.Split('\n').Count(l => l.Contains("computed above", StringComparison.Ordinal)));
    }

    [Fact]
    public void AcrossABranch_SharesInside_ButNotAfterABranchThatChangesTheAngle()
    {
        var code = ForwardOf("AcrossABranch");

        Assert.Equal(2, Calls(code)); // before the branch (shared inside it), and after it
        Assert.Single(code.Split('\n'), l => l.Contains("computed above", StringComparison.Ordinal));
    }

    [Fact]
    public void InALoop_SharesWithinAnIteration_NotAnAngleTheLoopChanges()
    {
        var code = ForwardOf("InALoop");

        // sin(t) before the loop; in the body sin(a) with cos(a) shared, cos(t) again (t changes in the loop); cos(t) after.
        Assert.Equal(4, Calls(code));
        Assert.Single(code.Split('\n'), l => l.Contains("sin and cos of a, computed above", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Rotation")]
    [InlineData("AcrossABranch")]
    [InlineData("InALoop")]
    public void ForwardMode_SharesAsTheReverseSweepsForwardPassDoes(string method)
    {
        var tangent = GeneratedBackward.TangentOfCatalog("SharedSinCos.cs", method);

        Assert.Equal(Calls(ForwardOf(method)), Calls(tangent));
        Assert.Contains("computed above", tangent, StringComparison.Ordinal);
    }

    private static string ForwardOf(string method)
    {
        var code = GeneratedBackward.OfCatalog("SharedSinCos.cs", method);
        return code.Substring(0, code.IndexOf("// backward pass", StringComparison.Ordinal));
    }

    private static int Calls(string code) => Regex.Matches(code, @"\.SinCos\(").Count;
}
