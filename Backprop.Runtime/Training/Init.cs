using System;

namespace Backprop;

/// <summary>
/// Weight initialisation, as the lecture notes derive it: random (so no two units are alike) with a variance that
/// keeps activations from exploding or vanishing through the layers.
/// </summary>
public static class Init
{
    /// <summary>Xavier/Glorot: normal with variance 2 / (fan_in + fan_out), for tanh and sigmoid layers.</summary>
    public static Tensor Xavier(int fanIn, int fanOut, Random random) => Normal(fanIn, fanOut, Math.Sqrt(2.0 / (fanIn + fanOut)), random);

    /// <summary>He: normal with variance 2 / fan_in, for ReLU layers (ReLU zeroes half its inputs, so the variance doubles).</summary>
    public static Tensor He(int fanIn, int fanOut, Random random) => Normal(fanIn, fanOut, Math.Sqrt(2.0 / fanIn), random);

    /// <summary>
    /// He for convolution kernels [<paramref name="outputs"/> × <paramref name="inputs"/> × <paramref name="height"/> ×
    /// <paramref name="width"/>]: normal with variance 2 / fan_in, where a kernel's fan-in is inputs · height · width (the
    /// values one output reads), as PyTorch's <c>kaiming_normal_</c> with its default mode.
    /// </summary>
    public static Tensor HeKernels(int outputs, int inputs, int height, int width, Random random)
    {
        var kernels = Tensor.Zeros(outputs, inputs, height, width);
        FillNormal(kernels, Math.Sqrt(2.0 / (inputs * height * width)), random);
        return kernels;
    }

    /// <summary>A fanIn × fanOut matrix of normal values with mean 0 and the given standard deviation.</summary>
    public static Tensor Normal(int fanIn, int fanOut, double standardDeviation, Random random)
    {
        var matrix = Tensor.Matrix(fanIn, fanOut);
        FillNormal(matrix, standardDeviation, random);
        return matrix;
    }

    private static void FillNormal(Tensor tensor, double standardDeviation, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var span = tensor.Span;
        for (var i = 0; i < span.Length; i += 2)
        {
            // Box–Muller: two independent normals from two uniforms.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1));
            span[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < span.Length)
            {
                span[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }
    }
}
