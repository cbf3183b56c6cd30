using System;
using System.IO;
using Backprop;
using Backprop.Distributed;

namespace FashionMnist;

/// <summary>
/// What a sample trained by <see cref="ClassifierRun"/> supplies: its description for <c>--help</c>, its defaults, how
/// its data is shaped for the model, and its model.
/// </summary>
/// <param name="Description">The first paragraph of <c>--help</c>.</param>
/// <param name="Title">The learning curves' title.</param>
/// <param name="Defaults">The options a run starts from.</param>
/// <param name="Prepare">The data as the model takes it (images [N × 1 × 28 × 28], patch tokens, …).</param>
/// <param name="Model">A freshly initialised model for the options.</param>
public sealed record Sample(string Description, string Title, RunOptions Defaults, Func<Dataset, Dataset> Prepare, Func<RunOptions, Random, IClassifier> Model);

/// <summary>
/// The program of the samples after the MLP: AdamW with warm-up and cosine decay, gradient clipping, early stopping on a
/// validation set held out of the training images, checkpoints with resume, learning curves, and the test set read once
/// at the end with the weights of the epoch whose validation loss was lowest. With <c>--distributed</c>, one process of
/// a data-parallel job (rank 0 speaks, measures and writes files).
/// </summary>
public static class ClassifierRun
{
    /// <summary>Runs <paramref name="sample"/> with the command line <paramref name="args"/>; returns the exit code (2: a bad command line, 1: bad data or files).</summary>
    public static int Main(string[] args, Sample sample)
    {
        RunOptions? options;
        try
        {
            options = RunOptions.Parse(args, sample.Defaults);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        if (options is null)
        {
            Console.WriteLine(RunOptions.Usage(sample.Description, sample.Defaults));
            return 0;
        }

        return DistributedMain.Run(options.Distributed, world => Train(options, sample, world));
    }

    private static int Train(RunOptions options, Sample sample, MpiWorld? world)
    {
        var root = world?.IsRoot ?? true;
        Gemm.MaxThreads = DistributedMain.Threads(options.Threads, world);
        JitProfile.Start(rank: world?.Rank);

        // A checkpoint that cannot be written is found now, not after the first epoch's work.
        if (root && Files.WriteProblem(options.Checkpoint) is { } problem)
        {
            Console.Error.WriteLine($"--checkpoint: cannot write {Path.GetFullPath(options.Checkpoint)}: {problem}");
            return 1;
        }

        Dataset data;
        try
        {
            data = sample.Prepare(Dataset.Load(options.Data));
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"{(world is null ? "" : $"rank {world.Rank}: ")}Cannot read the data: {e.Message}");
            return 1;
        }

        // The validation set is held out of the training images: early stopping watches it, and the test set is read once, at the end.
        TrainValidationSplit split;
        try
        {
            split = TrainValidationSplit.Make(data.TrainImages, data.TrainLabels, options.Validation, new Random(options.Seed + 2));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"--validation: {e.Message}");
            return 2;
        }

        if (root)
        {
            Console.WriteLine($"Data: {data.Description}");
            Console.WriteLine($"      {split.TrainFeatures.Rows:N0} training, {split.ValidationFeatures.Rows:N0} validation and {data.TestImages.Rows:N0} test images.");
        }

        var model = sample.Model(options, new Random(options.Seed));
        var batches = new MiniBatches(split.TrainFeatures, split.TrainLabels, options.Batch, new Random(options.Seed + 1));
        var optimizer = new AdamW(options.LearningRate, options.WeightDecay);

        // Warm-up takes at most a tenth of the run, so a short run (the bundled subset: 21 batches an epoch) still decays.
        var steps = options.Epochs * batches.Count;
        var warmup = Math.Min(options.Warmup, steps / 10);
        var curves = new Curves(options.Checkpoint, sample.Title, heldOut: "validation");
        var stopping = new EarlyStopping(options.Patience);
        var parallel = world is null ? null : new DataParallel(world, model.Parameters);
        var trainer = new Trainer(model, optimizer, batches, options.Checkpoint, curves, () => Evaluation.Measure(model, split.ValidationFeatures, split.ValidationLabels))
        {
            HeldOutName = "validation",
            Schedule = new WarmupCosine(options.LearningRate, warmup, steps, floor: options.LearningRate / 100),
            ClipNorm = options.Clip,
            Stopping = stopping,
            Parallel = parallel,
        };
        if (!root)
        {
            return TrainQuietly(trainer, options.Resume, options.Epochs);
        }

        if (parallel is not null)
        {
            Console.WriteLine(DistributedMain.Describe(parallel, batches));
        }

        Console.WriteLine($"Model: {model.Parameters.Count} tensors, {Values(model):N0} trainable values; AdamW (peak rate {options.LearningRate}, decay {options.WeightDecay}), {warmup} warm-up steps then cosine decay over {options.Epochs} epochs ({steps:N0} steps).");

        var (firstEpoch, exitCode) = trainer.Start(options.Resume, options.Epochs);
        if (firstEpoch is null && exitCode != 0)
        {
            return exitCode;
        }

        if (firstEpoch is not null)
        {
            var last = trainer.Train(firstEpoch.Value, options.Epochs);
            if (last < options.Epochs)
            {
                Console.WriteLine($"Early stopping after epoch {last}: {options.Patience} epochs without a lower validation loss than epoch {stopping.BestEpoch}'s.");
            }
        }

        // The test set, read once: with the weights of the epoch whose validation loss was lowest.
        var best = stopping.BestEpoch;
        if (best > 0 && File.Exists(trainer.BestCheckpoint))
        {
            try
            {
                Checkpoint.Load(trainer.BestCheckpoint, model.Parameters, null, model.Buffers);
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        }

        var (testLoss, testAccuracy) = Evaluation.Test(model, data);
        var weights = best > 0 ? $"the weights of epoch {best} (lowest validation loss)" : "the checkpoint's weights (no validation loss on record)";
        Console.WriteLine($"Test set, with {weights}: mean loss {testLoss:F4}, accuracy {testAccuracy:P2} ({data.TestImages.Rows:N0} images).");
        Console.WriteLine($"Learning curves: {curves.PngPath}, {curves.SvgPath}; the numbers: {curves.CsvPath}");
        return 0;
    }

    /// <summary>A process other than rank 0: trains its shares, says nothing, writes nothing.</summary>
    private static int TrainQuietly(Trainer trainer, bool resume, int epochs)
    {
        var (firstEpoch, exitCode) = trainer.Start(resume, epochs);
        if (firstEpoch is not null)
        {
            trainer.Train(firstEpoch.Value, epochs);
        }

        return exitCode;
    }

    private static long Values(IClassifier model)
    {
        long values = 0;
        foreach (var parameter in model.Parameters)
        {
            values += parameter.Value.Length;
        }

        return values;
    }
}
