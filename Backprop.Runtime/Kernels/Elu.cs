using System;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Activations
{
    /// <summary>y = x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
    public static void Elu(ReadOnlySpan<float> x, Span<float> y, float alpha = 1f) =>
        MapDriver.Map("Elu", x, y, new EluOperator(alpha));

    /// <summary>dx += dy · (y &gt; 0 ? 1 : y + alpha), from the forward output y (for x ≤ 0, alpha·eˣ = y + alpha).</summary>
    public static void EluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha = 1f) =>
        GradientDriver.Accumulate("EluBackward", y, dy, dx, new EluGradientOperator(alpha));
}

/// <summary>x &gt; 0 ? x : alpha·(eˣ − 1); the exponential of min(x, 0), so a large x never overflows.</summary>
internal readonly struct EluOperator(float alpha) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : alpha * (MathF.Exp(x) - 1f);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x,
        alpha * (Vector512.Exp(Vector512.Min(x, Vector512<float>.Zero)) - Vector512<float>.One));

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x,
        alpha * (Vector256.Exp(Vector256.Min(x, Vector256<float>.Zero)) - Vector256<float>.One));

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x,
        alpha * (Vector128.Exp(Vector128.Min(x, Vector128<float>.Zero)) - Vector128<float>.One));
}

/// <summary>dy · (y &gt; 0 ? 1 : y + alpha).</summary>
internal readonly struct EluGradientOperator(float alpha) : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => value > 0f ? dy : dy * (value + alpha);

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(value, Vector512<float>.Zero), dy, dy * (value + Vector512.Create(alpha)));

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(value, Vector256<float>.Zero), dy, dy * (value + Vector256.Create(alpha)));

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(value, Vector128<float>.Zero), dy, dy * (value + Vector128.Create(alpha)));
}
