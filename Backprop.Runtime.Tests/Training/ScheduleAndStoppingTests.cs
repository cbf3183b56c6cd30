using System;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Training;

/// <summary>Warm-up + cosine, early stopping and the train/validation split, each against its definition.</summary>
public sealed class ScheduleAndStoppingTests
{
    [Fact]
    public void WarmupCosine_RisesLinearly_ThenFollowsTheCosine_ThenStaysAtTheFloor()
    {
        var schedule = new WarmupCosine(peak: 0.1f, warmup: 4, total: 14, floor: 0.01f);

        Assert.Equal([0.025f, 0.05f, 0.075f, 0.1f], Enumerable.Range(0, 4).Select(schedule.At));
        for (var t = 4; t < 14; t++)
        {
            var expected = 0.01 + (0.5 * 0.09 * (1 + Math.Cos(Math.PI * (t - 4) / 10.0)));
            Assert.Equal(expected, schedule.At(t), 6);
        }

        Assert.Equal(0.1f, schedule.At(4));
        Assert.Equal(0.055f, schedule.At(9), 6); // halfway down: the mean of peak and floor
        Assert.Equal(0.01f, schedule.At(14));
        Assert.Equal(0.01f, schedule.At(1000));
        Assert.Equal(0.1f, new WarmupCosine(0.1f, warmup: 0, total: 10).At(0));
    }

    [Fact]
    public void WarmupCosine_ArgumentsOutsideTheirRange_AreRefusedNamingThem()
    {
        Assert.Equal("peak", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosine(0f, 1, 2)).ParamName);
        Assert.Equal("floor", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosine(0.1f, 1, 2, floor: 0.2f)).ParamName);
        Assert.Equal("warmup", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosine(0.1f, -1, 2)).ParamName);
        Assert.Equal("total", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosine(0.1f, 5, 4)).ParamName);
    }

    [Fact]
    public void EarlyStopping_StopsAfterPatienceEpochsWithoutImprovement_AndNamesTheBest()
    {
        var stopping = new EarlyStopping(patience: 2, minDelta: 0.01f);
        float[] losses = [0.9f, 0.7f, 0.695f, 0.6f, 0.61f, float.NaN];
        bool[] best = [true, true, false, true, false, false];
        bool[] stop = [false, false, false, false, false, true];
        for (var epoch = 0; epoch < losses.Length; epoch++)
        {
            Assert.Equal(best[epoch], stopping.Report(epoch, losses[epoch]));
            Assert.Equal(stop[epoch], stopping.ShouldStop);
        }

        Assert.Equal((0.6f, 3, 2), (stopping.Best, stopping.BestEpoch, stopping.EpochsWithoutImprovement));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(3, -1f));
    }

    [Fact]
    public void TrainValidationSplit_HoldsOutTheFraction_EveryRowOnce_WithItsLabel_SameSeedSameSplit()
    {
        var features = Tensor.Matrix(50, 3);
        for (var row = 0; row < 50; row++)
        {
            features[row, 0] = row;
            features[row, 2] = -row;
        }

        var labels = Enumerable.Range(0, 50).Select(row => row % 7).ToArray();
        var split = TrainValidationSplit.Make(features, labels, 0.2f, new Random(3));

        Assert.Equal((40, 10), (split.TrainFeatures.Rows, split.ValidationFeatures.Rows));
        var trainRows = Enumerable.Range(0, 40).Select(i => (int)split.TrainFeatures[i, 0]).ToArray();
        var heldRows = Enumerable.Range(0, 10).Select(i => (int)split.ValidationFeatures[i, 0]).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), trainRows.Concat(heldRows).Order());
        Assert.Equal(trainRows.Order(), trainRows);
        Assert.NotEqual(Enumerable.Range(0, 10), heldRows);
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal((trainRows[i] % 7, -trainRows[i]), (split.TrainLabels[i], (int)split.TrainFeatures[i, 2])));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(heldRows[i] % 7, split.ValidationLabels[i]));

        var again = TrainValidationSplit.Make(features, labels, 0.2f, new Random(3));
        Assert.Equal(split.ValidationFeatures.ToArray(), again.ValidationFeatures.ToArray());

        // Images stay images: the same split of the rows seen as [50 × 1 × 3 × 1].
        var images = TrainValidationSplit.Make(features.Reshape(50, 1, 3, 1), labels, 0.2f, new Random(3));
        Assert.Equal((new TensorShape(40, 1, 3, 1), new TensorShape(10, 1, 3, 1)), (images.TrainFeatures.Shape, images.ValidationFeatures.Shape));
        Assert.Equal(split.ValidationFeatures.ToArray(), images.ValidationFeatures.ToArray());
    }

    [Fact]
    public void TrainValidationSplit_BadInput_IsRefusedSayingWhy()
    {
        var features = Tensor.Matrix(3, 2);
        Assert.Contains("3 rows but there are 2 labels", Assert.Throws<ArgumentException>(() => TrainValidationSplit.Make(features, [0, 1], 0.5f, new Random(1))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainValidationSplit.Make(features, [0, 1, 2], 1f, new Random(1)));
        Assert.Contains("leaves no validation samples", Assert.Throws<ArgumentException>(() => TrainValidationSplit.Make(features, [0, 1, 2], 0.1f, new Random(1))).Message, StringComparison.Ordinal);
    }
}
