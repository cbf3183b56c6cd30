using System;
using System.IO;
using Backprop;
using FashionMnist;

// dotnet run -c Release --project samples/FashionMnist -- --help
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
if (WriteProblem(options.Checkpoint) is { } problem)
{
    Console.Error.WriteLine($"--checkpoint: cannot write {Path.GetFullPath(options.Checkpoint)}: {problem}");
    return 1;
}

Dataset data;
try
{
    data = Dataset.Load(options.Data);
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    Console.Error.WriteLine($"Cannot read the data: {e.Message}");
    return 1;
}

Console.WriteLine($"Data: {data.Description}");
Console.WriteLine($"      {data.TrainImages.Rows:N0} training and {data.TestImages.Rows:N0} test images.");

var model = new Mlp(new Random(options.Seed));
var optimizer = new Adam(options.LearningRate);
var firstEpoch = 1;
if (options.Resume)
{
    if (!File.Exists(options.Checkpoint))
    {
        Console.Error.WriteLine($"--resume: there is no checkpoint at {Path.GetFullPath(options.Checkpoint)}.");
        return 1;
    }

    try
    {
        var info = Checkpoint.Load(options.Checkpoint, model.Parameters, optimizer);
        firstEpoch = info.Epoch + 1;
        Console.WriteLine($"Resumed from {options.Checkpoint}: epoch {info.Epoch}, {info.Steps:N0} steps, checksum and shapes verified, test accuracy {Evaluate(model, data):P2}.");
    }
    catch (InvalidDataException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}

if (firstEpoch > options.Epochs)
{
    Console.WriteLine($"Nothing to train: {options.Checkpoint} is at epoch {firstEpoch - 1} and --epochs is {options.Epochs}. Pass a larger --epochs to train further.");
    return 0;
}

if (!options.Resume && File.Exists(options.Checkpoint))
{
    Console.WriteLine($"Note: {options.Checkpoint} exists; this run starts afresh and replaces it after epoch 1 (--resume continues from it).");
}

var batches = new MiniBatches(data.TrainImages, data.TrainLabels, options.Batch, new Random(options.Seed + 1));
for (var epoch = 1; epoch < firstEpoch; epoch++)
{
    batches.Shuffle(); // replay the shuffles of the epochs already trained: a resumed run sees the same batches
}

var predictions = new int[options.Batch];

// Training accuracy is sampled before the step on every tenth batch (one extra forward pass per ten steps), on every
// batch when an epoch is short (the bundled subset), so the column moves.
var sampleEvery = batches.Count >= 200 ? 10 : 1;
for (var epoch = firstEpoch; epoch <= options.Epochs; epoch++)
{
    batches.Shuffle();
    var progress = new Progress(epoch, options.Epochs, batches.Count);
    double lossSum = 0, correct = 0, counted = 0;
    for (var b = 0; b < batches.Count; b++)
    {
        var (images, labels) = batches.Batch(b);
        lossSum += model.LossGradient(images, labels);
        if (b % sampleEvery == 0)
        {
            correct += Correct(model, images, labels, predictions);
            counted += labels.Length;
        }

        optimizer.Step(model.Parameters);
        progress.Report(b, (b + 1) * options.Batch, lossSum / (b + 1), correct / Math.Max(1, counted));
    }

    progress.Finish();
    var accuracy = Evaluate(model, data);
    Checkpoint.Save(options.Checkpoint, model.Parameters, optimizer, epoch);
    Console.WriteLine($"epoch {epoch}: test accuracy {accuracy:P2}  ({progress.Elapsed.TotalSeconds:F1} s, {batches.Samples / progress.Elapsed.TotalSeconds:N0} samples/s; checkpoint {options.Checkpoint})");
}

return 0;

static int Correct(Mlp model, Tensor images, int[] labels, int[] predictions)
{
    using var scope = Workspace.Enter();
    var predicted = predictions.AsSpan(0, labels.Length);
    Nn.ArgMax(model.Scores(images), predicted);
    var correct = 0;
    for (var i = 0; i < labels.Length; i++)
    {
        correct += predicted[i] == labels[i] ? 1 : 0;
    }

    return correct;
}

static double Evaluate(Mlp model, Dataset data)
{
    const int chunk = 1000;
    var predictions = new int[chunk];
    var correct = 0;
    for (var start = 0; start < data.TestImages.Rows; start += chunk)
    {
        var count = Math.Min(chunk, data.TestImages.Rows - start);
        correct += Correct(model, data.TestImages.SliceRows(start, count), data.TestLabels[start..(start + count)], predictions);
    }

    return (double)correct / data.TestImages.Rows;
}

static string? WriteProblem(string path)
{
    var probe = path + ".probe";
    try
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            return $"the directory {directory} does not exist";
        }

        using (File.Create(probe))
        {
        }

        File.Delete(probe);
        return null;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
    {
        return e.Message;
    }
}
