using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Activations
{
    /// <summary>y = 1 / (1 + e^-x).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        if (Elementwise.CheckLengths("Sigmoid", x.Length, y.Length))
        {
            TensorPrimitives.Sigmoid(x, y);
        }
    }

    /// <summary>dx += dy · y(1 - y), from the forward output y.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        GradientDriver.Accumulate<SigmoidGradientOperator>("SigmoidBackward", y, dy, dx);
}

/// <summary>dy · y(1 - y).</summary>
internal readonly struct SigmoidGradientOperator : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => dy * value * (1f - value);

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) => dy * value * (Vector512<float>.One - value);

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) => dy * value * (Vector256<float>.One - value);

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) => dy * value * (Vector128<float>.One - value);
}
