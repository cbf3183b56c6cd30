using System;
using Backprop.Runtime.Tests.Infrastructure;
using Xunit;

namespace Backprop.Runtime.Tests.Training;

/// <summary>
/// A parameter long enough to be updated on several cores (<see cref="Adam.ParallelLength"/>), whose gradient a product split
/// across cores wrote, must get exactly the update one core gives it — each element's update touches only that element, so
/// the ranges' edges and the tail must not show. And the gradient says whether such a product wrote it.
/// </summary>
[Collection(GemmThreadsCollection.Name)]
public sealed class ParallelAdamTests
{
    [SkippableFact]
    public void LongParameter_OnTwoCores_EqualsOneCore_BitForBit()
    {
        Skip.If(Environment.ProcessorCount < 2, "One core: the update never reaches the helper threads.");
        var length = Adam.ParallelLength + 1003; // past the threshold, not a whole number of 64-float ranges or vectors
        var random = new Random(11);
        var initial = new float[length];
        for (var i = 0; i < length; i++)
        {
            initial[i] = (float)(random.NextDouble() - 0.5);
        }

        var gradients = new float[3][];
        for (var s = 0; s < gradients.Length; s++)
        {
            gradients[s] = new float[length];
            for (var i = 0; i < length; i++)
            {
                gradients[s][i] = (float)(random.NextDouble() - 0.5);
            }
        }

        var saved = Gemm.MaxThreads;
        try
        {
            var one = Train(initial, gradients, threads: 1);
            var two = Train(initial, gradients, threads: 2);
            for (var i = 0; i < length; i++)
            {
                Assert.True(one[i] == two[i], $"Weight {i} of {length}: {two[i]} on two cores, {one[i]} on one.");
            }

            Assert.NotEqual(initial[length - 1], two[length - 1]); // the last element was updated at all
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [SkippableFact]
    public void WeightGradient_SaysWhetherASplitProductWroteIt_UntilCleared()
    {
        Skip.If(Environment.ProcessorCount < 2, "One core: no product is split.");
        var saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 2;
            Assert.True(Gradient(batch: 128).WrittenAcrossCores); // 784 × 128 × 256 = 25.7 M multiply-adds: split
            Assert.False(Gradient(batch: 32).WrittenAcrossCores); // 6.4 M: under the threshold, one core
            var cleared = Gradient(batch: 128);
            cleared.Clear();
            Assert.False(cleared.WrittenAcrossCores);
            Gemm.MaxThreads = 1;
            Assert.False(Gradient(batch: 128).WrittenAcrossCores);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }

        // The weight gradient of x [batch × 784] · w [784 × 256], from a zeroed gradient as training leaves it.
        static Tensor Gradient(int batch)
        {
            var (x, w) = (Tensor.Matrix(batch, 784), Tensor.Matrix(784, 256));
            var dw = Tensor.Matrix(784, 256);
            dw.Clear();
            Nn.MatMulBackward(x, w, Tensor.Matrix(batch, 256), Tensor.Matrix(batch, 256), null, dw);
            return dw;
        }
    }

    private static float[] Train(float[] initial, float[][] gradients, int threads)
    {
        Gemm.MaxThreads = threads;
        var parameter = new Parameter("w", Tensor.Vector(initial.Length));
        initial.AsSpan().CopyTo(parameter.Value.Span);
        var optimizer = new Adam(0.01f);
        foreach (var gradient in gradients)
        {
            gradient.AsSpan().CopyTo(parameter.Gradient.Span);
            parameter.Gradient.WrittenAcrossCores = true; // as a product split across the cores leaves it: Adam splits too
            optimizer.Step([parameter]);
        }

        return parameter.Value.ToArray();
    }
}
