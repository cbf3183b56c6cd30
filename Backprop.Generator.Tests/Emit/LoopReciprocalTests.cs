using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// A divide gate in a loop that does not write its divisor multiplies by the reciprocal, worked out once before the loop
/// going back (the gradients are checked in the catalog: <c>Loops.DividedByWhatTheLoopKeeps</c>, <c>…Changes</c>).
/// </summary>
public sealed class LoopReciprocalTests
{
    [Fact]
    public void ADivisorTheLoopDoesNotWrite_IsInvertedOnceBeforeIt()
    {
        var code = GeneratedBackward.OfCatalog("Loops.cs", "DividedByWhatTheLoopKeeps");

        Assert.Contains("double inverseS = 1.0 / s; // the loop's divide gates below multiply by it", code);
        Assert.Contains("OverDivisor = dq * inverseS;", code);
        Assert.DoesNotContain("dq / s", code); // the forward pass still divides: q = sum / s
    }

    [Fact]
    public void ADivisorTheLoopWrites_IsDividedByInEachIteration()
    {
        var code = GeneratedBackward.OfCatalog("Loops.cs", "DividedByWhatTheLoopChanges");

        Assert.DoesNotContain("inverse", code);
        Assert.Contains("OverDivisor = dq / s;", code);
    }

    [Fact]
    public void BundleAdjustmentsRows_InvertTheAngleOncePerRow()
    {
        var rows = GeneratedBackward.JacobianRowsOf("Backprop.Benchmarks/Adbench/Ba.cs", "ReprojectionError");

        Assert.Contains("double inverseTheta = 1.0 / theta;", rows);
        Assert.Contains("double daxisElementOverDivisor = daxisElement * inverseTheta;", rows);
    }
}
