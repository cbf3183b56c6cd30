using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// The GMM gradient derived by hand, organised as ADBench's "Manual" derivative (<c>src/cpp/modules/manual/gmm_d.cpp</c>):
/// one pass over the points that computes each component's Q·(x − μ) and main term, their log-sum-exp, and adds each
/// component's share of the gradient at once — no tape, scratch of K·d values. The yardstick for the generated
/// <see cref="Gmm.ObjectiveGradient"/>.
/// </summary>
public static class GmmManual
{
    /// <summary>The objective, with its gradient written into (not added to) <paramref name="dAlphas"/>, <paramref name="dMeans"/>, <paramref name="dIcf"/>.</summary>
    public static double Gradient(double[] alphas, double[] means, double[] icf, double[] x, int d, int k, int n, double wishartGamma, int wishartM,
        Span<double> dAlphas, Span<double> dMeans, Span<double> dIcf)
    {
        dAlphas.Clear();
        dMeans.Clear();
        dIcf.Clear();
        var icfSize = d * (d + 1) / 2;
        var qDiags = new double[k * d];
        var sumQs = new double[k];
        for (var ik = 0; ik < k; ik++)
        {
            for (var id = 0; id < d; id++)
            {
                sumQs[ik] += icf[(ik * icfSize) + id];
                qDiags[(ik * d) + id] = Math.Exp(icf[(ik * icfSize) + id]);
            }
        }

        var xCentered = new double[k * d];
        var qxCentered = new double[k * d];
        var mainTerm = new double[k];
        var slse = 0.0;
        for (var ix = 0; ix < n; ix++)
        {
            var point = x.AsSpan(ix * d, d);
            for (var ik = 0; ik < k; ik++)
            {
                var xc = xCentered.AsSpan(ik * d, d);
                var qxc = qxCentered.AsSpan(ik * d, d);
                for (var id = 0; id < d; id++)
                {
                    xc[id] = point[id] - means[(ik * d) + id];
                    qxc[id] = qDiags[(ik * d) + id] * xc[id];
                }

                var l = (ik * icfSize) + d;
                for (var i = 0; i < d; i++)
                {
                    for (var j = i + 1; j < d; j++)
                    {
                        qxc[j] += icf[l++] * xc[i];
                    }
                }

                var norm = 0.0;
                for (var id = 0; id < d; id++)
                {
                    norm += qxc[id] * qxc[id];
                }

                mainTerm[ik] = alphas[ik] + sumQs[ik] - (0.5 * norm);
            }

            var lse = Gmm.LogSumExp(mainTerm); // the objective's own, as ADBench's Manual shares its logsumexp
            slse += lse;

            // d lse / d mainTermₖ = wₖ (the posterior of component k); mainTermₖ = αₖ + Σq − ½|Q(x − μ)|².
            for (var ik = 0; ik < k; ik++)
            {
                var w = Math.Exp(mainTerm[ik] - lse);
                dAlphas[ik] += w;
                var xc = xCentered.AsSpan(ik * d, d);
                var qxc = qxCentered.AsSpan(ik * d, d);
                var dq = dIcf.Slice(ik * icfSize, d);
                var dMean = dMeans.Slice(ik * d, d);
                for (var id = 0; id < d; id++)
                {
                    // from Σq and from exp(q_id)·xc_id in Q(x − μ); dμ = Qᵀ·Q(x − μ)·w (the diagonal part here)
                    dq[id] += w - (w * qxc[id] * qDiags[(ik * d) + id] * xc[id]);
                    dMean[id] += w * qDiags[(ik * d) + id] * qxc[id];
                }

                var l = (ik * icfSize) + d;
                for (var i = 0; i < d; i++)
                {
                    var dmi = 0.0;
                    for (var j = i + 1; j < d; j++)
                    {
                        dIcf[l] -= w * qxc[j] * xc[i];
                        dmi += icf[l] * qxc[j];
                        l++;
                    }

                    dMean[i] += w * dmi;
                }
            }
        }

        // − n·logsumexp(α)
        var lseAlphas = Gmm.LogSumExp(alphas);
        for (var ik = 0; ik < k; ik++)
        {
            dAlphas[ik] -= n * Math.Exp(alphas[ik] - lseAlphas);
        }

        // the Wishart prior: ½γ²(Σ exp(q)² + Σ L²) − m·Σq per component
        var gamma2 = wishartGamma * wishartGamma;
        var prior = 0.0;
        for (var ik = 0; ik < k; ik++)
        {
            var frobenius = 0.0;
            for (var id = 0; id < d; id++)
            {
                var qd = qDiags[(ik * d) + id];
                frobenius += qd * qd;
                dIcf[(ik * icfSize) + id] += (gamma2 * qd * qd) - wishartM;
            }

            for (var i = d; i < icfSize; i++)
            {
                var li = icf[(ik * icfSize) + i];
                frobenius += li * li;
                dIcf[(ik * icfSize) + i] += gamma2 * li;
            }

            prior += (0.5 * gamma2 * frobenius) - (wishartM * sumQs[ik]);
        }

        var nPrior = d + wishartM + 1;
        var c = (nPrior * d * (Math.Log(wishartGamma) - (0.5 * Math.Log(2)))) - Gmm.LogMultivariateGamma(0.5 * nPrior, d);
        var constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + slse - (n * lseAlphas) + prior - (k * c);
    }
}
