using System.Collections.Generic;
using System.Linq;

namespace Backprop.Benchmarks.Training;

/// <summary>
/// One cell of the comparison. Every trainer starts from the same weights (the sample's He initialisation drawn with
/// <see cref="InitSeed"/>) and, where it runs in this process, sees the same batches in the same order (<see cref="OrderSeed"/>).
/// </summary>
/// <param name="Target">When set, the test accuracy is measured after every epoch and training stops at the first that reaches it (<see cref="Epochs"/> is then the most it may take).</param>
internal sealed record Settings(int Batch, int Threads, int Epochs, string Optimizer, double? Target = null)
{
    public int InitSeed => 0;

    public int OrderSeed => 1;

    /// <summary>True while another epoch is to be trained: fewer than <see cref="Epochs"/> so far, and the target not reached.</summary>
    public bool TrainsAnother(int epochsDone, double accuracy) => epochsDone < Epochs && !(accuracy >= Target);

    /// <summary>True when the test accuracy is measured after epoch <paramref name="epoch"/> (counted from 0): every epoch when there is a target, else the last.</summary>
    public bool MeasuresAfter(int epoch) => Target is not null || epoch == Epochs - 1;
}

/// <summary>Seconds per epoch (one per epoch trained) and the test accuracy after the last one.</summary>
internal sealed record Result(int SamplesPerEpoch, IReadOnlyList<double> EpochSeconds, double TestAccuracy)
{
    /// <summary>Samples per second over the median epoch (the first epoch, while the JIT tiers up, is reported apart).</summary>
    public double SamplesPerSecond => SamplesPerEpoch / EpochSeconds.Order().ElementAt(EpochSeconds.Count / 2);

    public double FirstEpochSamplesPerSecond => SamplesPerEpoch / EpochSeconds[0];

    public static Result Missing { get; } = new(0, [double.NaN], double.NaN);
}
