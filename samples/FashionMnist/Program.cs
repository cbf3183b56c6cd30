using System;
using System.IO;
using Backprop;
using Backprop.Distributed;
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

return DistributedMain.Run(options.Distributed, world => Train(options, world));

// Trains (or evaluates) as the options say; with a world, as one of its processes: only rank 0 speaks and writes files.
static int Train(Options options, MpiWorld? world)
{
    var root = world?.IsRoot ?? true;
    Gemm.MaxThreads = DistributedMain.Threads(options.Threads, world);
    JitProfile.Start(rank: world?.Rank);

    // A checkpoint that cannot be written is found now, not after the first epoch's work.
    if (root && !options.Evaluate && Files.WriteProblem(options.Checkpoint) is { } problem)
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
        Console.Error.WriteLine($"{(world is null ? "" : $"rank {world.Rank}: ")}Cannot read the data: {e.Message}");
        return 1;
    }

    if (root)
    {
        Console.WriteLine($"Data: {data.Description}");
        Console.WriteLine($"      {data.TrainImages.Rows:N0} training and {data.TestImages.Rows:N0} test images.");
    }

    var model = new Mlp(new Random(options.Seed));
    var curves = new Curves(options.Checkpoint, "Fashion-MNIST, 784-256-128-10 MLP trained with Backprop");
    var optimizer = new Adam(options.LearningRate);
    if (options.Weights is not null && root)
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

    // Every process draws the same shuffles (the same seed) and gathers its share of each batch.
    var batches = new MiniBatches(data.TrainImages, data.TrainLabels, options.Batch, new Random(options.Seed + 1));
    var parallel = world is null ? null : new DataParallel(world, model.Parameters);
    if (parallel is not null && root)
    {
        Console.WriteLine(DistributedMain.Describe(parallel, batches));
    }

    var trainer = new Trainer(model, optimizer, batches, options.Checkpoint, curves, () => Evaluation.Test(model, data)) { Parallel = parallel };
    var (firstEpoch, exitCode) = trainer.Start(options.Resume, options.Epochs);
    if (firstEpoch is null)
    {
        return exitCode;
    }

    trainer.Train(firstEpoch.Value, options.Epochs);
    if (!root)
    {
        return 0;
    }

    Console.WriteLine($"Learning curves: {curves.PngPath}, {curves.SvgPath}; the numbers: {curves.CsvPath}");
    return ExportOnnx(options.Onnx, model);
}

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
