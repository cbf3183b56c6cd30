using System;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// In a backward loop, an element index <c>E + counter</c> whose E does not change in the loop is worked out once before
/// it (InvariantIndices; ADBench GMM's <c>ik * d + id</c>). The catalog (Functions/InvariantIndices.cs) checks these
/// functions' gradients, tangents and Hessians against central differences.
/// </summary>
public sealed class InvariantIndicesTests
{
    [Fact]
    public void ARowsStart_IsWorkedOutOnceBeforeTheLoopOverItsColumns()
    {
        var code = GeneratedBackward.OfCatalog("InvariantIndices.cs", "RowsOfAMatrix");

        Assert.Contains("int rOffset = r * 3;", code, StringComparison.Ordinal);
        Assert.Contains("dm[rOffset + c]", code, StringComparison.Ordinal);
        Assert.DoesNotContain("dm[r * 3 + c]", code, StringComparison.Ordinal);
        Assert.Contains("// m[r * 3 + c] = ", code, StringComparison.Ordinal); // the comment shows the forward statement as written
    }

    [Fact]
    public void AnOffsetTheLoopChanges_StaysWhereItIsRead()
    {
        var code = GeneratedBackward.OfCatalog("InvariantIndices.cs", "OffsetTheLoopSteps");

        // start is stepped back in a local of the nest (startBack), which each column's step back changes.
        Assert.DoesNotContain("Offset = ", code, StringComparison.Ordinal);
        Assert.Contains("dm[startBack * 2 + c]", code, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsOfAMatrix_MatchesCentralDifferences()
    {
        foreach (var rows in new[] { 1, 3 })
        {
            var (x, y) = (0.37, -0.81);
            Functions.InvariantIndices.RowsOfAMatrixGradient(x, y, rows, out var dx, out var dy);
            Assert.Equal(FiniteDifference.Central(v => Functions.InvariantIndices.RowsOfAMatrix(v, y, rows), x, FiniteDifference.DoubleStep(x)), dx, 6);
            Assert.Equal(FiniteDifference.Central(v => Functions.InvariantIndices.RowsOfAMatrix(x, v, rows), y, FiniteDifference.DoubleStep(y)), dy, 6);
        }
    }
}
