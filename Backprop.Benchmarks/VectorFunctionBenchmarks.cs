using System;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// Vector-valued functions: the residuals of an exponential fit (8 observations, 3 parameters: the Jacobian takes forward
/// mode, 3 tangents) and the Lotka–Volterra rates (2 outputs, 6 inputs: reverse mode, 2 pullbacks). Ratios that matter:
/// tangent / primal and backward / primal (one sweep each), Jacobian / primal (about min(m, n) sweeps). The same
/// functions through torch.autograd.functional: peers/jacobian_torch.py.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class VectorFunctionBenchmarks
{
    private static readonly double[] s_times = [0, 0.5, 1, 1.5, 2, 3, 4, 6];
    private static readonly double[] s_observed = [3.1, 2.2, 1.7, 1.3, 1.1, 0.9, 0.8, 0.75];
    private readonly double[] _residuals = new double[8];
    private readonly double[] _tangents = new double[8];
    private readonly double[] _weights = [0.3, -0.2, 0.1, 0.4, -0.5, 0.6, -0.7, 0.8];
    private readonly double[] _decayJacobian = new double[24];
    private readonly double[] _state = [2, 0.5];
    private readonly double[] _rates = new double[2];
    private readonly double[] _dState = new double[2];
    private readonly double[] _rateWeights = [1, -1];
    private readonly double[] _rateJacobian = new double[12];

    [Benchmark, BenchmarkCategory("Decay")]
    public double Decay_Primal()
    {
        VectorFunctions.DecayResiduals(2.3, 0.9, 0.7, s_times, s_observed, _residuals);
        return _residuals[3];
    }

    [Benchmark, BenchmarkCategory("Decay")]
    public double Decay_Tangent()
    {
        VectorFunctions.DecayResidualsTangent(2.3, 0.9, 0.7, s_times, s_observed, 1, -0.5, 0.25, _residuals, _tangents);
        return _tangents[3];
    }

    [Benchmark, BenchmarkCategory("Decay")]
    public double Decay_Backward()
    {
        double da = 0, db = 0, dc = 0;
        VectorFunctions.DecayResidualsBackward(2.3, 0.9, 0.7, s_times, s_observed, _residuals, _weights, ref da, ref db, ref dc);
        return da + db + dc;
    }

    [Benchmark, BenchmarkCategory("Decay")]
    public double Decay_Jacobian()
    {
        VectorFunctions.DecayResidualsJacobian(2.3, 0.9, 0.7, s_times, s_observed, _residuals, _decayJacobian);
        return _decayJacobian[7];
    }

    [Benchmark, BenchmarkCategory("LotkaVolterra")]
    public double LotkaVolterra_Primal()
    {
        VectorFunctions.LotkaVolterra(_state, 1.1, 0.4, 0.1, 0.4, _rates);
        return _rates[1];
    }

    [Benchmark, BenchmarkCategory("LotkaVolterra")]
    public double LotkaVolterra_Backward()
    {
        double dAlpha = 0, dBeta = 0, dDelta = 0, dGamma = 0;
        VectorFunctions.LotkaVolterraBackward(_state, 1.1, 0.4, 0.1, 0.4, _rates, _rateWeights, _dState, ref dAlpha, ref dBeta, ref dDelta, ref dGamma);
        return dAlpha + dGamma;
    }

    [Benchmark, BenchmarkCategory("LotkaVolterra")]
    public double LotkaVolterra_Jacobian()
    {
        VectorFunctions.LotkaVolterraJacobian(_state, 1.1, 0.4, 0.1, 0.4, _rates, _rateJacobian);
        return _rateJacobian[5];
    }
}

/// <summary>The benchmarked vector functions, as in the generator's tests.</summary>
public static partial class VectorFunctions
{
    [Differentiable]
    public static void DecayResiduals(double a, double b, double c, [NoDiff] ReadOnlySpan<double> t, [NoDiff] ReadOnlySpan<double> observed, Span<double> residuals)
    {
        for (int i = 0; i < t.Length; i++)
        {
            residuals[i] = a * Math.Exp(-b * t[i]) + c - observed[i];
        }
    }

    [Differentiable]
    public static void LotkaVolterra(ReadOnlySpan<double> state, double alpha, double beta, double delta, double gamma, Span<double> rate)
    {
        double prey = state[0];
        double predators = state[1];
        rate[0] = alpha * prey - beta * prey * predators;
        rate[1] = delta * prey * predators - gamma * predators;
    }
}
