using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using FashionMnist;

namespace Backprop.Benchmarks;

/// <summary>
/// Trains the Fashion-MNIST MLP (784-256-128-10, ReLU, softmax cross-entropy) with Backprop and with PyTorch on CPU,
/// in the same sitting, with the same optimizer and batch size, and reports samples/s over whole epochs (shuffle,
/// gather, forward, loss, backward, step; loading is not timed) and test accuracy.
/// <c>dotnet run -c Release --project Backprop.Benchmarks -- training [--epochs 3] [--batches 32,128,512] [--threads 1,2] [--opt adam|sgd] [--peer PATH]</c>
/// </summary>
internal static class TrainingThroughput
{
    public static int Run(string[] args)
    {
        var epochs = int.Parse(Option(args, "--epochs") ?? "3", CultureInfo.InvariantCulture);
        var batchSizes = (Option(args, "--batches") ?? "32,128,512").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var threadCounts = (Option(args, "--threads") ?? "1,2").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var optimizerName = Option(args, "--opt") ?? "adam";
        var peer = Option(args, "--peer") ?? Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "bench", "mlp_train.py"));
        var data = Dataset.Load(Option(args, "--data"));
        Console.WriteLine($"Data: {data.Description}");
        Console.WriteLine($"Optimizer {optimizerName}, {epochs} epochs per run; samples/s is the median epoch; PyTorch: {(File.Exists(peer) ? peer : "not found, skipped")}");
        Console.WriteLine();
        Console.WriteLine("| batch | threads | Backprop samples/s | PyTorch samples/s | ratio | Backprop test acc. | PyTorch test acc. |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var batch in batchSizes)
        {
            foreach (var threads in threadCounts)
            {
                var (ours, ourAccuracy) = Train(data, batch, threads, epochs, optimizerName);
                var (theirs, theirAccuracy) = File.Exists(peer) ? RunPeer(peer, batch, threads, epochs, optimizerName) : (double.NaN, double.NaN);
                Console.WriteLine($"| {batch} | {threads} | {ours:N0} | {theirs:N0} | {ours / theirs:F2} | {ourAccuracy:P2} | {theirAccuracy:P2} |");
            }
        }

        return 0;
    }

    private static (double SamplesPerSecond, double TestAccuracy) Train(Dataset data, int batch, int threads, int epochs, string optimizerName)
    {
        Gemm.MaxThreads = threads;
        var model = new Mlp(new Random(0));
        Optimizer optimizer = optimizerName == "sgd" ? new Momentum(0.05f, 0.9f) : new Adam(1e-3f);
        var batches = new MiniBatches(data.TrainImages, data.TrainLabels, batch, new Random(1));
        var seconds = new List<double>();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            batches.Shuffle();
            for (var b = 0; b < batches.Count; b++)
            {
                var (images, labels) = batches.Batch(b);
                model.LossGradient(images, labels);
                optimizer.Step(model.Parameters);
            }

            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        seconds.Sort();
        return (batches.Samples / seconds[seconds.Count / 2], Accuracy(model, data));
    }

    private static double Accuracy(Mlp model, Dataset data)
    {
        var predictions = new int[data.TestImages.Rows];
        using (Workspace.Enter())
        {
            Nn.ArgMax(model.Scores(data.TestImages), predictions);
        }

        return predictions.Where((p, i) => p == data.TestLabels[i]).Count() / (double)predictions.Length;
    }

    private static (double SamplesPerSecond, double TestAccuracy) RunPeer(string peer, int batch, int threads, int epochs, string optimizerName)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [peer, "--threads", $"{threads}", "--opt", optimizerName, "--batch", $"{batch}", "--epochs", $"{epochs}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Let OpenBLAS use AVX-512 (this environment pins it to Haswell) and keep PyTorch's threads from spinning.
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment["OPENBLAS_NUM_THREADS"] = $"{threads}";
        start.Environment["OMP_NUM_THREADS"] = $"{threads}";
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"PyTorch run failed (exit {process.ExitCode}): {errors.Trim()}");
            return (double.NaN, double.NaN);
        }

        using var json = JsonDocument.Parse(line);
        return (json.RootElement.GetProperty("samples_per_s_median_epoch").GetDouble(), json.RootElement.GetProperty("test_acc").GetDouble());
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Backprop.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
