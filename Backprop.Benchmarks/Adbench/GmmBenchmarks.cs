using System;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// ADBench's GMM problem (N = 1000 points) at five of its sizes: the objective, the generated gradient and the hand-written
/// Manual gradient, in one run. ADBench reports derivative time / objective time; the ratio that decides issue 14's target
/// is Generated / Manual (≤ 1.0 geomean, ≤ 1.3 on every problem).
/// </summary>
/// <remarks>dotnet run -c Release --project Backprop.Benchmarks -- --filter '*GmmBenchmarks*'</remarks>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GmmBenchmarks
{
    private GmmProblem _p = null!;
    private double[] _dAlphas = [];
    private double[] _dMeans = [];
    private double[] _dIcf = [];

    [Params("2x5", "10x5", "10x25", "20x10", "64x5")]
    public string Size { get; set; } = "2x5";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Size.Split('x');
        _p = new GmmProblem(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), 1000);
        _dAlphas = new double[_p.Alphas.Length];
        _dMeans = new double[_p.Means.Length];
        _dIcf = new double[_p.Icf.Length];
    }

    [Benchmark(Baseline = true)]
    public double Objective() => Gmm.Objective(_p.Alphas, _p.Means, _p.Icf, _p.X, _p.D, _p.K, _p.N, _p.WishartGamma, _p.WishartM);

    [Benchmark]
    public double Manual() => GmmManual.Gradient(_p.Alphas, _p.Means, _p.Icf, _p.X, _p.D, _p.K, _p.N, _p.WishartGamma, _p.WishartM, _dAlphas, _dMeans, _dIcf);

    [Benchmark]
    public double Generated() => Gmm.ObjectiveGradient(_p.Alphas, _p.Means, _p.Icf, _p.X, _p.D, _p.K, _p.N, _p.WishartGamma, _p.WishartM, _dAlphas, _dMeans, _dIcf);
}
