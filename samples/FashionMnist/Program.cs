using System;
using System.IO;
using Backprop;
using Backprop.Onnx;
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
if (!options.Evaluate && WriteProblem(options.Checkpoint) is { } problem)
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
var curves = new Curves(options.Checkpoint);
var optimizer = new Adam(options.LearningRate);
if (options.Weights is not null)
{
    try
    {
        LoadWeights(options.Weights, model);
        Console.WriteLine($"Weights from {options.Weights}: every tensor's name and shape verified.");
    }
    catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
    {
        Console.Error.WriteLine($"--weights: {e.Message}");
        return 1;
    }
}

if (options.Evaluate)
{
    var (loss, accuracy) = Evaluation.Test(model, data);
    Console.WriteLine($"Test set: mean loss {loss:F4}, accuracy {accuracy:P2} ({data.TestImages.Rows:N0} images).");
    return ExportOnnx(options.Onnx, model);
}

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
        Console.WriteLine($"Resumed from {options.Checkpoint}: epoch {info.Epoch}, {info.Steps:N0} steps, checksum and shapes verified, test accuracy {Evaluation.Test(model, data).Accuracy:P2}.");
        if (curves.Continue(firstEpoch) is { } why)
        {
            Console.WriteLine($"Note: {why}.");
        }
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
            correct += Evaluation.Correct(model, images, labels, predictions);
            counted += labels.Length;
        }

        optimizer.Step(model.Parameters);
        progress.Report(b, (b + 1) * options.Batch, lossSum / (b + 1), correct / Math.Max(1, counted));
    }

    progress.Finish();
    var seconds = progress.Elapsed.TotalSeconds;
    var (testLoss, accuracy) = Evaluation.Test(model, data);
    Checkpoint.Save(options.Checkpoint, model.Parameters, optimizer, epoch);
    if (curves.Add(new EpochMetrics(epoch, lossSum / batches.Count, correct / Math.Max(1, counted), testLoss, accuracy, seconds, batches.Samples / seconds)) is { } unplotted)
    {
        Console.WriteLine($"Note: {unplotted}.");
    }
    Console.WriteLine($"epoch {epoch}: test accuracy {accuracy:P2}  ({seconds:F1} s, {batches.Samples / seconds:N0} samples/s; checkpoint {options.Checkpoint})");
}

Console.WriteLine($"Learning curves: {curves.PngPath}, {curves.SvgPath}; the numbers: {curves.CsvPath}");
return ExportOnnx(options.Onnx, model);

// The network's class scores as an ONNX model (input [batch × 784], output [batch × 10]), when --onnx asks for it.
static int ExportOnnx(string? path, Mlp model)
{
    if (path is null)
    {
        return 0;
    }

    try
    {
        OnnxExport.Save(path, model.Scores, model.Parameters, inputColumns: 784, name: "fashion-mnist-mlp");
        Console.WriteLine($"ONNX model: {path} (input 'input' [batch × 784], standardised pixels; output 'output' [batch × 10], class scores).");
        return 0;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"--onnx: cannot write {path}: {e.Message}");
        return 1;
    }
}

// Weights saved by numpy (.npz, as pytorch/train.py writes them) or in the safetensors format, by the file's extension.
static void LoadWeights(string path, Mlp model)
{
    switch (Path.GetExtension(path).ToLowerInvariant())
    {
        case ".npz":
            Weights.LoadNpz(path, model.Parameters);
            break;
        case ".safetensors":
            Weights.LoadSafetensors(path, model.Parameters);
            break;
        default:
            throw new ArgumentException($"{path}: expected a .npz or .safetensors file.");
    }
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
