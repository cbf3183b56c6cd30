using System;
using System.Linq;
using Backprop.Kernels.Common;
using Backprop.Runtime.Tests.Reference;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>Activations forward and backward against plain loops: every length 0..256 and some large ones, every width path, unaligned slices.</summary>
public sealed class ActivationTests
{
    private static readonly int[] s_lengths = [.. Enumerable.Range(0, 257), 1000, 4099];

    public static TheoryData<string> Paths() => ["512", "256", "128", "scalar", "dispatch"];

    [Fact]
    public void Forward_MatchesReference()
    {
        foreach (var length in s_lengths)
        {
            var x = Values(length, seed: length);
            var y = new float[length];
            Activations.Relu(x, y);
            AssertClose(x.Select(ReferenceActivations.Relu).ToArray(), y, "Relu");
            Activations.Sigmoid(x, y);
            AssertClose(x.Select(ReferenceActivations.Sigmoid).ToArray(), y, "Sigmoid");
            Activations.Tanh(x, y);
            AssertClose(x.Select(ReferenceActivations.Tanh).ToArray(), y, "Tanh");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ReluBackward_EveryPath_MatchesReference(string path) => CheckBackward<ReluGradientOperator>(path, ReferenceActivations.ReluGradient, Activations.ReluBackward);

    [Theory]
    [MemberData(nameof(Paths))]
    public void SigmoidBackward_EveryPath_MatchesReference(string path) => CheckBackward<SigmoidGradientOperator>(path, ReferenceActivations.SigmoidGradient, Activations.SigmoidBackward);

    [Theory]
    [MemberData(nameof(Paths))]
    public void TanhBackward_EveryPath_MatchesReference(string path) => CheckBackward<TanhGradientOperator>(path, ReferenceActivations.TanhGradient, Activations.TanhBackward);

    [Fact]
    public void Backward_MismatchedLengths_ThrowsNamingTheOperationAndTheLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => Activations.SigmoidBackward(new float[4], new float[4], new float[3]));
        Assert.Contains("SigmoidBackward: the forward values have 4 elements, dy 4 and dx 3", error.Message, StringComparison.Ordinal);
    }

    private delegate void Backward(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx);

    private static void CheckBackward<TOperator>(string path, Func<float, float, float> reference, Backward dispatch)
        where TOperator : IBinaryGradientOperator
    {
        foreach (var length in s_lengths)
        {
            // Slices one element into their arrays: the kernels must not assume alignment.
            var value = Values(length + 1, seed: length).AsSpan(1);
            var dy = Values(length + 1, seed: length + 1000).AsSpan(1);
            var prefilled = Values(length + 1, seed: length + 2000);
            var dx = ((float[])prefilled.Clone()).AsSpan(1);
            switch (path)
            {
                case "512":
                    GradientDriver.Accumulate512<TOperator>(value, dy, dx);
                    break;
                case "256":
                    GradientDriver.Accumulate256<TOperator>(value, dy, dx);
                    break;
                case "128":
                    GradientDriver.Accumulate128<TOperator>(value, dy, dx);
                    break;
                case "scalar":
                    GradientDriver.AccumulateScalar<TOperator>(value, dy, dx, 0);
                    break;
                default:
                    dispatch(value, dy, dx);
                    break;
            }

            var expected = new float[length];
            for (var i = 0; i < length; i++)
            {
                expected[i] = prefilled[i + 1] + reference(value[i], dy[i]);
            }

            AssertClose(expected, dx.ToArray(), $"{typeof(TOperator).Name} ({path}, length {length})");
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = 2e-6f * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}: [{i}] = {actual[i]}, expected {expected[i]}");
        }
    }

    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
    }
}
