using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// ADBench's problems timed in rounds that alternate the objective, Manual and the generated derivative in one process,
/// keeping each one's fastest round, after a warm-up long enough for the JIT's optimized code: on a shared, noisy machine
/// the minimum is steadier than BenchmarkDotNet's mean (±15 % there, a few % here between runs), and the three meet the
/// same conditions in turn.
/// </summary>
/// <remarks>dotnet run -c Release --project Backprop.Benchmarks -- adbench-rounds|gmm-rounds|ba-rounds|lstm-rounds [rounds]</remarks>
public static class Rounds
{
    private static readonly (int D, int K)[] s_gmmSizes = [(2, 5), (10, 5), (10, 25), (20, 10), (64, 5)];

    /// <summary>ADBench's first BA problem (ba1: n = 49 cameras, m = 7,776 points, p = 31,843 observations).</summary>
    private static readonly (int N, int M, int P)[] s_baSizes = [(49, 7776, 31843)];

    /// <summary>ADBench's LSTM problems: 2 and 4 layers, 1,024 and 4,096 characters of 14 bits.</summary>
    private static readonly (int L, int C)[] s_lstmSizes = [(2, 1024), (2, 4096), (4, 1024), (4, 4096)];

    /// <summary>GMM, BA and LSTM in turn, and the geomean of generated/Manual over all their problems (issue 14's target: ≤ 1.0).</summary>
    public static void All(int rounds)
    {
        var ratios = new List<double>();
        ratios.AddRange(Gmm(rounds));
        Console.WriteLine();
        ratios.AddRange(Ba(rounds));
        Console.WriteLine();
        ratios.AddRange(Lstm(rounds));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"geomean generated/Manual over all {ratios.Count} problems: {Geomean(ratios):F2} (largest {ratios.Max():F2})"));
    }

    /// <summary>GMM with N = 1000 points at five of ADBench's sizes; prints a row per size and the geomean of generated/Manual.</summary>
    public static List<double> Gmm(int rounds)
    {
        Console.WriteLine($"ADBench GMM, N = 1000, fastest of {rounds} rounds (µs); {RuntimeDescription()}");
        Console.WriteLine("d × K    objective     Manual  generated  generated/Manual  Manual/objective  generated/objective");
        var ratios = new List<double>();
        foreach (var (d, k) in s_gmmSizes)
        {
            var p = new GmmProblem(d, k, 1000);
            var (da, dm, di) = (new double[p.Alphas.Length], new double[p.Means.Length], new double[p.Icf.Length]);
            var best = Time(
                () => Adbench.Gmm.Objective(p.Alphas, p.Means, p.Icf, p.X, d, k, p.N, p.WishartGamma, p.WishartM),
                () => GmmManual.Gradient(p.Alphas, p.Means, p.Icf, p.X, d, k, p.N, p.WishartGamma, p.WishartM, da, dm, di),
                () => Adbench.Gmm.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, d, k, p.N, p.WishartGamma, p.WishartM, da, dm, di),
                calls: Math.Max(1, 50_000 / ((d * d * k) + 1000)), // a round of a few milliseconds
                rounds);
            ratios.Add(best.Generated / best.Manual);
            Console.WriteLine(Row($"{d,2} × {k,-3}", best));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"geomean generated/Manual: {Geomean(ratios):F2}"));
        return ratios;
    }

    /// <summary>BA: the objective (every reprojection and weight error) against the sparse Jacobian's values.</summary>
    public static List<double> Ba(int rounds)
    {
        var ratios = new List<double>();
        Console.WriteLine($"ADBench BA, fastest of {rounds} rounds (µs); {RuntimeDescription()}");
        Console.WriteLine("n, m, p                objective     Manual  generated  generated/Manual  Manual/objective  generated/objective");
        foreach (var (n, m, count) in s_baSizes)
        {
            var p = new BaProblem(n, m, count);
            var (errors, weightErrors) = (new double[2 * count], new double[count]);
            var (blocks, weightDerivatives) = (new double[2 * Adbench.Ba.BlockColumns * count], new double[count]);
            var best = Time(
                () =>
                {
                    Adbench.Ba.Objective(p, errors, weightErrors);
                    return errors[0];
                },
                () =>
                {
                    BaManual.Jacobian(p, errors, weightErrors, blocks, weightDerivatives);
                    return blocks[0];
                },
                () =>
                {
                    Adbench.Ba.Jacobian(p, errors, weightErrors, blocks, weightDerivatives);
                    return blocks[0];
                },
                calls: 1,
                rounds);
            ratios.Add(best.Generated / best.Manual);
            Console.WriteLine(Row($"{n}, {m}, {count}", best, width: 20));
        }

        return ratios;
    }

    /// <summary>LSTM: the loss against its gradient with respect to the main and extra parameters.</summary>
    public static List<double> Lstm(int rounds)
    {
        Console.WriteLine($"ADBench LSTM, b = 14, fastest of {rounds} rounds (µs); {RuntimeDescription()}");
        Console.WriteLine("l, c      objective     Manual  generated  generated/Manual  Manual/objective  generated/objective");
        var ratios = new List<double>();
        foreach (var (l, c) in s_lstmSizes)
        {
            var p = new LstmProblem(l, c);
            var (dMain, dExtra) = (new double[p.MainParams.Length], new double[p.ExtraParams.Length]);
            var best = Time(
                () => Adbench.Lstm.Objective(p.MainParams, p.ExtraParams, p.State, p.Sequence, l, c, p.B),
                () => LstmManual.Gradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, l, c, p.B, dMain, dExtra),
                () => Adbench.Lstm.ObjectiveGradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, l, c, p.B, dMain, dExtra),
                calls: 1,
                rounds);
            ratios.Add(best.Generated / best.Manual);
            Console.WriteLine(Row($"{l}, {c}", best, width: 9));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"geomean generated/Manual: {Geomean(ratios):F2}"));
        return ratios;
    }

    private static double Geomean(List<double> ratios) => Math.Exp(ratios.Sum(Math.Log) / ratios.Count);

    /// <summary>The fastest round (µs per call) of each of the three, timed in turn after a warm-up.</summary>
    private static (double Objective, double Manual, double Generated) Time(Func<double> objective, Func<double> manual, Func<double> generated, int calls, int rounds)
    {
        // Warm up until the JIT has had time to replace every method by its optimized (tier-1) code: it starts counting
        // calls only once no new method was compiled for 100 ms, and compiles in the background.
        double sink = 0;
        var warming = Stopwatch.StartNew();
        for (var warm = 0; warm < 200 || warming.ElapsedMilliseconds < 1500; warm++)
        {
            sink += objective() + manual() + generated();
            if (warm % 50 == 49)
            {
                System.Threading.Thread.Sleep(150);
            }
        }

        var best = (Objective: double.MaxValue, Manual: double.MaxValue, Generated: double.MaxValue);
        for (var round = 0; round < rounds; round++)
        {
            best.Objective = Math.Min(best.Objective, Round(objective, calls, ref sink));
            best.Manual = Math.Min(best.Manual, Round(manual, calls, ref sink));
            best.Generated = Math.Min(best.Generated, Round(generated, calls, ref sink));
        }

        if (!double.IsFinite(sink))
        {
            Console.WriteLine("(a result was not finite)");
        }

        return best;
    }

    private static double Round(Func<double> f, int calls, ref double sink)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            sink += f();
        }

        return watch.Elapsed.TotalMicroseconds / calls;
    }

    private static string Row(string size, (double Objective, double Manual, double Generated) best, int width = 8) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{size.PadRight(width)} {best.Objective,10:F1} {best.Manual,10:F1} {best.Generated,10:F1} {best.Generated / best.Manual,17:F2} {best.Manual / best.Objective,17:F2} {best.Generated / best.Objective,20:F2}");

    private static string RuntimeDescription() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, AVX-512F {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}, AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}";
}
