using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// One GMM problem of ADBench's sizes (d dimensions, k components, n points), drawn from a seeded generator the way
/// ADBench's <c>gmm-data-gen</c> draws them: weights and log-diagonals standard normal, means uniform in [0, 1), the
/// entries below the diagonal standard normal, points uniform in [0, 1); Wishart γ = 1, m = 0.
/// </summary>
public sealed class GmmProblem
{
    public GmmProblem(int d, int k, int n, int seed = 20261201)
    {
        (D, K, N) = (d, k, n);
        var random = new Random(seed);
        var icfSize = d * (d + 1) / 2;
        Alphas = Normal(random, k);
        Means = Uniform(random, k * d);
        Icf = Normal(random, k * icfSize);
        X = Uniform(random, n * d);
    }

    public int D { get; }

    public int K { get; }

    public int N { get; }

    public double[] Alphas { get; }

    public double[] Means { get; }

    public double[] Icf { get; }

    public double[] X { get; }

    public double WishartGamma => 1.0;

    public int WishartM => 0;

    public override string ToString() => $"d={D}, K={K}, N={N}";

    private static double[] Uniform(Random random, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = random.NextDouble();
        }

        return values;
    }

    private static double[] Normal(Random random, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        return values;
    }
}
