using System;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Tensors;

/// <summary>
/// Rules that mark an adjoint [WritesFirst] write, not add, into a fresh adjoint (<see cref="Workspace.Fresh"/>), and add
/// into it from then on: whatever the fresh tensor's storage held before does not reach the gradient.
/// </summary>
public sealed class WritesFirstTests
{
    // 5 × 7 = 35 elements: two 16-wide vectors, then 8- and 4-wide ones and a scalar tail, whichever width runs.
    private static readonly float[] s_x = [.. Enumerable.Range(0, 35).Select(i => ((i * 7 % 11) - 5) * 0.5f)];
    private static readonly float[] s_dResult = [.. Enumerable.Range(0, 35).Select(i => ((i * 5 % 13) - 6) * 0.25f)];

    [Fact]
    public void TakeFresh_IsTrueOnce_ForAFreshTensorOnly()
    {
        var x = Tensor.FromArray(s_x, 5, 7);
        using (Workspace.Enter())
        {
            var fresh = Workspace.Fresh(x);
            var zeros = Workspace.ZerosLike(x);
            Assert.True(fresh.HasShapeOf(x));
            Assert.True(fresh.TakeFresh());
            Assert.False(fresh.TakeFresh());
            Assert.False(zeros.TakeFresh());
            Assert.False(x.TakeFresh());
        }

        // The next scope hands the same storage to an ordinary tensor: it is not fresh.
        using (Workspace.Enter())
        {
            Assert.False(Workspace.ZerosLike(x).TakeFresh());
        }
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    [InlineData("MatMul da")]
    [InlineData("MatMul db")]
    public void AFreshAdjoint_IsWrittenByTheFirstRule_AndAddedIntoByTheNext(string rule)
    {
        var x = Tensor.FromArray(s_x, 5, 7);
        var w = Tensor.FromArray([.. Enumerable.Range(0, 49).Select(i => ((i * 3 % 7) - 3) * 0.5f)], 7, 7);
        using (Workspace.Enter())
        {
            var (input, call) = Backward(rule, x, w);
            var expected = Tensor.ZerosLike(input);
            call(expected);

            var fresh = Workspace.Fresh(input);
            fresh.Fill(float.NaN); // what the storage held before: the rule must not read it
            call(fresh);
            Assert.Equal(expected.ToArray(), fresh.ToArray());

            call(fresh);
            Assert.Equal(expected.ToArray().Select(v => 2 * v), fresh.ToArray());
        }
    }

    /// <summary>The input whose adjoint <paramref name="rule"/> takes, and a call of the rule that adds into a given adjoint.</summary>
    private static (Tensor Input, Action<Tensor> Call) Backward(string rule, Tensor x, Tensor w)
    {
        var dResult = Tensor.FromArray(s_dResult, 5, 7);
        switch (rule)
        {
            case "Relu":
                var relu = Nn.Relu(x);
                return (x, dx => Nn.ReluBackward(x, relu, dResult, dx));
            case "Sigmoid":
                var sigmoid = Nn.Sigmoid(x);
                return (x, dx => Nn.SigmoidBackward(x, sigmoid, dResult, dx));
            case "Tanh":
                var tanh = Nn.Tanh(x);
                return (x, dx => Nn.TanhBackward(x, tanh, dResult, dx));
            case "MatMul da":
                var product = Nn.MatMul(x, w);
                return (x, da => Nn.MatMulBackward(x, w, product, dResult, da, null));
            default:
                var result = Nn.MatMul(x, w);
                return (w, dw => Nn.MatMulBackward(x, w, result, dResult, null, dw));
        }
    }
}
