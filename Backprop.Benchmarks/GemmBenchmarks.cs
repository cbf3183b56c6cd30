using System;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// SGEMM at the MLP shapes (forward and the two backward products) and square sizes, on one core and on two.
/// GFLOP/s = 2·m·n·k / mean time. Compare with OpenBLAS through numpy in the same sitting:
/// <c>env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 ../shared/bench/sgemm_bench.py --threads 1 --libs numpy</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private (int M, int K, int N, bool TransposeA, bool TransposeB) _dimensions;
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

    /// <summary>
    /// "m×k×n" and which operand is transposed, as in sgemm_bench.py, and the 10-class layer's weight gradient
    /// (128x128x10 Aᵀ, which sgemm_bench.py does not time). <see cref="GemmRounds"/> times the same shapes.
    /// </summary>
    public static string[] Shapes { get; } =
        ["128x784x256", "128x256x128", "128x128x10", "128x128x10 Aᵀ", "784x128x256 Aᵀ", "128x256x784 Bᵀ", "256x256x256", "512x512x512", "1024x1024x1024"];

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    private (int M, int K, int N, bool TransposeA, bool TransposeB) Dimensions
    {
        get
        {
            var parts = Shape.Split(' ')[0].Split('x');
            return (int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]), Shape.EndsWith("Aᵀ", StringComparison.Ordinal), Shape.EndsWith("Bᵀ", StringComparison.Ordinal));
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _dimensions = Dimensions;
        var (m, k, n, _, _) = _dimensions;
        var random = new Random(1);
        _a = new float[m * k];
        _b = new float[k * n];
        _c = new float[m * n];
        for (var i = 0; i < _a.Length; i++)
        {
            _a[i] = (float)random.NextDouble();
        }

        for (var i = 0; i < _b.Length; i++)
        {
            _b[i] = (float)random.NextDouble();
        }
    }

    /// <summary>The multiply-adds of one product, twice: 2·m·n·k.</summary>
    public double Flop => 2.0 * _dimensions.M * _dimensions.N * _dimensions.K;

    [Benchmark]
    public float Multiply()
    {
        var (m, k, n, transposeA, transposeB) = _dimensions;
        Gemm.MaxThreads = Threads;
        Gemm.Multiply(_a, _b, _c, m, n, k, transposeA, transposeB);
        return _c[^1];
    }
}
