using System;
using Backprop.Benchmarks.Adbench;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// ADBench's GMM objective as the benchmark runs it (Backprop.Benchmarks/Adbench): the generated gradient, the hand-written
/// Manual one and central differences agree — so the benchmark compares two right answers.
/// </summary>
public sealed class AdbenchGmmTests
{
    [Theory]
    [InlineData(2, 3, 7)]
    [InlineData(4, 2, 5)]
    [InlineData(1, 4, 3)]
    public void GeneratedGradient_EqualsManual_AndCentralDifferences(int d, int k, int n)
    {
        var p = new GmmProblem(d, k, n, seed: (d * 100) + k);
        var generated = (Alphas: new double[k], Means: new double[p.Means.Length], Icf: new double[p.Icf.Length]);
        var manual = (Alphas: new double[k], Means: new double[p.Means.Length], Icf: new double[p.Icf.Length]);

        var value = Gmm.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, d, k, n, p.WishartGamma, p.WishartM, generated.Alphas, generated.Means, generated.Icf);
        var manualValue = GmmManual.Gradient(p.Alphas, p.Means, p.Icf, p.X, d, k, n, p.WishartGamma, p.WishartM, manual.Alphas, manual.Means, manual.Icf);

        var objective = Gmm.Objective(p.Alphas, p.Means, p.Icf, p.X, d, k, n, p.WishartGamma, p.WishartM);
        Assert.Equal(objective, value, 10);
        Assert.Equal(objective, manualValue, 10);
        Check(p.Alphas, generated.Alphas, manual.Alphas, v => Gmm.Objective(v, p.Means, p.Icf, p.X, d, k, n, p.WishartGamma, p.WishartM));
        Check(p.Means, generated.Means, manual.Means, v => Gmm.Objective(p.Alphas, v, p.Icf, p.X, d, k, n, p.WishartGamma, p.WishartM));
        Check(p.Icf, generated.Icf, manual.Icf, v => Gmm.Objective(p.Alphas, p.Means, v, p.X, d, k, n, p.WishartGamma, p.WishartM));
    }

    [Fact]
    public void WishartPrior_WithMAndGamma_EqualsManual()
    {
        // The benchmark's problems have γ = 1, m = 0 (ADBench's); the prior's other terms are checked here.
        var p = new GmmProblem(3, 2, 4, seed: 5);
        var generated = (Alphas: new double[2], Means: new double[p.Means.Length], Icf: new double[p.Icf.Length]);
        var manual = (Alphas: new double[2], Means: new double[p.Means.Length], Icf: new double[p.Icf.Length]);

        var value = Gmm.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, 3, 2, 4, 0.7, 2, generated.Alphas, generated.Means, generated.Icf);
        var manualValue = GmmManual.Gradient(p.Alphas, p.Means, p.Icf, p.X, 3, 2, 4, 0.7, 2, manual.Alphas, manual.Means, manual.Icf);

        Assert.Equal(manualValue, value, 10);
        Check(p.Icf, generated.Icf, manual.Icf, v => Gmm.Objective(p.Alphas, p.Means, v, p.X, 3, 2, 4, 0.7, 2));
    }

    /// <summary>
    /// Issue 14's memory target: the points go back one at a time, so the tape does not grow with N, and at d = 64 it
    /// stays within twice the scratch Manual allocates (measured by the tape's capacity: an upper bound, within 2× of
    /// the most it held).
    /// </summary>
    [Fact]
    public void Tape_HoldsOnePointAtATime_AndAtD64_StaysWithinTwiceManualsScratch()
    {
        var few = TapeBytesAfterOneGradient(new GmmProblem(64, 5, 20));
        var many = TapeBytesAfterOneGradient(new GmmProblem(64, 5, 400));
        Assert.Equal(few, many);

        var p = new GmmProblem(64, 5, 400);
        var (da, dm, di) = (new double[p.Alphas.Length], new double[p.Means.Length], new double[p.Icf.Length]);
        GmmManual.Gradient(p.Alphas, p.Means, p.Icf, p.X, p.D, p.K, p.N, p.WishartGamma, p.WishartM, da, dm, di);
        var before = GC.GetAllocatedBytesForCurrentThread();
        GmmManual.Gradient(p.Alphas, p.Means, p.Icf, p.X, p.D, p.K, p.N, p.WishartGamma, p.WishartM, da, dm, di);
        var manual = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(many <= 2 * manual, $"tape {many} B, Manual's scratch {manual} B");
    }

    /// <summary>The bytes of a fresh thread's tape after one generated gradient: its capacity for each kind of value.</summary>
    private static long TapeBytesAfterOneGradient(GmmProblem p)
    {
        long bytes = 0;
        var thread = new System.Threading.Thread(() =>
        {
            Gmm.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, p.D, p.K, p.N, p.WishartGamma, p.WishartM, new double[p.Alphas.Length], new double[p.Means.Length], new double[p.Icf.Length]);
            var (doubles, floats, ints) = Tape.Current.Capacity;
            bytes = (doubles * 8L) + (floats * 4L) + (ints * 4L);
        });
        thread.Start();
        thread.Join();
        return bytes;
    }

    [Fact]
    public void LogGamma_MatchesKnownValues()
    {
        Assert.Equal(0.0, Gmm.LogGamma(1), 13);
        Assert.Equal(0.0, Gmm.LogGamma(2), 13);
        Assert.Equal(Math.Log(24), Gmm.LogGamma(5), 12);
        Assert.Equal(0.5 * Math.Log(Math.PI), Gmm.LogGamma(0.5), 13); // Γ(½) = √π
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI) / 2), Gmm.LogGamma(1.5), 13);
    }

    private static void Check(double[] at, double[] generated, double[] manual, Func<double[], double> f)
    {
        for (var i = 0; i < at.Length; i++)
        {
            Assert.Equal(manual[i], generated[i], 1e-9 * Math.Max(1, Math.Abs(manual[i])));
            var h = FiniteDifference.DoubleStep(at[i]);
            var (up, down) = ((double[])at.Clone(), (double[])at.Clone());
            up[i] += h;
            down[i] -= h;
            var central = (f(up) - f(down)) / (2 * h);
            Assert.Equal(central, manual[i], 1e-6 * Math.Max(1, Math.Abs(central)));
        }
    }
}
