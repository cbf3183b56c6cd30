using System;
using System.IO;
using System.Linq;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// A Jacobian's rows run the backward pass once per output after one forward pass (issue 14, ADBench BA). Adjoints a
/// pass leaves at zero are not cleared again for the next row — a local array written whole before it is read, an output
/// nothing reads — and the others are; asserted on the plan and the code, and the Jacobians against central differences
/// (VectorFunctionTests has the same functions' other members).
/// </summary>
public sealed class JacobianRowTests
{
    private static readonly string s_vectorFunctions = Repository.CatalogFile("VectorFunctions.cs");

    [Fact]
    public void ArraysWrittenWholeFirst_AndAnUnreadOutput_AreNotClearedPerRow()
    {
        var plan = ScalarSweeps.PlanOfCatalog("VectorFunctions.cs", "ScratchWrittenFirstInArrays");

        Assert.Equal(["dp", "dq", "dr"], plan.ArrayAdjoints.Where(a => a.LeftZero).Select(a => a.Name));
        Assert.Equal(["y"], plan.UnreadOutputs);
        var rows = GeneratedBackward.JacobianRowsOf(s_vectorFunctions, "ScratchWrittenFirstInArrays");
        Assert.DoesNotContain("Clear(", GeneratedBackward.PerRow(rows), StringComparison.Ordinal);
        Assert.Contains("dyPending.Clear(); // nothing reads y: each pass takes its seed back, so this is cleared once", rows, StringComparison.Ordinal);
    }

    /// <summary>The same arrays held in locals, element by element: no row zeroes them either.</summary>
    [Fact]
    public void ElementsHeldInLocals_WrittenWholeFirst_AreNotZeroedPerRow()
    {
        var perRow = GeneratedBackward.PerRow(GeneratedBackward.JacobianRowsOf(s_vectorFunctions, "ScratchWrittenFirst"));

        Assert.Contains("dp0", perRow, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bd[pqr]\d = 0;", perRow.Substring(0, perRow.IndexOf("// y[", StringComparison.Ordinal)));
    }

    [Fact]
    public void AnArrayReadBeforeItIsWritten_IsClearedPerRow()
    {
        var plan = ScalarSweeps.PlanOfCatalog("VectorFunctions.cs", "ReadBeforeWrittenInArray");

        Assert.Equal([("dt", false)], plan.ArrayAdjoints.Select(a => (a.Name, a.LeftZero)));
        Assert.Contains("global::System.Array.Clear(dt);", GeneratedBackward.PerRow(GeneratedBackward.JacobianRowsOf(s_vectorFunctions, "ReadBeforeWrittenInArray")), StringComparison.Ordinal);
    }

    /// <summary>The same function with t of two elements, held in locals (SmallArraysInLocals): each row zeroes them first.</summary>
    [Fact]
    public void ElementsHeldInLocals_ReadBeforeTheyAreWritten_AreZeroedPerRow()
    {
        var plan = ScalarSweeps.PlanOfCatalog("VectorFunctions.cs", "ReadBeforeWritten");
        var perRow = GeneratedBackward.PerRow(GeneratedBackward.JacobianRowsOf(s_vectorFunctions, "ReadBeforeWritten"));

        Assert.Empty(plan.ArrayAdjoints);
        var firstGate = perRow.IndexOf("// y[1] = product - product2", StringComparison.Ordinal);
        Assert.InRange(perRow.IndexOf("dt0 = 0;", StringComparison.Ordinal), 0, firstGate);
        Assert.InRange(perRow.IndexOf("dt1 = 0;", StringComparison.Ordinal), 0, firstGate);
    }

    [Fact]
    public void BundleAdjustment_ClearsNoAdjointPerRow()
    {
        var path = Path.Combine("Backprop.Benchmarks", "Adbench", "Ba.cs");

        Assert.DoesNotContain("Clear(", GeneratedBackward.PerRow(GeneratedBackward.JacobianRowsOf(path, "ReprojectionError")), StringComparison.Ordinal);
    }

    /// <summary>Both arms of ScratchWrittenFirst's if (x₀ &gt; 0 and x₀ &lt; 0), each Jacobian twice into the same buffers.</summary>
    [Theory]
    [InlineData(0.7)]
    [InlineData(-0.4)]
    public void ScratchWrittenFirst_Jacobian_MatchesCentralDifferences(double x0)
    {
        double[] x = [x0, 1.3, -0.6, 0.9];
        var (y, jacobian) = (new double[3], new double[3 * 4]);
        for (var call = 0; call < 2; call++)
        {
            VectorFunctions.ScratchWrittenFirstJacobian(x, y, jacobian);
            for (var i = 0; i < 3; i++)
            {
                var row = i;
                var gradient = jacobian.AsSpan(4 * i, 4).ToArray();
                ArrayGradient.MatchesCentralDifferences(x, gradient, v =>
                {
                    var values = new double[3];
                    VectorFunctions.ScratchWrittenFirst(v, values);
                    return values[row];
                });
            }
        }
    }

    [Fact]
    public void DivisorsOutsideLoops_AreInvertedOnceBeforeTheRows()
    {
        var rows = GeneratedBackward.JacobianRowsOf(Repository.CatalogFile("VectorFunctions.cs"), "Projection");
        var beforeRows = rows.Substring(0, rows.IndexOf("for (int row = 0;", StringComparison.Ordinal));

        Assert.Contains("double inverseDepth = 1.0 / depth; // each row's divide gates multiply by it", beforeRows);
        Assert.Contains("double inverseP2 = 1.0 / p[2]; // each row's divide gates multiply by it", beforeRows);
        Assert.DoesNotContain(" / depth;", GeneratedBackward.PerRow(rows));
        Assert.DoesNotContain(" / p[2];", GeneratedBackward.PerRow(rows));
    }

    [Fact]
    public void AnOutputsFirstWrites_KeepNothing_SoItsRowsRun()
    {
        // uv[0] = product / depth reads uv[0] going back; the value the write overwrote is the caller's, which nothing reads.
        var sweeps = ScalarSweeps.OfCatalog("VectorFunctions.cs", "Projection");

        Assert.Empty(ScalarSweeps.OnTape(sweeps));
        Assert.Empty(ScalarSweeps.InLocals(sweeps));
        Assert.Contains("private static void ProjectionJacobianRows(", GeneratedBackward.JacobianRowsOf(Repository.CatalogFile("VectorFunctions.cs"), "Projection"));
    }

    [Fact]
    public void Projection_Jacobian_MatchesCentralDifferences()
    {
        double[] p = [0.4, -1.1, 1.7];
        const double f = 1.3;
        var (uv, jacobian) = (new double[2], new double[2 * 4]);
        VectorFunctions.ProjectionJacobian(p, f, uv, jacobian);
        for (var i = 0; i < 2; i++)
        {
            var row = i;
            ArrayGradient.MatchesCentralDifferences([.. p, f], jacobian.AsSpan(4 * i, 4).ToArray(), v =>
            {
                var values = new double[2];
                VectorFunctions.Projection(v.AsSpan(0, 3), v[3], values);
                return values[row];
            });
        }
    }
}
