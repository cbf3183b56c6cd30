using System;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// Primal, generated gradient and hand-written gradient of the lecture examples, Rosenbrock (100 variables),
/// a 100-step sin loop and ADBench GMM's triangular Q·x kernel at d = 64. Ratios that matter: generated / hand-written (target ≤ 1.2) and generated / primal (target ≤ 4);
/// for forward mode, tangent / primal (target ≤ 1.5); for second order, Hessian-vector product / generated gradient
/// (target ≤ 3).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class ScalarGradientBenchmarks
{
    private readonly double[] _x = new double[100];
    private readonly double[] _dx = new double[100];
    private readonly double[] _v = new double[100];
    private readonly double[] _hx = new double[100];
    private readonly double[] _hessian = new double[25];
    private readonly double[] _q = new double[64 * 64];
    private readonly double[] _dq = new double[64 * 64];
    private readonly double[] _x64 = new double[64];
    private readonly double[] _dx64 = new double[64];
    private double _a = -2;
    private double _b = 5;
    private double _c = -4;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < _x.Length; i++)
        {
            _x[i] = (random.NextDouble() * 2) - 1;
            _v[i] = (random.NextDouble() * 2) - 1;
        }

        for (var i = 0; i < _q.Length; i++)
        {
            _q[i] = random.NextDouble() - 0.5;
        }

        for (var i = 0; i < _x64.Length; i++)
        {
            _x64[i] = (random.NextDouble() * 2) - 1;
        }

        (_a, _b, _c) = (-2, 5, -4);
    }

    [Benchmark, BenchmarkCategory("AddMultiply")]
    public double AddMultiply_Primal() => ScalarFunctions.AddMultiply(_a, _b, _c);

    [Benchmark, BenchmarkCategory("AddMultiply")]
    public double AddMultiply_Generated() => ScalarFunctions.AddMultiplyGradient(_a, _b, _c, out var dx, out var dy, out var dz) + dx + dy + dz;

    [Benchmark, BenchmarkCategory("AddMultiply")]
    public double AddMultiply_HandWritten() => HandWritten.AddMultiply(_a, _b, _c, out var dx, out var dy, out var dz) + dx + dy + dz;

    [Benchmark, BenchmarkCategory("SigmoidNeuron")]
    public double SigmoidNeuron_Primal() => ScalarFunctions.SigmoidNeuron(_a, _b, _c, 0.5, -1.5);

    [Benchmark, BenchmarkCategory("SigmoidNeuron")]
    public double SigmoidNeuron_Generated() =>
        ScalarFunctions.SigmoidNeuronGradient(_a, _b, _c, 0.5, -1.5, out var a, out var b, out var c, out var d, out var e) + a + b + c + d + e;

    [Benchmark, BenchmarkCategory("SigmoidNeuron")]
    public double SigmoidNeuron_HandWritten() =>
        HandWritten.SigmoidNeuron(_a, _b, _c, 0.5, -1.5, out var a, out var b, out var c, out var d, out var e) + a + b + c + d + e;

    [Benchmark, BenchmarkCategory("MultiplePaths")]
    public double MultiplePaths_Primal() => ScalarFunctions.MultiplePaths(_a, _b, _c, 0.5, -1.5);

    [Benchmark, BenchmarkCategory("MultiplePaths")]
    public double MultiplePaths_Generated() =>
        ScalarFunctions.MultiplePathsGradient(_a, _b, _c, 0.5, -1.5, out var a, out var b, out var c, out var d, out var e) + a + b + c + d + e;

    [Benchmark, BenchmarkCategory("MultiplePaths")]
    public double MultiplePaths_HandWritten() =>
        HandWritten.MultiplePaths(_a, _b, _c, 0.5, -1.5, out var a, out var b, out var c, out var d, out var e) + a + b + c + d + e;

    [Benchmark, BenchmarkCategory("Rosenbrock")]
    public double Rosenbrock_Primal() => ScalarFunctions.Rosenbrock(_x);

    [Benchmark, BenchmarkCategory("Rosenbrock")]
    public double Rosenbrock_Generated() => ScalarFunctions.RosenbrockGradient(_x, _dx) + _dx[7];

    [Benchmark, BenchmarkCategory("Rosenbrock")]
    public double Rosenbrock_HandWritten() => HandWritten.Rosenbrock(_x, _dx) + _dx[7];

    [Benchmark, BenchmarkCategory("TriangularQuadratic")]
    public double TriangularQuadratic_Primal() => ScalarFunctions.TriangularQuadratic(_q, _x64, 64);

    [Benchmark, BenchmarkCategory("TriangularQuadratic")]
    public double TriangularQuadratic_Generated() => ScalarFunctions.TriangularQuadraticGradient(_q, _x64, 64, _dq, _dx64) + _dq[7];

    [Benchmark, BenchmarkCategory("TriangularQuadratic")]
    public double TriangularQuadratic_HandWritten() => HandWritten.TriangularQuadratic(_q, _x64, 64, _dq, _dx64) + _dq[7];

    [Benchmark, BenchmarkCategory("SinLoop")]
    public double SinLoop_Primal() => ScalarFunctions.SinLoop(_a * 0.1, 0.9);

    [Benchmark, BenchmarkCategory("SinLoop")]
    public double SinLoop_Generated() => ScalarFunctions.SinLoopGradient(_a * 0.1, 0.9, out var dx, out var dw) + dx + dw;

    [Benchmark, BenchmarkCategory("SinLoop")]
    public double SinLoop_HandWritten() => HandWritten.SinLoop(_a * 0.1, 0.9, out var dx, out var dw) + dx + dw;

    /// <summary>Forward mode: one directional derivative (here along x) in one pass; compare with _Primal (target ≤ 3).</summary>
    [Benchmark, BenchmarkCategory("SinLoop")]
    public double SinLoop_Tangent() => ScalarFunctions.SinLoopTangent(_a * 0.1, 0.9, 1.0, 0.0, out var dResult) + dResult;

    /// <summary>Forward mode along a direction of all 100 variables (one JVP; a full gradient would take 100 of them).</summary>
    [Benchmark, BenchmarkCategory("Rosenbrock")]
    public double Rosenbrock_Tangent() => ScalarFunctions.RosenbrockTangent(_x, _dx, out var dResult) + dResult;

    [Benchmark, BenchmarkCategory("SigmoidNeuron")]
    public double SigmoidNeuron_Tangent() => ScalarFunctions.SigmoidNeuronTangent(_a, _b, _c, 0.5, -1.5, 0.3, -0.2, 0.1, 0.4, -0.5, out var dResult) + dResult;

    /// <summary>Second order: H·v in one sweep forward (values and tangents) and one back; compare with _Generated (target ≤ 3).</summary>
    [Benchmark, BenchmarkCategory("SigmoidNeuron")]
    public double SigmoidNeuron_HessianVector() =>
        ScalarFunctions.SigmoidNeuronHessianVector(_a, _b, _c, 0.5, -1.5, 0.3, -0.2, 0.1, 0.4, -0.5, out var a, out var b, out var c, out var d, out var e) + a + b + c + d + e;

    /// <summary>The full 5×5 Hessian: five Hessian-vector products.</summary>
    [Benchmark, BenchmarkCategory("SigmoidNeuron")]
    public double SigmoidNeuron_Hessian() => ScalarFunctions.SigmoidNeuronHessian(_a, _b, _c, 0.5, -1.5, _hessian) + _hessian[7];

    [Benchmark, BenchmarkCategory("Rosenbrock")]
    public double Rosenbrock_HessianVector() => ScalarFunctions.RosenbrockHessianVector(_x, _v, _hx) + _hx[7];

    [Benchmark, BenchmarkCategory("SinLoop")]
    public double SinLoop_HessianVector() => ScalarFunctions.SinLoopHessianVector(_a * 0.1, 0.9, 0.6, -0.8, out var hx, out var hw) + hx + hw;
}
