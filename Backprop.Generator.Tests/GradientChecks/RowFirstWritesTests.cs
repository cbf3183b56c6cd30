using System;
using System.IO;
using System.Linq;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// A Jacobian's rows: going back, the first contribution into each element of an input's adjoint sets it, so the rows
/// are cleared only when some element may be added into before any contribution sets it (RowFirstWrites; ADBench BA).
/// Every Jacobian here is written into a buffer full of NaN: an element neither set nor cleared would show.
/// </summary>
public sealed class RowFirstWritesTests
{
    private static readonly string s_vectorFunctions = Repository.CatalogFile("VectorFunctions.cs");

    [Fact]
    public void EveryElementSetFirst_LeavesTheRowsUncleared()
    {
        var rows = GeneratedBackward.JacobianRowsOf(s_vectorFunctions, "SetFirstInEveryRow");
        var jacobian = Jacobian("SetFirstInEveryRow");

        // Cleared only when a is longer than the four elements every pass sets.
        Assert.Contains("if (a.Length > 4) jacobian.Clear(); // each backward pass sets the columns of a[0..4), w; any after them it may only add into", jacobian, StringComparison.Ordinal);
        Assert.DoesNotContain("Clear(", GeneratedBackward.PerRow(rows), StringComparison.Ordinal);

        // w at the top; a[0] and a[1] in each arm; a[2] and a[3] by the loop; the later contributions add.
        Assert.Contains("dw = ", GeneratedBackward.PerRow(rows), StringComparison.Ordinal);
        Assert.Contains("dw += ", GeneratedBackward.PerRow(rows), StringComparison.Ordinal);
        Assert.Equal(2, Count(GeneratedBackward.PerRow(rows), "da[0] = "));
        Assert.Equal(2, Count(GeneratedBackward.PerRow(rows), "da[1] = "));
        Assert.Contains("da[i + 2] = ", GeneratedBackward.PerRow(rows), StringComparison.Ordinal);
    }

    [Fact]
    public void AnElementSetInOneArmOnly_ClearsTheRows()
    {
        var jacobian = Jacobian("SetInOneArmOnly");

        Assert.Contains("jacobian.Clear(); // each backward pass adds into its own row", jacobian, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoopUpToALength_ClearsTheRowsWhenTheInputIsLongerThanWhatIsSet()
    {
        var jacobian = Jacobian("SummedOverItsLength");

        Assert.Contains("if (a.Length > 1) jacobian.Clear(); // each backward pass sets the columns of a[0..1), w; any after them it may only add into", jacobian, StringComparison.Ordinal);
        Assert.DoesNotContain("da[i] = ", GeneratedBackward.JacobianRowsOf(s_vectorFunctions, "SummedOverItsLength"), StringComparison.Ordinal);
    }

    [Fact]
    public void BundleAdjustment_SetsTheWholeBlock_AndClearsOnlyForLongerInputs()
    {
        var path = Path.Combine("Backprop.Benchmarks", "Adbench", "Ba.cs");

        Assert.Contains("if (cam.Length > 11 || x.Length > 3) jacobian.Clear();", Jacobian("ReprojectionError", path), StringComparison.Ordinal);
    }

    /// <summary>
    /// Both arms of the if (a[0] &gt; 0 and not), each Jacobian twice into the same buffer, which starts full of NaN; and
    /// an a of five elements, whose last no pass reaches (its column must be cleared).
    /// </summary>
    [Theory]
    [InlineData(0.7, 4)]
    [InlineData(-0.4, 4)]
    [InlineData(0.7, 5)]
    public void SetFirstInEveryRow_Jacobian_MatchesCentralDifferences(double a0, int length) =>
        MatchesCentralDifferences([.. new[] { a0, 1.3, -0.6, 0.9, 2.1 }.Take(length)], 0.8, VectorFunctions.SetFirstInEveryRow, VectorFunctions.SetFirstInEveryRowJacobian);

    [Theory]
    [InlineData(0.7)]
    [InlineData(-0.4)]
    public void SetInOneArmOnly_Jacobian_MatchesCentralDifferences(double a1) =>
        MatchesCentralDifferences([0.5, a1, -0.6], 0.8, VectorFunctions.SetInOneArmOnly, VectorFunctions.SetInOneArmOnlyJacobian);

    /// <summary>One element (every column set, nothing cleared) and three (the rows cleared).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SummedOverItsLength_Jacobian_MatchesCentralDifferences(int length) =>
        MatchesCentralDifferences([.. new[] { 0.5, -1.2, 0.3 }.Take(length)], 0.8, VectorFunctions.SummedOverItsLength, VectorFunctions.SummedOverItsLengthJacobian);

    private delegate void Function(ReadOnlySpan<double> a, double w, Span<double> y);

    private delegate void JacobianOf(ReadOnlySpan<double> a, double w, Span<double> y, Span<double> jacobian);

    private static void MatchesCentralDifferences(double[] a, double w, Function f, JacobianOf jacobianOf)
    {
        var n = a.Length + 1;
        var (y, jacobian) = (new double[2], new double[2 * n]);
        for (var call = 0; call < 2; call++)
        {
            Array.Fill(jacobian, double.NaN);
            jacobianOf(a, w, y, jacobian);
            for (var i = 0; i < 2; i++)
            {
                var row = i;
                ArrayGradient.MatchesCentralDifferences([.. a, w], jacobian.AsSpan(n * i, n).ToArray(), v =>
                {
                    var values = new double[2];
                    f(v.AsSpan(0, a.Length), v[a.Length], values);
                    return values[row];
                });
            }
        }
    }

    /// <summary>The generated <c>…Jacobian</c> of <paramref name="method"/>, up to its rows.</summary>
    private static string Jacobian(string method, string? path = null)
    {
        var file = GeneratedBackward.FileOf(path ?? s_vectorFunctions, method);
        var start = file.IndexOf($"void {method}Jacobian(", StringComparison.Ordinal);
        return file.Substring(start, file.IndexOf($"private static void {method}JacobianRows(", StringComparison.Ordinal) - start);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
