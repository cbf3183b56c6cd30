using System;
using System.Diagnostics;
using System.Globalization;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// ADBench's GMM timed in rounds that alternate the objective, Manual and the generated gradient in one process, keeping
/// each one's fastest round, after a warm-up long enough for the JIT's optimized code: on a shared, noisy machine the
/// minimum is steadier than BenchmarkDotNet's mean (±15 % there, a few % here between runs), and the three meet the same
/// conditions in turn.
/// </summary>
/// <remarks>dotnet run -c Release --project Backprop.Benchmarks -- gmm-rounds [rounds]</remarks>
public static class GmmRounds
{
    private static readonly (int D, int K)[] s_sizes = [(2, 5), (10, 5), (10, 25), (20, 10), (64, 5)];

    public static void Run(int rounds)
    {
        Console.WriteLine($"ADBench GMM, N = 1000, fastest of {rounds} rounds (µs); {RuntimeDescription()}");
        Console.WriteLine("d × K    objective     Manual  generated  generated/Manual  Manual/objective  generated/objective");
        var logSum = 0.0;
        foreach (var (d, k) in s_sizes)
        {
            var p = new GmmProblem(d, k, 1000);
            var (da, dm, di) = (new double[p.Alphas.Length], new double[p.Means.Length], new double[p.Icf.Length]);
            double Objective() => Gmm.Objective(p.Alphas, p.Means, p.Icf, p.X, d, k, p.N, p.WishartGamma, p.WishartM);
            double Manual() => GmmManual.Gradient(p.Alphas, p.Means, p.Icf, p.X, d, k, p.N, p.WishartGamma, p.WishartM, da, dm, di);
            double Generated() => Gmm.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, d, k, p.N, p.WishartGamma, p.WishartM, da, dm, di);

            var calls = Math.Max(1, 50_000 / ((d * d * k) + 1000)); // a round of a few milliseconds
            // Warm up until the JIT has had time to replace every method by its optimized (tier-1) code: it starts
            // counting calls only once no new method was compiled for 100 ms, and compiles in the background.
            double sink = 0;
            var warming = Stopwatch.StartNew();
            for (var warm = 0; warm < 200 || warming.ElapsedMilliseconds < 1500; warm++)
            {
                sink += Objective() + Manual() + Generated();
                if (warm % 50 == 49)
                {
                    System.Threading.Thread.Sleep(150);
                }
            }

            var best = (Objective: double.MaxValue, Manual: double.MaxValue, Generated: double.MaxValue);
            for (var round = 0; round < rounds; round++)
            {
                best.Objective = Math.Min(best.Objective, Time(Objective, calls, ref sink));
                best.Manual = Math.Min(best.Manual, Time(Manual, calls, ref sink));
                best.Generated = Math.Min(best.Generated, Time(Generated, calls, ref sink));
            }

            logSum += Math.Log(best.Generated / best.Manual);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{d,2} × {k,-3} {best.Objective,10:F1} {best.Manual,10:F1} {best.Generated,10:F1} {best.Generated / best.Manual,17:F2} {best.Manual / best.Objective,17:F2} {best.Generated / best.Objective,20:F2}{(double.IsFinite(sink) ? string.Empty : " (not finite)")}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"geomean generated/Manual: {Math.Exp(logSum / s_sizes.Length):F2}"));
    }

    private static double Time(Func<double> f, int calls, ref double sink)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            sink += f();
        }

        return watch.Elapsed.TotalMicroseconds / calls;
    }

    private static string RuntimeDescription() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, AVX-512F {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}, AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}";
}
