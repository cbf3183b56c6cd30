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

    /// <summary>A fanIn × fanOut matrix of normal values with mean 0 and the given standard deviation.</summary>
    public static Tensor Normal(int fanIn, int fanOut, double standardDeviation, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var tensor = Tensor.Matrix(fanIn, fanOut);
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

        return tensor;
    }
}
