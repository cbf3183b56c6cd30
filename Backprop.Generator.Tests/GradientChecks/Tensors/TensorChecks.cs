using System;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Finite-difference checks of generated tensor gradients, and random tensors to check them at.</summary>
internal static class TensorChecks
{
    /// <summary>The gradient of every parameter against central differences of <paramref name="loss"/>.</summary>
    public static void CheckEveryParameter(System.Collections.Generic.IReadOnlyList<Parameter> parameters, Func<float> loss)
    {
        foreach (var parameter in parameters)
        {
            CheckAgainstFiniteDifferences(parameter.Name, parameter.Value, parameter.Gradient.ToArray(), loss);
        }
    }

    /// <summary>
    /// Two models' gradients, parameter by parameter in order (the same network written two ways, its parameters of the
    /// same names), equal to <paramref name="tolerance"/> relative.
    /// </summary>
    public static void AssertSameGradients(System.Collections.Generic.IReadOnlyList<Parameter> actual, System.Collections.Generic.IReadOnlyList<Parameter> expected, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var p = 0; p < expected.Count; p++)
        {
            Assert.Equal(expected[p].Name, actual[p].Name);
            var want = expected[p].Gradient.ToArray();
            var got = actual[p].Gradient.ToArray();
            for (var i = 0; i < want.Length; i++)
            {
                Assert.True(Math.Abs(want[i] - got[i]) <= tolerance * Math.Max(1, Math.Abs(want[i])), $"d{actual[p].Name}[{i}] = {got[i]}, the other way {want[i]}");
            }
        }
    }

    /// <summary>Fills every parameter at random: matrices in [-<paramref name="weights"/>, <paramref name="weights"/>], vectors (biases) in [-0.1, 0.1].</summary>
    public static void FillParameters(System.Collections.Generic.IReadOnlyList<Parameter> parameters, Random random, double weights = 1)
    {
        foreach (var parameter in parameters)
        {
            Fill(parameter.Value, random, parameter.Value.Shape.Rank == 1 ? 0.1 : weights);
        }
    }

    /// <summary>Copies each parameter's values into the parameter of <paramref name="to"/> in the same place (the same network written another way).</summary>
    public static void CopyParameters(System.Collections.Generic.IReadOnlyList<Parameter> from, System.Collections.Generic.IReadOnlyList<Parameter> to)
    {
        Assert.Equal(from.Count, to.Count);
        for (var i = 0; i < from.Count; i++)
        {
            to[i].Value.CopyFrom(from[i].Value);
        }
    }

    /// <summary>A copy of <paramref name="tensor"/>: the same values in storage of its own.</summary>
    public static Tensor Copy(Tensor tensor)
    {
        var copy = Tensor.ZerosLike(tensor);
        copy.CopyFrom(tensor);
        return copy;
    }

    /// <summary>
    /// Every element of <paramref name="analytic"/> against the extrapolated central differences of <paramref name="f"/>
    /// (<see cref="Extrapolated"/>); elements with a kink within the steps are skipped, but at most half of them.
    /// </summary>
    public static void CheckAgainstFiniteDifferences(string name, Tensor value, float[] analytic, Func<float> f)
    {
        var checkedCount = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var numeric = Extrapolated(offset => At(value, i, offset, f), out var steady, out var noise);
            if (!steady)
            {
                continue; // a kink within the steps
            }

            Assert.True(Close(analytic[i], numeric, noise), $"d{name}[{i}] = {analytic[i]}, finite difference {numeric}");
            checkedCount++;
        }

        Assert.True(checkedCount >= value.Length / 2, $"d{name}: only {checkedCount} of {value.Length} elements were away from kinks");
    }

    /// <summary>
    /// The derivative from central differences, extrapolated (Richardson: (4·D(h/2) − D(h))/3, whose error is of order
    /// h⁴, not h²: products like t·t have third derivatives large enough to move D(h) by 1 %), from steps 5e-3 and 2.5e-3.
    /// It is not steady where a kink (Relu, Maxout) lies within 1e-2: at a smooth point the gap between the one-sided
    /// differences halves with the step (it is h·f''), at a kink it does not — checked from 1e-2 to 5e-3 and from 5e-3
    /// to 2.5e-3, since a kink at one distance can halve it once.
    /// </summary>
    public static double Extrapolated(Func<float, double> valueAt, out bool steady, out double noise)
    {
        const float h = 1e-2f;
        var center = valueAt(0);
        double Central(float step) => (valueAt(step) - valueAt(-step)) / (2 * step);
        double Gap(float step) => ((valueAt(step) - center) / step) - ((center - valueAt(-step)) / step);
        var extrapolated = ((4 * Central(h / 4)) - Central(h / 2)) / 3;
        noise = 1e-6 * Math.Abs(center) / (h / 4); // F's float rounding (a few ulps of a sum), divided by the smallest step
        var tolerance = (1e-3 * Math.Max(1, Math.Abs(extrapolated))) + noise;
        var (gap, half, quarter) = (Gap(h), Gap(h / 2), Gap(h / 4));
        steady = Math.Abs(half - (gap / 2)) <= tolerance && Math.Abs(quarter - (half / 2)) <= tolerance;
        return extrapolated;
    }

    /// <summary>F with element <paramref name="i"/> of <paramref name="tensor"/> moved by <paramref name="offset"/>.</summary>
    public static double At(Tensor tensor, int i, float offset, Func<float> value)
    {
        var original = tensor[i];
        tensor[i] = original + offset;
        double result = value();
        tensor[i] = original;
        return result;
    }

    /// <summary>The analytic derivative agrees with the finite difference to 0.5 %, beyond F's rounding.</summary>
    public static bool Close(double analytic, double numeric, double noise) => Math.Abs(analytic - numeric) <= (5e-3 * Math.Max(1, Math.Abs(numeric))) + noise;

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
