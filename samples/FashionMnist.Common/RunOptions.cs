using System;

namespace FashionMnist;

/// <summary>
/// The command line of a sample trained by <see cref="ClassifierRun"/> (AdamW, warm-up + cosine, clipping, early stopping
/// on a validation set); <c>--help</c> lists the options. <see cref="Width"/> is null for a sample without that option.
/// </summary>
public sealed record RunOptions(
    string? Data, int Epochs, int Batch, float LearningRate, float WeightDecay, int Warmup, float Clip, float Validation,
    int Patience, int? Width, int Seed, string Checkpoint, bool Resume, int? Threads, bool Distributed = false)
{
    /// <summary>The options' text for <c>--help</c>, after the sample's own description.</summary>
    public static string Usage(string description, RunOptions defaults) => $"""
        {description}

        Options:
          --data DIR          directory with the four IDX .gz files (default: /usr/share/datasets/fashion-mnist,
                              else the subset bundled with the samples)
          --epochs N          most epochs to train (default {defaults.Epochs})
          --batch N           minibatch size (default {defaults.Batch})
          --lr RATE           peak AdamW learning rate, reached after the warm-up (default {defaults.LearningRate})
          --weight-decay D    AdamW's decoupled weight decay (default {defaults.WeightDecay})
          --warmup N          steps of linear warm-up before the cosine decay (default {defaults.Warmup}, at most a tenth of
                              the run's steps)
          --clip NORM         clip the gradients to this global norm (default {defaults.Clip})
          --validation F      fraction of the training images held out for validation and early stopping (default {defaults.Validation})
          --patience N        stop after N epochs without a lower validation loss (default {defaults.Patience})
        {(defaults.Width is { } width ? $"  --width N           channels of the first block; the others have twice as many (default {width})\n" : "")}  --seed N            seed of initialisation, the validation split and shuffling (default {defaults.Seed})
          --checkpoint FILE   where to save after each epoch (default {defaults.Checkpoint}); the best epoch's
                              weights go to FILE with .best before the extension
          --resume            continue from --checkpoint instead of starting over
          --threads N         cores a matrix product or convolution may use (default: all, shared among the
                              processes of --distributed on one machine)
          --distributed       data-parallel training over MPI, one process of several started by mpirun or mpiexec:
                              each trains on its share of every batch and the gradients are summed; rank 0 prints,
                              measures the validation and test sets and writes the checkpoints
          --help              show this text
        """;

    /// <summary>The options on <paramref name="args"/>, the rest from <paramref name="defaults"/>; null for <c>--help</c>.</summary>
    /// <exception cref="ArgumentException">An unknown option, a missing value, or a value out of range (the message says which).</exception>
    public static RunOptions? Parse(string[] args, RunOptions defaults)
    {
        var options = defaults;
        var line = new CommandLine(args);
        while (line.Next())
        {
            options = line.Option switch
            {
                "--data" => options with { Data = line.Value() },
                "--epochs" => options with { Epochs = line.Positive() },
                "--batch" => options with { Batch = line.Positive() },
                "--lr" => options with { LearningRate = line.PositiveNumber() },
                "--weight-decay" => options with { WeightDecay = line.Fraction() },
                "--warmup" => options with { Warmup = line.Positive() },
                "--clip" => options with { Clip = line.PositiveNumber() },
                "--validation" => options with { Validation = line.Fraction() is > 0 and var f ? f : throw new ArgumentException("--validation needs a fraction above 0: early stopping watches the validation set.") },
                "--patience" => options with { Patience = line.Positive() },
                "--width" when defaults.Width is not null => options with { Width = line.Positive() },
                "--seed" => options with { Seed = line.Integer() },
                "--checkpoint" => options with { Checkpoint = line.Value() },
                "--resume" => options with { Resume = true },
                "--threads" => options with { Threads = line.Positive() },
                "--distributed" => options with { Distributed = true },
                "--help" or "-h" => null,
                _ => throw line.Unknown(),
            };
            if (options is null)
            {
                return null;
            }
        }

        return options;
    }
}
