using System;
using System.Linq;
using System.Numerics.Tensors;
using Backprop.Kernels.Common;
using Backprop.Runtime.Tests.Infrastructure;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>
/// The runtime's own sums, scaled sums, exponentials and ReLU against the TensorPrimitives operations they replace on
/// the training path: bit for bit at every width and every length 0..256 and some large ones, on unaligned slices, so
/// a model trains to the same weights as before.
/// </summary>
public sealed class SpanMathTests
{
    public static TheoryData<string> Paths() => KernelPaths.All();

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void AddAndSubtract_EveryPath_MatchTensorPrimitives(string path)
    {
        Widths.SkipUnlessAccelerated(path);
        foreach (var length in KernelPaths.Lengths)
        {
            var a = KernelPaths.Values(length + 1, seed: length).AsSpan(1);
            var b = KernelPaths.Values(length + 1, seed: length + 1000).AsSpan(1);
            var sum = new float[length];
            Write(path, a, b, sum, default(SumOperator), SpanMath.Add);
            var expected = new float[length];
            TensorPrimitives.Add(a, b, expected);
            AssertBitForBit(expected, sum, $"Add ({path}, length {length})");

            var difference = new float[length];
            Write(path, a, b, difference, default(DifferenceOperator), SpanMath.Subtract);
            TensorPrimitives.Subtract(a, b, expected);
            AssertBitForBit(expected, difference, $"Subtract ({path}, length {length})");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void AddScaled_EveryPath_MatchesTensorPrimitivesMultiplyAdd(string path)
    {
        Widths.SkipUnlessAccelerated(path);
        foreach (var scale in new[] { 1f, -1f, 0.0078125f, -0.37f })
        {
            foreach (var length in KernelPaths.Lengths)
            {
                var x = KernelPaths.Values(length + 1, seed: length).AsSpan(1);
                var prefilled = KernelPaths.Values(length + 1, seed: length + 2000).AsSpan(1);
                var destination = prefilled.ToArray();
                switch (path)
                {
                    case "512": GradientDriver.Accumulate512(x, x, destination, new ScaledOperator(scale)); break;
                    case "256": GradientDriver.Accumulate256(x, x, destination, new ScaledOperator(scale)); break;
                    case "128": GradientDriver.Accumulate128(x, x, destination, new ScaledOperator(scale)); break;
                    case "scalar": GradientDriver.AccumulateScalar(x, x, destination, 0, new ScaledOperator(scale)); break;
                    default: SpanMath.AddScaled(x, scale, destination); break;
                }

                var expected = new float[length];
                TensorPrimitives.MultiplyAdd(x, scale, prefilled, expected);
                AssertBitForBit(expected, destination, $"AddScaled by {scale} ({path}, length {length})");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void Exp_EveryPath_MatchesTensorPrimitivesVectorExp_AtAnyLength(string path)
    {
        Widths.SkipUnlessAccelerated(path);
        foreach (var length in KernelPaths.Lengths)
        {
            // Softmax's shifted logits span large negative values; the ends of float's range overflow and underflow.
            var x = KernelPaths.Values(length + 1, seed: length).Select(v => v * 30f).ToArray().AsSpan(1);
            Special(x);
            var y = new float[length];
            KernelPaths.Map(path, x, y, default(ExpOperator), SpanMath.Exp);
            // TensorPrimitives takes spans shorter than four with MathF.Exp, which rounds about half of all inputs
            // differently from its vector exponential; padded, it gives every element the vector one, as ours does at any length.
            var padded = new float[length + 16];
            x.CopyTo(padded);
            TensorPrimitives.Exp(padded, padded);
            var expected = padded[..length];
            AssertBitForBit(expected, y, $"Exp ({path}, length {length})");

            // In place, as the loss calls it.
            var inPlace = x.ToArray();
            KernelPaths.Map(path, inPlace, inPlace, default(ExpOperator), SpanMath.Exp);
            AssertBitForBit(expected, inPlace, $"Exp in place ({path}, length {length})");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void Relu_EveryPath_MatchesTensorPrimitivesMax_NaNStaysNaN(string path)
    {
        Widths.SkipUnlessAccelerated(path);
        foreach (var length in KernelPaths.Lengths)
        {
            var x = KernelPaths.Values(length + 1, seed: length).AsSpan(1);
            Special(x);
            var y = new float[length];
            KernelPaths.Map(path, x, y, default(ReluOperator), Activations.Relu);
            var expected = new float[length];
            TensorPrimitives.Max(x, 0f, expected);
            AssertBitForBit(expected, y, $"Relu ({path}, length {length})");
        }
    }

    private delegate void Binary(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination);

    private static void Write<TOperator>(string path, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, TOperator op, Binary dispatch)
        where TOperator : struct, IBinaryGradientOperator
    {
        switch (path)
        {
            case "512": GradientDriver.Write512(a, b, destination, op); break;
            case "256": GradientDriver.Write256(a, b, destination, op); break;
            case "128": GradientDriver.Write128(a, b, destination, op); break;
            case "scalar": GradientDriver.WriteScalar(a, b, destination, 0, op); break;
            default: dispatch(a, b, destination); break;
        }
    }

    /// <summary>NaN, infinities, signed zeros, and the ends of the exponential's range, spread through the span.</summary>
    private static void Special(Span<float> x)
    {
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 88.72f, 88.73f, -87.34f, -103.97f, -104f, 1e-30f, -1e-30f];
        for (var i = 0; i < x.Length; i += 7)
        {
            x[i] = special[(i / 7) % special.Length];
        }
    }

    private static void AssertBitForBit(float[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            // A NaN's payload may differ between instructions; that it is NaN is what a model sees.
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]) && !(float.IsNaN(expected[i]) && float.IsNaN(actual[i])))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R} (0x{BitConverter.SingleToUInt32Bits(actual[i]):X8}), TensorPrimitives gives {expected[i]:R} (0x{BitConverter.SingleToUInt32Bits(expected[i]):X8}).");
            }
        }
    }
}
