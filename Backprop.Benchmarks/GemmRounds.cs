using System;
using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace Backprop.Benchmarks;

/// <summary>
/// <c>gemm-rounds [threads]</c>: each of <see cref="GemmBenchmarks"/>' shapes run for half a second, then each timed: the fastest
/// of 15 samples of about 20 ms each, as GFLOP/s — the figures beside OpenBLAS's best sample from <c>sgemm_bench.py</c>
/// in docs/performance.md. Quicker than BenchmarkDotNet, and run under <c>DOTNET_EnableAVX2=0</c> it times the 128-bit
/// path (the header says which widths the process has).
/// </summary>
internal static class GemmRounds
{
    private static readonly (string Name, int M, int K, int N, bool TransposeA, bool TransposeB)[] s_shapes =
    [
        ("X[128×784]·W1[784×256]", 128, 784, 256, false, false),
        ("H1[128×256]·W2[256×128]", 128, 256, 128, false, false),
        ("H2[128×128]·W3[128×10]", 128, 128, 10, false, false),
        ("H2ᵀ[128×128]·dY[128×10]", 128, 128, 10, true, false),
        ("Xᵀ[784×128]·dY[128×256]", 784, 128, 256, true, false),
        ("dY[128×256]·W1ᵀ[256×784]", 128, 256, 784, false, true),
        ("256³", 256, 256, 256, false, false),
        ("512³", 512, 512, 512, false, false),
        ("1024³", 1024, 1024, 1024, false, false),
    ];

    public static void Run(int threads)
    {
        Gemm.MaxThreads = threads;
        Console.WriteLine($"SGEMM, {threads} thread(s), fastest of 15 samples after every shape ran 0.5 s; vectors: Vector512 {Vector512.IsHardwareAccelerated}, "
            + $"Vector256 {Vector256.IsHardwareAccelerated}, Vector128 {Vector128.IsHardwareAccelerated}");
        var operands = Array.ConvertAll(s_shapes, s => (A: Values(s.M * s.K), B: Values(s.K * s.N), C: new float[s.M * s.N]));

        // Every shape first, untimed: a single warm-up before the first shape's samples left it at half speed (the JIT
        // was still compiling the product's optimised code when its samples began).
        for (var i = 0; i < s_shapes.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < 500)
            {
                Multiply(i, operands[i]);
            }
        }

        for (var i = 0; i < s_shapes.Length; i++)
        {
            var (name, m, k, n, _, _) = s_shapes[i];
            var flop = 2.0 * m * n * k;
            var calls = Math.Max(1, (int)(2e8 / flop)); // a sample of about 20 ms at 10 GFLOP/s, less when faster
            var best = double.MaxValue;
            for (var sample = 0; sample < 15; sample++)
            {
                var watch = Stopwatch.StartNew();
                for (var call = 0; call < calls; call++)
                {
                    Multiply(i, operands[i]);
                }

                best = Math.Min(best, watch.Elapsed.TotalSeconds / calls);
            }

            Console.WriteLine($"{name,-26} {best * 1e6,10:F1} µs {flop / best / 1e9,7:F1} GFLOP/s");
        }
    }

    private static void Multiply(int shape, (float[] A, float[] B, float[] C) operands)
    {
        var (_, m, k, n, transposeA, transposeB) = s_shapes[shape];
        Gemm.Multiply(operands.A, operands.B, operands.C, m, n, k, transposeA, transposeB);
    }

    private static float[] Values(int length)
    {
        var random = new Random(length);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }
}
