using System;
using System.Numerics.Tensors;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Nn
{
    /// <summary>max(0, x) element by element.</summary>
    [DerivativeRule(nameof(ReluBackward))]
    public static Tensor Relu(Tensor x)
    {
        NotNull("Relu", x, nameof(x));
        var result = Like(x);
        Activations.Relu(x.Span, result.Span);
        TraceIfActive("Relu", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="Relu"/>: dx += dResult where x &gt; 0 (written, not added, into a fresh dx).</summary>
    public static void ReluBackward(Tensor x, Tensor result, Tensor dResult, [WritesFirst] Tensor? dx)
    {
        CheckAdjoint("ReluBackward", result, dResult, nameof(dResult));
        CheckAdjoint("ReluBackward", x, dx, nameof(dx));
        if (dx is not null && dx.TakeFresh())
        {
            GradientDriver.Write<ReluGradientOperator>("ReluBackward", x.Span, dResult.Span, dx.Span);
        }
        else if (dx is not null)
        {
            Activations.ReluBackward(x.Span, dResult.Span, dx.Span);
        }
    }

    /// <summary>x for x &gt; 0, slope·x otherwise (the notes' max(0.1x, x)).</summary>
    [DerivativeRule(nameof(LeakyReluBackward))]
    public static Tensor LeakyRelu(Tensor x, [NoDiff] float slope = 0.1f)
    {
        NotNull("LeakyRelu", x, nameof(x));
        var result = Like(x);
        Activations.LeakyRelu(x.Span, result.Span, slope);
        TraceIfActive("LeakyRelu", result, x, slope);
        return result;
    }

    /// <summary>Rule of <see cref="LeakyRelu"/>: dx += dResult · (x &gt; 0 ? 1 : slope).</summary>
    public static void LeakyReluBackward(Tensor x, float slope, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckAdjoint("LeakyReluBackward", result, dResult, nameof(dResult));
        CheckAdjoint("LeakyReluBackward", x, dx, nameof(dx));
        if (dx is not null)
        {
            Activations.LeakyReluBackward(x.Span, dResult.Span, dx.Span, slope);
        }
    }

    /// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
    [DerivativeRule(nameof(EluBackward))]
    public static Tensor Elu(Tensor x, [NoDiff] float alpha = 1f)
    {
        NotNull("Elu", x, nameof(x));
        var result = Like(x);
        Activations.Elu(x.Span, result.Span, alpha);
        TraceIfActive("Elu", result, x, alpha);
        return result;
    }

    /// <summary>Rule of <see cref="Elu"/>, from the output: dx += dResult · (y &gt; 0 ? 1 : y + alpha).</summary>
    public static void EluBackward(Tensor x, float alpha, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckAdjoint("EluBackward", result, dResult, nameof(dResult));
        CheckAdjoint("EluBackward", x, dx, nameof(dx));
        if (dx is not null)
        {
            Activations.EluBackward(result.Span, dResult.Span, dx.Span, alpha);
        }
    }

    /// <summary>1 / (1 + e^-x) element by element.</summary>
    [DerivativeRule(nameof(SigmoidBackward))]
    public static Tensor Sigmoid(Tensor x)
    {
        NotNull("Sigmoid", x, nameof(x));
        var result = Like(x);
        Activations.Sigmoid(x.Span, result.Span);
        TraceIfActive("Sigmoid", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="Sigmoid"/>, from the output: dx += dResult · y(1 − y) (written, not added, into a fresh dx).</summary>
    public static void SigmoidBackward(Tensor x, Tensor result, Tensor dResult, [WritesFirst] Tensor? dx)
    {
        CheckAdjoint("SigmoidBackward", result, dResult, nameof(dResult));
        CheckAdjoint("SigmoidBackward", x, dx, nameof(dx));
        if (dx is not null && dx.TakeFresh())
        {
            GradientDriver.Write<SigmoidGradientOperator>("SigmoidBackward", result.Span, dResult.Span, dx.Span);
        }
        else if (dx is not null)
        {
            Activations.SigmoidBackward(result.Span, dResult.Span, dx.Span);
        }
    }

    /// <summary>tanh(x) element by element.</summary>
    [DerivativeRule(nameof(TanhBackward))]
    public static Tensor Tanh(Tensor x)
    {
        NotNull("Tanh", x, nameof(x));
        var result = Like(x);
        Activations.Tanh(x.Span, result.Span);
        TraceIfActive("Tanh", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="Tanh"/>, from the output: dx += dResult · (1 − y²) (written, not added, into a fresh dx).</summary>
    public static void TanhBackward(Tensor x, Tensor result, Tensor dResult, [WritesFirst] Tensor? dx)
    {
        CheckAdjoint("TanhBackward", result, dResult, nameof(dResult));
        CheckAdjoint("TanhBackward", x, dx, nameof(dx));
        if (dx is not null && dx.TakeFresh())
        {
            GradientDriver.Write<TanhGradientOperator>("TanhBackward", result.Span, dResult.Span, dx.Span);
        }
        else if (dx is not null)
        {
            Activations.TanhBackward(result.Span, dResult.Span, dx.Span);
        }
    }

    /// <summary>Softmax over the last axis (of each row of a matrix; over keys for scores [batch × queries × keys]), stable for large values.</summary>
    [DerivativeRule(nameof(SoftmaxBackward))]
    public static Tensor Softmax(Tensor x)
    {
        NotNull("Softmax", x, nameof(x));
        var result = Like(x);
        Activations.Softmax(x.Span, result.Span, x.Shape[-1]);
        TraceIfActive("Softmax", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="Softmax"/>, from the output: dx += y ⊙ (dResult − (dResult · y)) per row.</summary>
    public static void SoftmaxBackward(Tensor x, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckAdjoint("SoftmaxBackward", result, dResult, nameof(dResult));
        CheckAdjoint("SoftmaxBackward", x, dx, nameof(dx));
        if (dx is not null)
        {
            Activations.SoftmaxBackward(result.Span, dResult.Span, dx.Span, x.Shape[-1]);
        }
    }

    /// <summary>Maxout of two pieces, max(a, b) element by element (max(w₁ᵀx + b₁, w₂ᵀx + b₂) in the notes).</summary>
    [DerivativeRule(nameof(MaxoutBackward))]
    public static Tensor Maxout(Tensor a, Tensor b)
    {
        CheckSameShape("Maxout", a, b);
        var result = Like(a);
        Activations.Maxout(a.Span, b.Span, result.Span);
        TraceIfActive("Maxout", result, a, b);
        return result;
    }

    /// <summary>Rule of <see cref="Maxout"/>, the router: the larger piece receives dResult (a tie goes to a).</summary>
    public static void MaxoutBackward(Tensor a, Tensor b, Tensor result, Tensor dResult, Tensor? da, Tensor? db)
    {
        CheckAdjoint("MaxoutBackward", result, dResult, nameof(dResult));
        CheckAdjoint("MaxoutBackward", a, da, nameof(da));
        CheckAdjoint("MaxoutBackward", b, db, nameof(db));
        Activations.MaxoutBackward(a.Span, b.Span, dResult.Span, da is null ? default : da.Span, db is null ? default : db.Span);
    }

    /// <summary>
    /// GELU, x·Φ(x) with Φ the standard normal distribution function (PyTorch's default, exact form; erf from
    /// Abramowitz and Stegun 7.1.26, error below 1.5e-7, under float's resolution at the values that matter; computed
    /// 256 values at a time on <see cref="TensorPrimitives"/>).
    /// </summary>
    [DerivativeRule(nameof(GeluBackward))]
    public static Tensor Gelu(Tensor x)
    {
        NotNull("Gelu", x, nameof(x));
        var result = Like(x);
        var input = x.Span;
        var output = result.Span;
        Span<float> cdf = stackalloc float[GeluChunk];
        Span<float> density = stackalloc float[GeluChunk];
        for (var start = 0; start < input.Length; start += GeluChunk)
        {
            var length = Math.Min(GeluChunk, input.Length - start);
            var values = input.Slice(start, length);
            NormalCdf(values, cdf[..length], density[..length]);
            TensorPrimitives.Multiply(values, cdf[..length], output.Slice(start, length));
        }

        TraceIfActive("Gelu", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="Gelu"/>: dx += dResult · (Φ(x) + x·φ(x)), φ the standard normal density.</summary>
    public static void GeluBackward(Tensor x, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckAdjoint("GeluBackward", result, dResult, nameof(dResult));
        CheckAdjoint("GeluBackward", x, dx, nameof(dx));
        if (dx is null)
        {
            return;
        }

        var input = x.Span;
        var gradient = dResult.Span;
        var adjoint = dx.Span;
        Span<float> cdf = stackalloc float[GeluChunk];
        Span<float> density = stackalloc float[GeluChunk];
        for (var start = 0; start < input.Length; start += GeluChunk)
        {
            var length = Math.Min(GeluChunk, input.Length - start);
            var values = input.Slice(start, length);
            var slope = cdf[..length];
            var weight = density[..length];
            NormalCdf(values, slope, weight);
            TensorPrimitives.MultiplyAdd(values, weight, slope, slope);                       // Φ(x) + x·φ(x)
            TensorPrimitives.MultiplyAdd(gradient.Slice(start, length), slope, adjoint.Slice(start, length), adjoint.Slice(start, length));
        }
    }

    /// <summary>Values per pass of <see cref="NormalCdf"/>: its scratch lives on the stack.</summary>
    private const int GeluChunk = 256;

    /// <summary>
    /// Φ(v) = ½(1 + erf(v/√2)) and φ(v) = exp(−v²/2)/√(2π) of each value, a vector at a time: erf(z) = 1 − P(t)·exp(−z²) with
    /// t = 1/(1 + 0.3275911·z), z = |v|/√2 (Abramowitz and Stegun 7.1.26, error below 1.5e-7), and the sign restored.
    /// </summary>
    private static void NormalCdf(ReadOnlySpan<float> v, Span<float> cdf, Span<float> density)
    {
        // density ← exp(−z²), which is also φ(v)·√(2π); cdf ← t, then P(t) by Horner's rule.
        TensorPrimitives.Abs(v, cdf);
        TensorPrimitives.Multiply(cdf, 1f / MathF.Sqrt(2f), cdf);                 // z
        TensorPrimitives.Multiply(cdf, cdf, density);
        TensorPrimitives.Negate(density, density);
        TensorPrimitives.Exp(density, density);                                   // exp(−z²)
        TensorPrimitives.Multiply(cdf, 0.3275911f, cdf);
        TensorPrimitives.Add(cdf, 1f, cdf);
        TensorPrimitives.Reciprocal(cdf, cdf);                                    // t
        Span<float> polynomial = stackalloc float[cdf.Length];
        TensorPrimitives.Multiply(cdf, 1.061405429f, polynomial);
        TensorPrimitives.Add(polynomial, -1.453152027f, polynomial);
        TensorPrimitives.MultiplyAdd(polynomial, cdf, 1.421413741f, polynomial);
        TensorPrimitives.MultiplyAdd(polynomial, cdf, -0.284496736f, polynomial);
        TensorPrimitives.MultiplyAdd(polynomial, cdf, 0.254829592f, polynomial);
        TensorPrimitives.Multiply(polynomial, cdf, polynomial);                   // P(t)
        // ½(1 − erf(z)) = ½·P·exp(−z²) is Φ(−|v|); Φ(v) = ½ + sign(v)·(½ − Φ(−|v|)).
        TensorPrimitives.Multiply(polynomial, density, polynomial);
        TensorPrimitives.Multiply(polynomial, -0.5f, polynomial);
        TensorPrimitives.Add(polynomial, 0.5f, polynomial);
        TensorPrimitives.CopySign(polynomial, v, polynomial);
        TensorPrimitives.Add(polynomial, 0.5f, cdf);
        TensorPrimitives.Multiply(density, 1f / MathF.Sqrt(2f * MathF.PI), density); // φ(v)
    }
}
