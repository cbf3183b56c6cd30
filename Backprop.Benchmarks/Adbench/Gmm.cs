using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// ADBench's Gaussian mixture model objective (Šrajer, Kukelova, Fitzgibbon, "A benchmark of selected algorithmic
/// differentiation tools on some problems in computer vision and machine learning", Optimization Methods and Software
/// 2018, §4.1; microsoft/ADBench, <c>src/cpp/shared/gmm.h</c>), written in C# as a user would: flat arrays, loops, local
/// scratch arrays and small [Differentiable] helpers. The generator writes its gradient.
/// </summary>
/// <remarks>
/// The K components have weights α (a softmax of <c>alphas</c>), means μₖ (d values each) and inverse covariances
/// Qₖ = Lₖ Lₖᵀ-style lower-triangular factors: <c>icf</c> holds for each component d log-diagonal entries q, then the
/// d(d−1)/2 entries of L below the diagonal, column by column. The objective is the log-likelihood of the N points x
/// plus a Wishart prior (γ, m) on the Qₖ.
/// </remarks>
public static partial class Gmm
{
    [Differentiable]
    public static double Objective(double[] alphas, double[] means, double[] icf, [NoDiff] double[] x, int d, int k, int n, [NoDiff] double wishartGamma, int wishartM)
    {
        int icfSize = d * (d + 1) / 2;
        double[] sumQs = new double[k];
        double[] qDiags = new double[d * k];
        for (int ik = 0; ik < k; ik++)
        {
            double s = 0;
            for (int id = 0; id < d; id++)
            {
                s += icf[(ik * icfSize) + id];
                qDiags[(ik * d) + id] = Math.Exp(icf[(ik * icfSize) + id]);
            }

            sumQs[ik] = s;
        }

        double slse = 0;
        double[] mainTerm = new double[k];
        double[] xCentered = new double[d];
        double[] qxCentered = new double[d];
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                // Q·(x − μ) with Q's diagonal exp(q) and L below it
                for (int id = 0; id < d; id++)
                {
                    xCentered[id] = x[(ix * d) + id] - means[(ik * d) + id];
                    qxCentered[id] = qDiags[(ik * d) + id] * xCentered[id];
                }

                int lIndex = (ik * icfSize) + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qxCentered[j] += icf[lIndex] * xCentered[i];
                        lIndex++;
                    }
                }

                mainTerm[ik] = alphas[ik] + sumQs[ik] - (0.5 * SquaredNorm(qxCentered));
            }

            slse += LogSumExp(mainTerm);
        }

        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + slse - (n * LogSumExp(alphas)) + LogWishartPrior(qDiags, sumQs, icf, d, k, wishartGamma, wishartM);
    }

    [Differentiable]
    public static double SquaredNorm(double[] v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * v[i];
        }

        return s;
    }

    /// <summary>
    /// log Σ exp(vᵢ), shifted by the largest vᵢ so that no exponential overflows. The shift cancels out of the value, so its
    /// derivative is zero: it is held constant (<c>NoDiff.Value</c>), as JAX's and PyTorch's logsumexp hold it, and the
    /// gradient does not go back through the maximum.
    /// </summary>
    [Differentiable]
    public static double LogSumExp(double[] v)
    {
        double largest = NoDiff.Value(Largest(v));
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += Math.Exp(v[i] - largest);
        }

        return Math.Log(s) + largest;
    }

    /// <summary>The largest of <paramref name="v"/>.</summary>
    public static double Largest(double[] v)
    {
        double largest = v[0];
        for (int i = 1; i < v.Length; i++)
        {
            largest = Math.Max(largest, v[i]);
        }

        return largest;
    }

    /// <summary>The log of the Wishart prior's density on each Qₖ, up to what does not depend on the parameters.</summary>
    [Differentiable]
    public static double LogWishartPrior(double[] qDiags, double[] sumQs, double[] icf, int d, int k, [NoDiff] double gamma, int m)
    {
        int n = d + m + 1;
        int icfSize = d * (d + 1) / 2;
        double c = (n * d * (Math.Log(gamma) - (0.5 * Math.Log(2)))) - NoDiff.Value(LogMultivariateGamma(0.5 * n, d));
        double total = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++)
            {
                frobenius += qDiags[(ik * d) + id] * qDiags[(ik * d) + id];
            }

            for (int i = d; i < icfSize; i++)
            {
                frobenius += icf[(ik * icfSize) + i] * icf[(ik * icfSize) + i];
            }

            total += (0.5 * gamma * gamma * frobenius) - (m * sumQs[ik]);
        }

        return total - (k * c);
    }

    /// <summary>log Γₚ(a), the multivariate gamma function: ¼p(p−1)·log π + Σⱼ log Γ(a + (1 − j)/2).</summary>
    public static double LogMultivariateGamma(double a, int p)
    {
        double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= p; j++)
        {
            result += LogGamma(a + (0.5 * (1 - j)));
        }

        return result;
    }

    /// <summary>log Γ(x) for x &gt; 0 (Lanczos, g = 7, nine terms: about 15 significant digits).</summary>
    public static double LogGamma(double x)
    {
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x); // reflection
        }

        x -= 1;
        double sum = c[0];
        for (int i = 1; i < c.Length; i++)
        {
            sum += c[i] / (x + i);
        }

        double t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
