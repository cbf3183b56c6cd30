using System;
using Backprop.Benchmarks.Adbench;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// ADBench's LSTM objective as the benchmark runs it (Backprop.Benchmarks/Adbench): the generated gradient, the
/// hand-written Manual one and central differences agree — so the benchmark compares two right answers.
/// </summary>
public sealed class AdbenchLstmTests
{
    [Theory]
    [InlineData(2, 6, 4)]
    [InlineData(1, 3, 3)]
    [InlineData(3, 5, 2)]
    public void GeneratedGradient_EqualsManual_AndCentralDifferences(int l, int c, int b)
    {
        var p = new LstmProblem(l, c, b, seed: (100 * l) + (10 * c) + b);
        var generated = (Main: new double[p.MainParams.Length], Extra: new double[p.ExtraParams.Length]);
        var manual = (Main: new double[p.MainParams.Length], Extra: new double[p.ExtraParams.Length]);

        var value = Lstm.ObjectiveGradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, l, c, b, generated.Main, generated.Extra);
        var manualValue = LstmManual.Gradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, l, c, b, manual.Main, manual.Extra);

        var objective = Lstm.Objective(p.MainParams, p.ExtraParams, p.State, p.Sequence, l, c, b);
        Assert.Equal(objective, value, 12);
        Assert.Equal(objective, manualValue, 12);
        Check(p.MainParams, generated.Main, manual.Main, v => Lstm.Objective(v, p.ExtraParams, p.State, p.Sequence, l, c, b));
        Check(p.ExtraParams, generated.Extra, manual.Extra, v => Lstm.Objective(p.MainParams, v, p.State, p.Sequence, l, c, b));
    }

    [Fact]
    public void Objective_LeavesTheInitialStateAsItWas()
    {
        var p = new LstmProblem(2, 4, 3, seed: 1);
        var before = (double[])p.State.Clone();
        Lstm.ObjectiveGradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, 2, 4, 3, new double[p.MainParams.Length], new double[p.ExtraParams.Length]);
        Assert.Equal(before, p.State);
    }

    private static void Check(double[] at, double[] generated, double[] manual, Func<double[], double> f)
    {
        for (var i = 0; i < at.Length; i++)
        {
            Assert.Equal(manual[i], generated[i], 1e-10 * Math.Max(1, Math.Abs(manual[i])));
            var h = FiniteDifference.DoubleStep(at[i]);
            var (up, down) = ((double[])at.Clone(), (double[])at.Clone());
            up[i] += h;
            down[i] -= h;
            var central = (f(up) - f(down)) / (2 * h);
            Assert.Equal(central, manual[i], 1e-7 * Math.Max(1, Math.Abs(central)));
        }
    }
}
