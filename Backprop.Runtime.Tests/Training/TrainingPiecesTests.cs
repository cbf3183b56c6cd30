using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Training;

/// <summary>Initialisation statistics, dropout's mask in both passes, minibatches, standardisation, checkpoints.</summary>
public sealed class TrainingPiecesTests
{
    [Fact]
    public void Initialisers_HaveTheVarianceTheNotesDerive()
    {
        var he = Init.He(784, 256, new Random(1)).ToArray();
        var xavier = Init.Xavier(784, 256, new Random(2)).ToArray();
        Assert.Equal(0, he.Average(), 2);
        Assert.InRange(StandardDeviation(he) / Math.Sqrt(2.0 / 784), 0.99, 1.01);
        Assert.InRange(StandardDeviation(xavier) / Math.Sqrt(2.0 / (784 + 256)), 0.99, 1.01);
    }

    [Fact]
    public void Dropout_TrainingKeepsAndScales_BackwardUsesTheSameMask_EvaluationPassesThrough()
    {
        var layer = new DropoutLayer(0.25f, new Random(3));
        var x = Tensor.Matrix(40, 50);
        x.Fill(2f);
        var y = Nn.DropoutForward(x, layer, out var mask);
        var kept = y.ToArray().Count(v => v != 0f);
        Assert.InRange(kept / 2000.0, 0.72, 0.78);
        Assert.All(y.ToArray(), v => Assert.True(v == 0f || Math.Abs(v - (2f / 0.75f)) < 1e-6));
        var dResult = Tensor.ZerosLike(x);
        dResult.Fill(1f);
        var dx = Tensor.ZerosLike(x);
        Nn.DropoutBackward(x, layer, y, mask, dResult, dx);
        Assert.Equal(y.ToArray().Select(v => v / 2f), dx.ToArray());

        // Another pass draws another mask; the first pass's gradient still follows its own.
        var y2 = Nn.DropoutForward(x, layer, out var mask2);
        Assert.NotEqual(y.ToArray(), y2.ToArray());
        var dx1 = Tensor.ZerosLike(x);
        Nn.DropoutBackward(x, layer, y, mask, dResult, dx1);
        Assert.Equal(dx.ToArray(), dx1.ToArray());

        layer.Training = false;
        Assert.Equal(x.ToArray(), Nn.Dropout(x, layer).ToArray());
        Assert.Equal(x.ToArray(), Nn.DropoutForward(x, layer, out var ones).ToArray());
        var dEval = Tensor.ZerosLike(x);
        Nn.DropoutBackward(x, layer, x, ones, dResult, dEval);
        Assert.Equal(dResult.ToArray(), dEval.ToArray());
        Assert.Throws<ArgumentException>(() => Nn.DropoutBackward(x, layer, x, Tensor.Matrix(2, 2), dResult, dEval));
    }

    [Fact]
    public void MiniBatches_VisitEverySampleOncePerEpoch_LastBatchSmaller()
    {
        var batches = TenNumberedSamples();
        Assert.Equal(3, batches.Count);
        var seen = new System.Collections.Generic.List<int>();
        for (var b = 0; b < batches.Count; b++)
        {
            var (x, y) = batches.Batch(b);
            Assert.Equal(b < 2 ? 4 : 2, x.Rows);
            for (var row = 0; row < x.Rows; row++)
            {
                Assert.Equal((int)x[row, 0] * 10, y[row]);
                seen.Add((int)x[row, 0]);
            }
        }

        Assert.Equal(Enumerable.Range(0, 10), seen.OrderBy(v => v));
        Assert.NotEqual(Enumerable.Range(0, 10), seen);
        Assert.Equal(seen, batches.Order.ToArray());
    }

    [Fact]
    public void MiniBatches_Shares_AreTheRowsOfTheBatchTheyCut()
    {
        var batches = TenNumberedSamples();
        Assert.Equal([4, 4, 2], Enumerable.Range(0, batches.Count).Select(batches.RowsOf));
        for (var b = 0; b < batches.Count; b++)
        {
            var whole = batches.Batch(b).Features.ToArray();
            foreach (var (start, count) in new[] { (0, 1), (1, batches.RowsOf(b) - 1), (batches.RowsOf(b) - 1, 1) })
            {
                var (x, y) = batches.Batch(b, start, count);
                Assert.Equal(count, x.Rows);
                Assert.Equal(whole.Skip(start * 2).Take(count * 2), x.ToArray());
                Assert.Equal(x.ToArray().Where((_, i) => i % 2 == 0).Select(v => (int)v * 10), y);
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => batches.Batch(2, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => batches.Batch(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => batches.RowsOf(3));
    }

    /// <summary>Samples 0–9 (feature 0 is the number, the label ten times it) in shuffled batches of 4.</summary>
    private static MiniBatches TenNumberedSamples()
    {
        var features = Tensor.Matrix(10, 2);
        for (var i = 0; i < 10; i++)
        {
            features[i, 0] = i;
        }

        var labels = Enumerable.Range(0, 10).Select(i => i * 10).ToArray();
        var batches = new MiniBatches(features, labels, 4, new Random(4));
        batches.Shuffle();
        return batches;
    }

    [Fact]
    public void Standardizer_GivesZeroMeanUnitVariancePerFeature()
    {
        var random = new Random(5);
        var data = Tensor.Matrix(500, 3);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * (i % 3 + 1) * 10) + (i % 3 * 100));
        }

        Standardizer.Fit(data).Apply(data);
        for (var column = 0; column < 3; column++)
        {
            var values = Enumerable.Range(0, 500).Select(row => (double)data[row, column]).ToArray();
            Assert.Equal(0, values.Average(), 4);
            Assert.Equal(1, StandardDeviation(values.Select(v => (float)v).ToArray()), 3);
        }
    }

    [Fact]
    public void StandardizerFit_VectorisedSums_MatchThePlainDoubleLoop()
    {
        var random = new Random(6);
        var data = Tensor.Matrix(203, 37); // 37 columns: whole vectors and a tail on every width
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * (i % 37)) - 3);
        }

        var (sum, squares) = (new double[37], new double[37]);
        var (total, totalSquares) = (0d, 0d);
        for (var row = 0; row < 203; row++)
        {
            for (var column = 0; column < 37; column++)
            {
                var value = data[row, column];
                sum[column] += value;
                squares[column] += (double)value * value;
                total += value;
                totalSquares += (double)value * value;
            }
        }

        var perFeature = Standardizer.Fit(data);
        for (var column = 0; column < 37; column++)
        {
            var mean = sum[column] / 203;
            Assert.Equal((float)mean, perFeature.Mean[column]); // each column summed in the same order: bit for bit
            var variance = Math.Max(0, (squares[column] / 203) - (mean * mean));
            Assert.Equal(variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f, perFeature.Deviation[column]); // column 0 is constant
        }

        var all = Standardizer.Fit(data, perFeature: false);
        var overall = total / data.Length;
        Assert.Equal(overall, all.Mean[0], 1e-6 * Math.Abs(overall)); // other running sums: to float precision
        Assert.Equal(Math.Sqrt((totalSquares / data.Length) - (overall * overall)), all.Deviation[0], 1e-6);
    }

    [Fact]
    public void Checkpoint_RoundTripsParametersAndOptimizerState()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bp-{Guid.NewGuid():N}.ckpt");
        try
        {
            var (parameters, optimizer) = Trained(6);
            Checkpoint.Save(path, parameters, optimizer, epoch: 3);
            var (fresh, freshOptimizer) = (new[] { new Parameter("W", Tensor.Matrix(3, 4)), new Parameter("b", Tensor.Vector(4)) }, new Adam());
            var info = Checkpoint.Load(path, fresh, freshOptimizer);
            Assert.Equal(3, info.Epoch);
            Assert.Equal(optimizer.Steps, freshOptimizer.Steps);
            Assert.Equal(parameters[0].Value.ToArray(), fresh[0].Value.ToArray());
            Assert.Equal(optimizer.StateOf(parameters[1])[1].ToArray(), freshOptimizer.StateOf(fresh[1])[1].ToArray());
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Checkpoint_RecordsHowManyProcessesTrainedIt_AndOneForOlderFormats()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bp-{Guid.NewGuid():N}.ckpt");
        try
        {
            var (parameters, optimizer) = Trained(6);
            var fresh = new[] { new Parameter("W", Tensor.Matrix(3, 4)), new Parameter("b", Tensor.Vector(4)) };
            Checkpoint.Save(path, parameters, optimizer, epoch: 2, processes: 3);
            Assert.Equal(4, BitConverter.ToInt32(File.ReadAllBytes(path), 4));
            Assert.Equal(new Checkpoint.Info(2, optimizer.Steps, 3), Checkpoint.Load(path, fresh, new Adam()));
            Assert.Equal(parameters[0].Value.ToArray(), fresh[0].Value.ToArray());

            // One process writes the format it always wrote (version 1 for matrices and vectors without buffers).
            Checkpoint.Save(path, parameters, optimizer, epoch: 2);
            Assert.Equal(1, BitConverter.ToInt32(File.ReadAllBytes(path), 4));
            Assert.Equal(1, Checkpoint.Load(path, fresh, new Adam()).Processes);
            Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Save(path, parameters, optimizer, epoch: 2, processes: 0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Checkpoint_RejectsTruncatedAndMismatchedFiles_LeavingTheModelAlone()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bp-{Guid.NewGuid():N}.ckpt");
        try
        {
            var (parameters, optimizer) = Trained(7);
            Checkpoint.Save(path, parameters, optimizer, epoch: 1);
            var other = new[] { new Parameter("W", Tensor.Matrix(4, 3)), new Parameter("b", Tensor.Vector(4)) };
            other[0].Value.Fill(9f);
            var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, other, new Adam()));
            Assert.Contains("it holds W [3×4] where the model has W [4×3]", error.Message, StringComparison.Ordinal);
            Assert.All(other[0].Value.ToArray(), v => Assert.Equal(9f, v));

            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^10]);
            error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, parameters, optimizer));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("truncated or damaged", error.Message, StringComparison.Ordinal);

            File.WriteAllBytes(path, bytes[..10]);
            error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, parameters, optimizer));
            Assert.Contains("it is truncated: 10 bytes", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("does not start with BPCK", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Checkpoint_KeepsBuffers_BatchNormsRunningAverages_AndRefusesAFileWithoutThem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bp-{Guid.NewGuid():N}.ckpt");
        try
        {
            var (parameters, optimizer) = Trained(8);
            var norm = new BatchNormLayer(4);
            Nn.BatchNorm(Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 7f, 9f, 11f], 2, 4), Tensor.Vector(4), Tensor.Vector(4), norm);
            var buffers = new Dictionary<string, Tensor> { ["Norm.RunningMean"] = norm.RunningMean, ["Norm.RunningVariance"] = norm.RunningVariance };
            Checkpoint.Save(path, parameters, optimizer, epoch: 2, buffers);

            var fresh = new BatchNormLayer(4);
            var freshBuffers = new Dictionary<string, Tensor> { ["Norm.RunningVariance"] = fresh.RunningVariance, ["Norm.RunningMean"] = fresh.RunningMean };
            Checkpoint.Load(path, parameters, new Adam(), freshBuffers);
            Assert.Equal([0.3f, 0.45f, 0.6f, 0.75f], fresh.RunningMean.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f); // 0.9·0 + 0.1·batch mean (3, 4.5, 6, 7.5)
            Assert.Equal(norm.RunningVariance.ToArray(), fresh.RunningVariance.ToArray());

            var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, parameters, new Adam()));
            Assert.Contains("it holds 2 buffers", error.Message, StringComparison.Ordinal);
            Checkpoint.Save(path, parameters, optimizer, epoch: 2);
            error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, parameters, new Adam(), freshBuffers));
            Assert.Contains("it holds 0 buffers (tensors kept but not trained, such as running averages) but the model has 2: Norm.RunningVariance, Norm.RunningMean", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (Parameter[] Parameters, Adam Optimizer) Trained(int seed)
    {
        var random = new Random(seed);
        var parameters = new[] { new Parameter("W", Init.He(3, 4, random)), new Parameter("b", Tensor.Vector(4)) };
        var optimizer = new Adam();
        foreach (var p in parameters)
        {
            p.Gradient.Fill(0.3f);
        }

        optimizer.Step(parameters);
        optimizer.Step(parameters);
        return (parameters, optimizer);
    }

    private static double StandardDeviation(float[] values)
    {
        var mean = values.Average(v => (double)v);
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
