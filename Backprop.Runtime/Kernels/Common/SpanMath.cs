using System;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels.Common;

/// <summary>
/// The element-wise sums, scaled sums and exponentials of a training step (a bias added and its gradient summed, the
/// loss's softmax), in the drivers' own loops rather than TensorPrimitives'. Each TensorPrimitives operation compiles
/// its generic paths for every length on its first call (first calls alone: Add 16 ms, Exp 15, MultiplyAdd 7, Max 6;
/// AMD EPYC Zen 5, AVX-512), where a driver compiles one loop per width; with these the MLP's first training step went
/// from 75–81 to 60–62 ms.
/// The results are TensorPrimitives' bit for bit (sums are exact to the same rounding; <see cref="Exp"/> uses the
/// same vector exponential, also for the last elements).
/// </summary>
internal static class SpanMath
{
    /// <summary>destination = a + b.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) =>
        GradientDriver.Write<SumOperator>("Add", a, b, destination);

    /// <summary>destination = a − b.</summary>
    public static void Subtract(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) =>
        GradientDriver.Write<DifferenceOperator>("Subtract", a, b, destination);

    /// <summary>destination += scale · x: an adjoint receiving a scaled gradient (the scale ±1 of a sum's rule).</summary>
    public static void AddScaled(ReadOnlySpan<float> x, float scale, Span<float> destination) =>
        GradientDriver.Accumulate("AddScaled", x, x, destination, new ScaledOperator(scale));

    /// <summary>y = eˣ; x and y may be the same span.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => MapDriver.Map("Exp", x, y, default(ExpOperator));
}

/// <summary>a + b (the driver's value and dy are the two addends).</summary>
internal readonly struct SumOperator : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => value + dy;

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) => value + dy;

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) => value + dy;

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) => value + dy;
}

/// <summary>a − b.</summary>
internal readonly struct DifferenceOperator : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => value - dy;

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) => value - dy;

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) => value - dy;

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) => value - dy;
}

/// <summary>scale · x, x given as the driver's value (its dy is the same span and unused).</summary>
internal readonly struct ScaledOperator(float scale) : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => value * scale;

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) => value * scale;

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) => value * scale;

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) => value * scale;
}

/// <summary>
/// eˣ with the vector exponential at every width. A single element (the tail after the last whole vector) goes through
/// a 128-bit vector too: <see cref="MathF.Exp"/> rounds about half of all inputs differently, and an element's value
/// would then depend on where in the span it falls.
/// </summary>
internal readonly struct ExpOperator : IUnaryOperator
{
    public float Invoke(float x) =>
        Vector128.IsHardwareAccelerated ? Vector128.Exp(Vector128.CreateScalarUnsafe(x)).ToScalar() : MathF.Exp(x);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Exp(x);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(x);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Exp(x);
}
