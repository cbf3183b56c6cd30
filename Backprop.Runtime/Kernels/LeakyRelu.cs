using System;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Activations
{
    /// <summary>y = x for x &gt; 0, slope·x otherwise (the lecture notes' max(0.1x, x) is slope 0.1).</summary>
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float slope = 0.1f) =>
        MapDriver.Map("LeakyRelu", x, y, new LeakyReluOperator(slope));

    /// <summary>dx += dy · (x &gt; 0 ? 1 : slope); at x = 0 the slope side.</summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float slope = 0.1f) =>
        GradientDriver.Accumulate("LeakyReluBackward", x, dy, dx, new LeakyReluGradientOperator(slope));
}

/// <summary>x &gt; 0 ? x : slope·x.</summary>
internal readonly struct LeakyReluOperator(float slope) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : slope * x;

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, x * slope);
}

/// <summary>dy · (x &gt; 0 ? 1 : slope).</summary>
internal readonly struct LeakyReluGradientOperator(float slope) : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => value > 0f ? dy : slope * dy;

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(value, Vector512<float>.Zero), dy, dy * slope);

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(value, Vector256<float>.Zero), dy, dy * slope);

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(value, Vector128<float>.Zero), dy, dy * slope);
}
