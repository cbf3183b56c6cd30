using System;
using System.Linq;
using Backprop.Kernels.Common;
using Backprop.Runtime.Tests.Infrastructure;
using Backprop.Runtime.Tests.Reference;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>Activations forward and backward against plain loops: every length 0..256 and some large ones, every width path, unaligned slices.</summary>
public sealed class ActivationTests
{
    public static TheoryData<string> Paths() => KernelPaths.All();

    [Fact]
    public void Forward_MatchesReference()
    {
        foreach (var length in KernelPaths.Lengths)
        {
            var x = KernelPaths.Values(length, seed: length);
            var y = new float[length];
            Activations.Relu(x, y);
            AssertClose(x.Select(ReferenceActivations.Relu).ToArray(), y, "Relu");
            Activations.Sigmoid(x, y);
            AssertClose(x.Select(ReferenceActivations.Sigmoid).ToArray(), y, "Sigmoid");
            Activations.Tanh(x, y);
            AssertClose(x.Select(ReferenceActivations.Tanh).ToArray(), y, "Tanh");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void ReluBackward_EveryPath_MatchesReference(string path) => CheckBackward<ReluGradientOperator>(path, ReferenceActivations.ReluGradient, Activations.ReluBackward);

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void SigmoidBackward_EveryPath_MatchesReference(string path) => CheckBackward<SigmoidGradientOperator>(path, ReferenceActivations.SigmoidGradient, Activations.SigmoidBackward);

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void TanhBackward_EveryPath_MatchesReference(string path) => CheckBackward<TanhGradientOperator>(path, ReferenceActivations.TanhGradient, Activations.TanhBackward);

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void LeakyReluBackward_EveryPath_MatchesReference(string path) =>
        CheckBackward(path, ReferenceActivations.LeakyReluGradient, (v, g, d) => Activations.LeakyReluBackward(v, g, d), new LeakyReluGradientOperator(0.1f));

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void EluBackward_EveryPath_MatchesReference(string path) =>
        CheckBackward(path, ReferenceActivations.EluGradient, (v, g, d) => Activations.EluBackward(v, g, d), new EluGradientOperator(1f));

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void LeakyReluAndElu_EveryForwardPath_MatchReference(string path)
    {
        foreach (var length in KernelPaths.Lengths)
        {
            var x = KernelPaths.Values(length + 1, seed: length).AsSpan(1);
            var y = new float[length];
            KernelPaths.Map(path, x, y, new LeakyReluOperator(0.1f), (s, d) => Activations.LeakyRelu(s, d));
            AssertClose(x.ToArray().Select(ReferenceActivations.LeakyRelu).ToArray(), y, $"LeakyRelu ({path}, length {length})");
            KernelPaths.Map(path, x, y, new EluOperator(1f), (s, d) => Activations.Elu(s, d));
            AssertClose(x.ToArray().Select(ReferenceActivations.Elu).ToArray(), y, $"Elu ({path}, length {length})");
        }
    }

    [Fact]
    public void Elu_LargeInputsStayFinite()
    {
        float[] x = [1000f, -1000f, 88f, -88f, .. Enumerable.Repeat(1000f, 20)];
        var y = new float[x.Length];
        Activations.Elu(x, y);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(-1f, y[1]);

        // In place (one span as x and y) takes the fused path and gives the same values.
        var inPlace = (float[])x.Clone();
        Activations.Elu(inPlace, inPlace);
        Assert.Equal(y, inPlace);
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void MaxoutBackward_EveryPath_RoutesToTheLargerPiece_TiesToTheFirst(string path)
    {
        Widths.SkipUnlessAccelerated(path);
        foreach (var length in KernelPaths.Lengths)
        {
            var a = KernelPaths.Values(length, seed: length);
            var b = KernelPaths.Values(length, seed: length + 7);
            for (var i = 0; i < length; i += 5)
            {
                b[i] = a[i]; // ties
            }

            var dy = KernelPaths.Values(length, seed: length + 9);
            var da = KernelPaths.Values(length, seed: 1);
            var db = KernelPaths.Values(length, seed: 2);
            var (da0, db0) = ((float[])da.Clone(), (float[])db.Clone());
            switch (path)
            {
                case "512": Activations.MaxoutBackward512(a, b, dy, da, db); break;
                case "256": Activations.MaxoutBackward256(a, b, dy, da, db); break;
                case "128": Activations.MaxoutBackward128(a, b, dy, da, db); break;
                case "scalar": Activations.MaxoutBackwardScalar(a, b, dy, da, db, 0); break;
                default: Activations.MaxoutBackward(a, b, dy, da, db); break;
            }

            for (var i = 0; i < length; i++)
            {
                var first = a[i] >= b[i];
                Assert.Equal(da0[i] + (first ? dy[i] : 0f), da[i]);
                Assert.Equal(db0[i] + (first ? 0f : dy[i]), db[i]);
            }
        }
    }

    [Fact]
    public void Softmax_RowsMatchReference_AndStayFiniteForLargeValues()
    {
        const int columns = 13;
        var x = KernelPaths.Values(5 * columns, seed: 3);
        x[0] = 1000f;
        x[columns + 2] = -1000f;
        var y = new float[x.Length];
        Activations.Softmax(x, y, columns);
        for (var row = 0; row < 5; row++)
        {
            var slice = x.AsSpan(row * columns, columns).ToArray();
            var max = slice.Max();
            var sum = slice.Sum(v => Math.Exp(v - max));
            for (var j = 0; j < columns; j++)
            {
                Assert.Equal(Math.Exp(slice[j] - max) / sum, y[(row * columns) + j], 5);
            }
        }
    }

    [Fact]
    public void Backward_MismatchedLengths_ThrowsNamingTheOperationAndTheLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => Activations.SigmoidBackward(new float[4], new float[4], new float[3]));
        Assert.Contains("SigmoidBackward: the forward values have 4 elements, dy 4 and dx 3", error.Message, StringComparison.Ordinal);
    }

    private delegate void Backward(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx);

    private static void CheckBackward<TOperator>(string path, Func<float, float, float> reference, Backward dispatch, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator
    {
        Widths.SkipUnlessAccelerated(path);
        foreach (var length in KernelPaths.Lengths)
        {
            // Slices one element into their arrays: the kernels must not assume alignment.
            var value = KernelPaths.Values(length + 1, seed: length).AsSpan(1);
            var dy = KernelPaths.Values(length + 1, seed: length + 1000).AsSpan(1);
            var prefilled = KernelPaths.Values(length + 1, seed: length + 2000);
            var dx = ((float[])prefilled.Clone()).AsSpan(1);
            switch (path)
            {
                case "512":
                    GradientDriver.Accumulate512(value, dy, dx, op);
                    break;
                case "256":
                    GradientDriver.Accumulate256(value, dy, dx, op);
                    break;
                case "128":
                    GradientDriver.Accumulate128(value, dy, dx, op);
                    break;
                case "scalar":
                    GradientDriver.AccumulateScalar(value, dy, dx, 0, op);
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
}
