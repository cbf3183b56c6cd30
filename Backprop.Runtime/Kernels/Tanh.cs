using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Activations
{
    /// <summary>y = tanh(x).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        if (Elementwise.CheckLengths("Tanh", x.Length, y.Length))
        {
            TensorPrimitives.Tanh(x, y);
        }
    }

    /// <summary>dx += dy · (1 - y²), from the forward output y.</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        GradientDriver.Accumulate<TanhGradientOperator>("TanhBackward", y, dy, dx);
}

/// <summary>dy · (1 - y²).</summary>
internal readonly struct TanhGradientOperator : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => dy * (1f - (value * value));

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) => dy * (Vector512<float>.One - (value * value));

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) => dy * (Vector256<float>.One - (value * value));

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) => dy * (Vector128<float>.One - (value * value));
}
