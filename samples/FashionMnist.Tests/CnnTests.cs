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
    public void LossGradient_MatchesFiniteDifferences_ThroughEveryBlock()
    {
        var model = new Cnn(new Random(5), width: 2);
        var (images, labels) = (RandomImages(new Random(6), 4), new[] { 3, 0, 7, 3 });
        using (Workspace.Enter())
        {
            model.LossGradient(images, labels);
        }

        // One entry of every tensor, from the first block to the head, against differences of the loss. ReLU and max
        // pooling put kinks at or near many points of a float32 model this small (the gradient there is one side's, as
        // the convention says), so an entry is compared only where the slopes left and right of it agree.
        var compared = new List<string>();
        foreach (var parameter in model.Parameters)
        {
            var index = parameter.Value.Length / 3;
            var (left, right) = Slopes(model, parameter, index, images, labels, 1e-3f);
            var central = (left + right) / 2;
            if (Math.Abs(right - left) > 1e-3 + (2e-2 * Math.Abs(central)))
            {
                continue;
            }

            var actual = parameter.Gradient.Span[index];
            Assert.True(Math.Abs(actual - central) <= 1e-3 + (2e-2 * Math.Abs(central)), $"{parameter.Name}[{index}]: generated {actual}, slopes {left} left and {right} right of it");
            compared.Add(parameter.Name);
        }

        Assert.True(compared.Count >= model.Parameters.Count / 2, $"only {string.Join(", ", compared)} had the same slope on both sides");
    }

    /// <summary>The one-sided differences (loss(θ) − loss(θ − h))/h and (loss(θ + h) − loss(θ))/h for one entry of <paramref name="parameter"/>.</summary>
    private static (double Left, double Right) Slopes(Cnn model, Parameter parameter, int index, Tensor images, int[] labels, float h)
    {
        var value = parameter.Value.Span;
        var saved = value[index];
        var at = Loss(model, images, labels);
        value[index] = saved + h;
        var up = Loss(model, images, labels);
        value[index] = saved - h;
        var down = Loss(model, images, labels);
        value[index] = saved;
        return (((double)at - down) / h, ((double)up - at) / h);
    }

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
        var options = FashionMnistCnn.Options.Parse([])!;
        Assert.Equal((10, 128, 2e-3f, 0.05f, 200, 0.1f, 3, 32), (options.Epochs, options.Batch, options.LearningRate, options.WeightDecay, options.Warmup, options.Validation, options.Patience, options.Width));
        Assert.Contains("--patience N", FashionMnistCnn.Options.Usage, StringComparison.Ordinal);
        Assert.Null(FashionMnistCnn.Options.Parse(["--help"]));

        Assert.Equal("--validation needs a fraction above 0: early stopping watches the validation set.",
            Assert.Throws<ArgumentException>(() => FashionMnistCnn.Options.Parse(["--validation", "0"])).Message);
        Assert.Equal("--weight-decay needs a number from 0 up to (not including) 1, not '1.5'.",
            Assert.Throws<ArgumentException>(() => FashionMnistCnn.Options.Parse(["--weight-decay", "1.5"])).Message);
        Assert.Equal("--width needs a positive integer, not '0'.", Assert.Throws<ArgumentException>(() => FashionMnistCnn.Options.Parse(["--width", "0"])).Message);
        Assert.Equal("Unknown option '--onnx'. Try --help.", Assert.Throws<ArgumentException>(() => FashionMnistCnn.Options.Parse(["--onnx", "x.onnx"])).Message);
    }

    private static float Loss(Cnn model, Tensor images, int[] labels)
    {
        using var scope = Workspace.Enter();
        return model.Loss(images, labels);
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
