using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// Where a local adjoint is declared: an adjoint only one arm of an if touches, with no loop between the arm and where it
/// would otherwise live, is declared in the arm — by its first contribution, not as a zero up front that the arm adds
/// to. (The gradients themselves are checked in the catalog: <c>ControlFlow.OneArmEach</c>, <c>ControlFlow.CarriedInOneArm</c>.)
/// </summary>
public sealed class AdjointHomeTests
{
    [Fact]
    public void AdjointsOnlyOneArmTouches_AreDeclaredInThatArm()
    {
        var code = GeneratedBackward.OfCatalog("ControlFlow.cs", "OneArmEach");

        Assert.Contains("double dp = ", code);
        Assert.Contains("double dq = ", code);
        Assert.DoesNotContain("double dp = 0.0;", code);
        Assert.DoesNotContain("double dq = 0.0;", code);
        Assert.DoesNotContain("dp += ", code);
        Assert.DoesNotContain("dq += ", code);

        var upFront = ScalarSweeps.OfCatalog("ControlFlow.cs", "OneArmEach").BeforeBackward.OfType<SweepDeclareZero>().Select(d => d.Name);
        Assert.DoesNotContain("dp", upFront);
        Assert.DoesNotContain("dq", upFront);
    }

    [Fact]
    public void AnAdjointOneArmTouchesInALoop_StaysOutsideTheLoop()
    {
        // ds carries from one iteration back to the one before: declared in the arm, it would restart at zero each time.
        var sweeps = ScalarSweeps.OfCatalog("ControlFlow.cs", "CarriedInOneArm");

        Assert.Contains("ds", sweeps.BeforeBackward.OfType<SweepDeclareZero>().Select(d => d.Name));
    }

    [Fact]
    public void BundleAdjustmentsRows_DeclareTheRotationsAdjointsInItsArms()
    {
        var rows = GeneratedBackward.JacobianRowsOf("Backprop.Benchmarks/Adbench/Ba.cs", "ReprojectionError");

        // Each arm of 'if (sqTheta != 0)' has adjoints of its own; dsqTheta, which both arms add into, stays at the top.
        Assert.Contains("double dproduct6 = daxisCrossPointElement;", rows);
        Assert.Contains("double dproduct12 = drotCrossPointElement", rows);
        Assert.DoesNotContain("double dproduct6 = 0.0;", rows);
        Assert.Contains("double dsqTheta = 0.0;", rows);
    }
}
