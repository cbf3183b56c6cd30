using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Backprop;
using FashionMnistCnn;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>The CNN sample's model: its generated gradient, evaluation with running averages, checkpoints with them, its options.</summary>
public sealed class CnnTests
{
    [Fact]
    public void LossGradient_MatchesFiniteDifferences_ThroughEveryBlock() =>
        GradientCheck.AgainstSlopes(new Cnn(new Random(5), width: 2), RandomImages(new Random(6), 4), [3, 0, 7, 3]);

    [Fact]
    public void Evaluation_NormalisesWithRunningAverages_SoAnImagesScoresDoNotDependOnItsBatch()
    {
        var model = new Cnn(new Random(7), width: 2);
        var images = RandomImages(new Random(8), 4);
        using (Workspace.Enter())
        {
            model.Scores(images); // one training pass moves the running averages off their start
        }

        var (alone, inBatch) = (Scores(model, images.SliceRows(0, 1)), Scores(model, images));
        Assert.Equal(alone, inBatch.Take(10), (a, b) => MathF.Abs(a - b) < 1e-5f);

        model.Training = true;
        using (Workspace.Enter())
        {
            Assert.NotEqual(model.Scores(images.SliceRows(0, 1)).ToArray(), model.Scores(images).ToArray().Take(10));
        }
    }

    [Fact]
    public void Checkpoint_KeepsTheRunningAverages_SoALoadedModelEvaluatesTheSame()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cnn-{Guid.NewGuid():N}.ckpt");
        try
        {
            var model = new Cnn(new Random(9), width: 2);
            var images = RandomImages(new Random(10), 4);
            using (Workspace.Enter())
            {
                model.LossGradient(images, [1, 2, 3, 4]);
            }

            Checkpoint.Save(path, model.Parameters, null, epoch: 1, model.Buffers);
            var loaded = new Cnn(new Random(11), width: 2);
            Checkpoint.Load(path, loaded.Parameters, null, loaded.Buffers);
            Assert.Equal(model.Block2.Norm.RunningVariance.ToArray(), loaded.Block2.Norm.RunningVariance.ToArray());
            Assert.Equal(Scores(model, images), Scores(loaded, images));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Options_HaveTheDocumentedDefaults_AndRefuseWhatCannotWork()
    {
        var defaults = CnnSample.Definition.Defaults;
        var options = RunOptions.Parse([], defaults)!;
        Assert.Equal((10, 128, 2e-3f, 0.05f, 200, 0.1f, 3, 32), (options.Epochs, options.Batch, options.LearningRate, options.WeightDecay, options.Warmup, options.Validation, options.Patience, options.Width));
        Assert.Contains("--patience N        stop after N epochs without a lower validation loss (default 3)", RunOptions.Usage("A CNN.", defaults), StringComparison.Ordinal);
        Assert.Contains("--width N", RunOptions.Usage("A CNN.", defaults), StringComparison.Ordinal);
        Assert.Null(RunOptions.Parse(["--help"], defaults));

        Assert.Equal("--validation needs a fraction above 0: early stopping watches the validation set.",
            Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--validation", "0"], defaults)).Message);
        Assert.Equal("--weight-decay needs a number from 0 up to (not including) 1, not '1.5'.",
            Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--weight-decay", "1.5"], defaults)).Message);
        Assert.Equal("--width needs a positive integer, not '0'.", Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--width", "0"], defaults)).Message);
        Assert.Equal("Unknown option '--onnx'. Try --help.", Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--onnx", "x.onnx"], defaults)).Message);

        // The attention sample has no width: the option is neither listed nor taken.
        var attention = FashionMnistAttention.AttentionSample.Definition.Defaults;
        Assert.DoesNotContain("--width", RunOptions.Usage("A transformer.", attention), StringComparison.Ordinal);
        Assert.Equal("Unknown option '--width'. Try --help.", Assert.Throws<ArgumentException>(() => RunOptions.Parse(["--width", "8"], attention)).Message);
    }

    /// <summary>Class scores in evaluation mode, copied out of the workspace.</summary>
    private static float[] Scores(Cnn model, Tensor images)
    {
        model.Training = false;
        try
        {
            using var scope = Workspace.Enter();
            return model.Scores(images).ToArray();
        }
        finally
        {
            model.Training = true;
        }
    }

    private static Tensor RandomImages(Random random, int count)
    {
        var images = Tensor.Zeros(count, 1, 28, 28);
        var span = images.Span;
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return images;
    }
}
