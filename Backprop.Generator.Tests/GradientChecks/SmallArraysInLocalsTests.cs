using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Small local arrays of constant length whose every index is constant once the loops over them are unrolled are held in
/// one local per element, their adjoints too (SmallArraysInLocals, issue 14: ADBench BA's 3-vectors); the near misses stay
/// arrays. Asserted on the plan and the code; the gradients, tangents and Hessians of these functions are the catalog's
/// (Functions/SmallArrays.cs, StackArrays.cs), against central differences.
/// </summary>
public sealed class SmallArraysInLocalsTests
{
    [Theory]
    [InlineData("NestedLoops", "m")]
    [InlineData("OtherLoopShapes", "t")]
    [InlineData("FloatPair", "p")]
    public void ConstantIndicesOnly_AreHeldInLocals(string method, string array)
    {
        var plan = ScalarSweeps.PlanOfCatalog("SmallArrays.cs", method);
        var steps = ScalarSweeps.Flat(plan.Sweeps.Forward.Concat(plan.Sweeps.Backward));

        Assert.Empty(plan.ArrayAdjoints);
        Assert.Equal([array, array], steps.OfType<SweepElementLocals>().Select(l => l.Array));
        var names = new HashSet<string> { array, "d" + array };
        Assert.DoesNotContain(steps.Where(s => s is not (SweepGateComment or SweepBackwardOf or SweepElementLocals or SweepUnrolledComment or SweepBlock)), s => NamesHeld.AnyOf(s, names));
        Assert.DoesNotContain(steps.OfType<SweepBlock>(), b => b.Header is ForHeader or BackFromBoundHeader or BackSteppedHeader);
    }

    [Theory]
    [InlineData("IndexFromAParameter")]
    [InlineData("LoopWithABreak")]
    [InlineData("CounterTested")]
    [InlineData("FiveElements")]
    [InlineData("SteppedByTwo")]
    public void NearMisses_StayArrays(string method)
    {
        var plan = ScalarSweeps.PlanOfCatalog("SmallArrays.cs", method);
        var steps = ScalarSweeps.Flat(plan.Sweeps.Forward.Concat(plan.Sweeps.Backward));

        Assert.Equal(["dt"], plan.ArrayAdjoints.Select(a => a.Name));
        Assert.Empty(steps.OfType<SweepElementLocals>());
        Assert.Empty(steps.OfType<SweepUnrolledComment>());
    }

    [Fact]
    public void NestedLoops_UnrollOneBlockPerIteration_WithTheCounterInPlace()
    {
        var code = GeneratedBackward.OfCatalog("SmallArrays.cs", "NestedLoops");

        Assert.Contains("double m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0; // m, one local per element", code, StringComparison.Ordinal);
        Assert.Contains("double dm0 = 0.0, dm1 = 0.0, dm2 = 0.0, dm3 = 0.0; // the adjoint of m, one local per element", code, StringComparison.Ordinal);
        Assert.Contains("unrolled (2 iterations) so that m can be held element by element", code, StringComparison.Ordinal);
        Assert.Contains("m3 = ", code, StringComparison.Ordinal); // m[2 * i + j] at i = j = 1
        Assert.DoesNotContain(code.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)), l => l.Contains("m[", StringComparison.Ordinal));
    }

    [Fact]
    public void BundleAdjustment_HoldsEveryVectorInLocals()
    {
        var path = Path.Combine("Backprop.Benchmarks", "Adbench", "Ba.cs");
        var rows = GeneratedBackward.JacobianRowsOf(path, "ReprojectionError");

        Assert.DoesNotContain("stackalloc double[3]", rows, StringComparison.Ordinal);
        foreach (var vector in new[] { "centred", "inCamera", "axis", "axisCrossPoint", "rotCrossPoint" })
        {
            Assert.Contains($" d{vector}2", rows, StringComparison.Ordinal);
            Assert.Contains($" {vector}2", rows, StringComparison.Ordinal);
        }
    }
}
