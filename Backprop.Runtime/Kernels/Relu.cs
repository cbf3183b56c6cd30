using System;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Activations
{
    /// <summary>y = max(0, x); a NaN stays NaN.</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => MapDriver.Map("Relu", x, y, default(ReluOperator));

    /// <summary>dx += dy where x &gt; 0 (0 at x = 0: the router's tie goes to the constant 0 here, as max(0, x) lists it first).</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) =>
        GradientDriver.Accumulate<ReluGradientOperator>("ReluBackward", x, dy, dx);
}

/// <summary>
/// max(0, x) as IEEE 754-2019 maximum: NaN in, NaN out, and max(0, −0) = 0 (what TensorPrimitives.Max gives, in the
/// driver's loop: see <see cref="SpanMath"/> for why not TensorPrimitives').
/// </summary>
internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Max(x, 0f);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);
}

/// <summary>dy · (x &gt; 0 ? 1 : 0).</summary>
internal readonly struct ReluGradientOperator : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => value > 0f ? dy : 0f;

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(value, Vector512<float>.Zero), dy, Vector512<float>.Zero);

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(value, Vector256<float>.Zero), dy, Vector256<float>.Zero);

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(value, Vector128<float>.Zero), dy, Vector128<float>.Zero);
}
