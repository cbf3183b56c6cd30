using System;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Finite-difference checks of generated tensor gradients, and random tensors to check them at.</summary>
internal static class TensorChecks
{
    /// <summary>
    /// Every element of <paramref name="analytic"/> against central differences of <paramref name="f"/> (steps 1e-2 and
    /// 5e-3, in float); elements where the two steps disagree straddle a kink and are skipped, but at most half of them.
    /// </summary>
    public static void CheckAgainstFiniteDifferences(string name, Tensor value, float[] analytic, Func<float> f)
    {
        var checkedCount = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var numeric = Central(value, i, f, 1e-2f);
            var half = Central(value, i, f, 5e-3f);
            if (Math.Abs(numeric - half) > 2e-2 * Math.Max(1, Math.Abs(numeric)))
            {
                continue; // a kink between the two steps
            }

            Assert.True(Math.Abs(analytic[i] - numeric) <= 5e-3 * Math.Max(1, Math.Abs(numeric)), $"d{name}[{i}] = {analytic[i]}, finite difference {numeric}");
            checkedCount++;
        }

        Assert.True(checkedCount >= value.Length / 2, $"d{name}: only {checkedCount} of {value.Length} elements were away from kinks");
    }

    public static double Central(Tensor value, int i, Func<float> f, float h)
    {
        var original = value[i];
        value[i] = original + h;
        double plus = f();
        value[i] = original - h;
        double minus = f();
        value[i] = original;
        return (plus - minus) / (2.0 * h);
    }

    /// <summary>Fills <paramref name="tensor"/> uniformly in [-scale, scale] and returns it.</summary>
    public static Tensor Fill(Tensor tensor, Random random, double scale)
    {
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }

        return tensor;
    }
}
