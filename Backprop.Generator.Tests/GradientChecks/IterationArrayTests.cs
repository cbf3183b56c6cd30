using System;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Scratch arrays a loop fills afresh on each pass (issue 14, GMM's x − μ and Q·(x − μ) per component): each pass takes a
/// row of its own, so nothing the fill overwrites is kept, and going back a pass takes its row again. Asserted on the
/// plan, and the gradients against central differences — also of the near misses, which keep what they overwrite.
/// </summary>
public sealed class IterationArrayTests
{
    private const int D = 3;
    private const int K = 4;

    [Fact]
    public void ScratchPerComponent_TakesARowPerComponent_AndKeepsNothingForTheFills()
    {
        var sweeps = ScalarSweeps.OfCatalog("IndependentIterations.cs", "ScratchPerComponent");
        var forward = ScalarSweeps.Flat(sweeps.Forward);

        Assert.Equal(["centered", "scaled"], forward.OfType<SweepIterationRows>().Select(r => r.Array));
        // The loop over the points is fused: its backward step, with the component loop's, is inside the forward sweep.
        Assert.Equal(["centered", "scaled"], forward.OfType<SweepTakeRow>().Where(t => t.Length is not null).Select(t => t.Array));
        Assert.Equal(["centered", "scaled"], forward.OfType<SweepTakeRow>().Where(t => t.Length is null).Select(t => t.Array));
        // Neither fill keeps what it overwrites, and the += into scaled[i] keeps nothing either (sin and cos, scalars the fill
        // overwrites, are still kept).
        Assert.Equal(["block sin", "block cos", "block exp"], ScalarSweeps.OnTape(sweeps));
        Assert.Contains("centered = centeredRows[ik] ??= new double[d];", GeneratedBackward.OfCatalog("IndependentIterations.cs", "ScratchPerComponent"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ScratchFilledInPart")]
    [InlineData("ScratchReadBeforeItsFill")]
    public void NearMisses_TakeNoRows_AndKeepWhatTheyOverwrite(string method)
    {
        var sweeps = ScalarSweeps.OfCatalog("IndependentIterations.cs", method);

        Assert.Empty(ScalarSweeps.Flat(sweeps.Forward).OfType<SweepTakeRow>());
        Assert.Contains("block centered[id]", ScalarSweeps.OnTape(sweeps));
    }

    public static TheoryData<string> Functions() => ["ScratchPerComponent", "ScratchFilledInPart", "ScratchReadBeforeItsFill"];

    [Theory]
    [MemberData(nameof(Functions))]
    public void Gradient_MatchesCentralDifferences(string method)
    {
        var (value, gradient) = Function(method);
        var random = new Random(method.Length);
        var means = Enumerable.Range(0, D * K).Select(_ => random.NextDouble() - 0.5).ToArray();
        var x = Enumerable.Range(0, D * 5).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var (dmeans, dx) = (new double[means.Length], new double[x.Length]);

        for (var call = 0; call < 2; call++) // the second call reuses nothing of the first's rows
        {
            Array.Clear(dmeans);
            Array.Clear(dx);
            Assert.Equal(value(means, x), gradient(means, x, dmeans, dx), 12);
            ArrayGradient.MatchesCentralDifferences(means, dmeans, v => value(v, x));
            ArrayGradient.MatchesCentralDifferences(x, dx, v => value(means, v));
        }
    }

    private static (Func<double[], double[], double> Value, Func<double[], double[], double[], double[], double> Gradient) Function(string method) => method switch
    {
        "ScratchPerComponent" => ((m, x) => IndependentIterations.ScratchPerComponent(m, x, D, K), (m, x, dm, dx) => IndependentIterations.ScratchPerComponentGradient(m, x, D, K, dm, dx)),
        "ScratchFilledInPart" => ((m, x) => IndependentIterations.ScratchFilledInPart(m, x, D, K), (m, x, dm, dx) => IndependentIterations.ScratchFilledInPartGradient(m, x, D, K, dm, dx)),
        _ => ((m, x) => IndependentIterations.ScratchReadBeforeItsFill(m, x, D, K), (m, x, dm, dx) => IndependentIterations.ScratchReadBeforeItsFillGradient(m, x, D, K, dm, dx)),
    };
}
