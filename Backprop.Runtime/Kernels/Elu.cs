using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Activations
{
    /// <summary>y = x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
    /// <remarks>
    /// As y = alpha·(e^min(x, 0) − 1) + max(x, 0): four vectorised passes, the exponential from TensorPrimitives
    /// (faster here than a hand-written Vector512.Exp), and no overflow for large x. x and y must not overlap
    /// unless they are the same span.
    /// </remarks>
    public static void Elu(ReadOnlySpan<float> x, Span<float> y, float alpha = 1f)
    {
        if (!Elementwise.CheckLengths("Elu", x.Length, y.Length))
        {
            return;
        }

        if (x.Overlaps(y, out var offset) && offset != 0)
        {
            throw new ArgumentException("Elu: x and y overlap; pass the same span or separate ones.");
        }

        // In place (y is x) the passes below would lose x: one fused pass instead.
        if (x.Overlaps(y))
        {
            MapDriver.Map("Elu", x, y, new EluOperator(alpha));
            return;
        }

        TensorPrimitives.Min(x, 0f, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Multiply(y, alpha, y);
        GradientDriver.Accumulate("Elu", x, x, y, new EluTailOperator(alpha));
    }

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

/// <summary>max(x, 0) − alpha: what turns alpha·e^min(x, 0) into ELU (the driver passes x as both arguments).</summary>
internal readonly struct EluTailOperator(float alpha) : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => (value > 0f ? value : 0f) - alpha;

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) => Vector512.Max(value, Vector512<float>.Zero) - Vector512.Create(alpha);

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) => Vector256.Max(value, Vector256<float>.Zero) - Vector256.Create(alpha);

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) => Vector128.Max(value, Vector128<float>.Zero) - Vector128.Create(alpha);
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
