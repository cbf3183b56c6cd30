using System;
using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace Backprop.Benchmarks;

/// <summary>
/// <c>gemm-rounds [threads]</c>: <see cref="GemmBenchmarks"/>' products (its shapes, operands and call) without
/// BenchmarkDotNet: every shape run for half a second, then each timed, the fastest of 15 samples of about 20 ms, as
/// GFLOP/s — the figures beside OpenBLAS's best sample from <c>sgemm_bench.py</c> in docs/performance.md. Run under
/// <c>DOTNET_EnableAVX2=0</c> it times the 128-bit path (the header says which widths the process has).
/// </summary>
internal static class GemmRounds
{
    public static void Run(int threads)
    {
        Console.WriteLine($"SGEMM, {threads} thread(s), fastest of 15 samples after every shape ran 0.5 s; vectors: Vector512 {Vector512.IsHardwareAccelerated}, "
            + $"Vector256 {Vector256.IsHardwareAccelerated}, Vector128 {Vector128.IsHardwareAccelerated}");
        var products = Array.ConvertAll(GemmBenchmarks.Shapes, shape => new GemmBenchmarks { Shape = shape, Threads = threads });
        foreach (var product in products)
        {
            product.Setup();
        }

        // Every shape first, untimed: a single warm-up before the first shape's samples left it at half speed (the JIT
        // was still compiling the product's optimised code when its samples began).
        foreach (var product in products)
        {
            var watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < 500)
            {
                product.Multiply();
            }
        }

        foreach (var product in products)
        {
            var calls = Math.Max(1, (int)(2e8 / product.Flop)); // a sample of about 20 ms at 10 GFLOP/s, less when faster
            var best = double.MaxValue;
            for (var sample = 0; sample < 15; sample++)
            {
                var watch = Stopwatch.StartNew();
                for (var call = 0; call < calls; call++)
                {
                    product.Multiply();
                }

                best = Math.Min(best, watch.Elapsed.TotalSeconds / calls);
            }

            Console.WriteLine($"{product.Shape,-16} {best * 1e6,10:F1} µs {product.Flop / best / 1e9,7:F1} GFLOP/s");
        }
    }
}
