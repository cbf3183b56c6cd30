using System;
using System.Linq;
using System.Text.RegularExpressions;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// A [Differentiable] method that is one loop summing into a local (GMM's <c>SquaredNorm</c>), called in a loop, is read in
/// place: no call of it or of its pullback per pass (issue 14: the JIT does not inline a method with a loop, and at d = 2
/// the call was most of GMM's gap to Manual). Called outside loops, or when its loop calls a function, it stays a call.
/// </summary>
public sealed class SumLoopHelperTests
{
    [Fact]
    public void SumLoopsInALoop_ReadsThemInPlace_OnlyInTheLoop()
    {
        var code = NotComments(GeneratedBackward.OfCatalog("Calls.cs", "SumLoopsInALoop"));

        // The call before the loop: once going forward, its pullback once going back; none for the two in the loop.
        Assert.Single(Regex.Matches(code, @"Calls\.SumOfProducts\("));
        Assert.Single(Regex.Matches(code, @"Calls\.SumOfProductsBackward\(w, x,"));
        Assert.Contains("Calls.SumOfSines(w)", code, StringComparison.Ordinal); // its loop calls Math.Sin: still a call
        Assert.Contains("Calls.SumOfSinesBackward(w,", code, StringComparison.Ordinal);
    }

    [Fact]
    public void GmmObjective_ReadsSquaredNormInPlace()
    {
        var code = NotComments(GeneratedBackward.Of(System.IO.Path.Combine("Backprop.Benchmarks", "Adbench", "Gmm.cs"), "Objective"));

        Assert.DoesNotContain("SquaredNorm(", code, StringComparison.Ordinal);
        Assert.DoesNotContain("SquaredNormBackward(", code, StringComparison.Ordinal);
    }

    [Fact]
    public void SumLoopsInALoop_MatchesCentralDifferences()
    {
        var random = new Random(17);
        var w = Enumerable.Range(0, 4).Select(_ => random.NextDouble() - 0.5).ToArray();
        var x = Enumerable.Range(0, 4).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (dw, dx) = (new double[4], new double[4]);

        var value = Calls.SumLoopsInALoopGradient(w, x, dw, dx);

        Assert.Equal(Calls.SumLoopsInALoop(w, x), value, 12);
        ArrayGradient.MatchesCentralDifferences(w, dw, v => Calls.SumLoopsInALoop(v, x));
        ArrayGradient.MatchesCentralDifferences(x, dx, v => Calls.SumLoopsInALoop(w, v));
    }

    private static string NotComments(string code) => Regex.Replace(code, "//.*", string.Empty);
}
