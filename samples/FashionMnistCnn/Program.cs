using System;
using System.IO;
using Backprop;
using FashionMnist;
using FashionMnistCnn;

// dotnet run -c Release --project samples/FashionMnistCnn -- --help
Options? options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options is null)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

Gemm.MaxThreads = options.Threads;

// A checkpoint that cannot be written is found now, not after the first epoch's work.
if (Files.WriteProblem(options.Checkpoint) is { } problem)
{
    Console.Error.WriteLine($"--checkpoint: cannot write {Path.GetFullPath(options.Checkpoint)}: {problem}");
    return 1;
}

Dataset data;
try
{
    data = Dataset.Load(options.Data).AsImages();
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    Console.Error.WriteLine($"Cannot read the data: {e.Message}");
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

Console.WriteLine($"Data: {data.Description}");
Console.WriteLine($"      {split.TrainFeatures.Rows:N0} training, {split.ValidationFeatures.Rows:N0} validation and {data.TestImages.Rows:N0} test images.");

var model = new Cnn(new Random(options.Seed), options.Width);
var batches = new MiniBatches(split.TrainFeatures, split.TrainLabels, options.Batch, new Random(options.Seed + 1));
var optimizer = new AdamW(options.LearningRate, options.WeightDecay);
// Warm-up takes at most a tenth of the run, so a short run (the bundled subset: 21 batches an epoch) still decays.
var steps = options.Epochs * batches.Count;
var warmup = Math.Min(options.Warmup, steps / 10);
var curves = new Curves(options.Checkpoint, $"Fashion-MNIST, residual CNN (width {options.Width}) trained with Backprop", heldOut: "validation");
var trainer = new Trainer(model, optimizer, batches, options.Checkpoint, curves, () => Evaluation.Measure(model, split.ValidationFeatures, split.ValidationLabels))
{
    HeldOutName = "validation",
    Schedule = new WarmupCosine(options.LearningRate, warmup, steps, floor: options.LearningRate / 100),
    ClipNorm = options.Clip,
    Stopping = new EarlyStopping(options.Patience),
};
Console.WriteLine($"Model: {model.Parameters.Count} tensors, {Count(model)} trainable values; AdamW (peak rate {options.LearningRate}, decay {options.WeightDecay}), {warmup} warm-up steps then cosine decay over {options.Epochs} epochs ({steps:N0} steps).");

var (firstEpoch, exitCode) = trainer.Start(options.Resume, options.Epochs);
if (firstEpoch is not null)
{
    var last = trainer.Train(firstEpoch.Value, options.Epochs);
    if (last < options.Epochs)
    {
        Console.WriteLine($"Early stopping after epoch {last}: {options.Patience} epochs without a lower validation loss than epoch {trainer.Stopping!.BestEpoch}'s.");
    }
}
else if (exitCode != 0)
{
    return exitCode;
}

// The test set, read once: with the weights of the epoch whose validation loss was lowest.
var best = trainer.Stopping!.BestEpoch;
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
Console.WriteLine($"Test set, with the weights of epoch {(best > 0 ? best : firstEpoch - 1)} (lowest validation loss): mean loss {testLoss:F4}, accuracy {testAccuracy:P2} ({data.TestImages.Rows:N0} images).");
Console.WriteLine($"Learning curves: {curves.PngPath}, {curves.SvgPath}; the numbers: {curves.CsvPath}");
return 0;

static long Count(Cnn model)
{
    long values = 0;
    foreach (var parameter in model.Parameters)
    {
        values += parameter.Value.Length;
    }

    return values;
}
