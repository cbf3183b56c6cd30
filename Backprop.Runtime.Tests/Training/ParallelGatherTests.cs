using System;
using Backprop.Runtime.Tests.Infrastructure;
using Xunit;

namespace Backprop.Runtime.Tests.Training;

/// <summary>
/// A batch large enough to be gathered on several cores must hold, row for row, the samples of the current order and
/// their labels — the ranges' edges and the prefetch must not show — as on one core.
/// </summary>
[Collection(GemmThreadsCollection.Name)]
public sealed class ParallelGatherTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LargeBatches_HoldTheSamplesOfTheOrder_RowForRow(int threads)
    {
        const int samples = 700, features = 784, batch = 128; // 100,352 floats a batch: past the threshold; 700 = 5 × 128 + 60
        var data = Tensor.Matrix(samples, features);
        var labels = new int[samples];
        for (var s = 0; s < samples; s++)
        {
            labels[s] = (s * 7) % 10;
            var row = data.Row(s);
            for (var f = 0; f < features; f++)
            {
                row[f] = (s * 1000) + f;
            }
        }

        var saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = threads;
            var batches = new MiniBatches(data, labels, batch, new Random(5));
            batches.Shuffle();
            for (var b = 0; b < batches.Count; b++)
            {
                var (images, batchLabels) = batches.Batch(b);
                Assert.Equal(batches.RowsOf(b), batchLabels.Length);
                for (var r = 0; r < batchLabels.Length; r++)
                {
                    var sample = batches.Order[(b * batch) + r];
                    Assert.Equal(labels[sample], batchLabels[r]);
                    var row = images.Row(r);
                    Assert.True(row[0] == sample * 1000 && row[features - 1] == (sample * 1000) + features - 1 && row[features / 2] == (sample * 1000) + (features / 2),
                        $"Batch {b}, row {r}: holds sample {row[0] / 1000} where the order has {sample}.");
                }
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
