using System;
using System.IO;
using System.Text.Json;
using Backprop;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>
/// A network PyTorch trained (the sample's pytorch/train.py, Debian's python3-torch) imported into the Backprop MLP
/// classifies the test images as PyTorch did: the same architecture, data preparation and weights layout.
/// </summary>
public sealed class PyTorchWeightsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"torch-weights-{Guid.NewGuid():N}");

    public PyTorchWeightsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public void PyTorchTrainedWeights_GiveTheSameTestAccuracy_InBackprop()
    {
        var data = Path.Combine(AppContext.BaseDirectory, "data");
        var weights = Path.Combine(_directory, "torch.npz");
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch", "train.py");
        Skip.If(Processes.Run("/usr/bin/python3", "-c", "import torch, numpy") is not (0, _, _), "/usr/bin/python3 with torch and numpy is not installed (apt-get install python3-torch): the PyTorch import check is skipped");

        var (exit, report, errors) = Processes.Run("/usr/bin/python3", script, "--out", weights, "--epochs", "2", "--data", data)!.Value;
        Assert.True(exit == 0, $"{script} exited with {exit}: {errors}");
        using var json = JsonDocument.Parse(report.Trim().Split('\n')[^1]);
        var theirs = json.RootElement.GetProperty("test_accuracy").GetDouble();

        var model = new Mlp(new Random(1));
        Weights.LoadNpz(weights, model.Parameters);
        var (_, ours) = Evaluation.Test(model, Dataset.Load(data));

        // Float sums in another order may flip an image whose two best scores tie to rounding: at most one in 1,000.
        Assert.InRange(ours, theirs - 0.001, theirs + 0.001);
        Assert.True(theirs > 0.6, $"PyTorch's network reached only {theirs:P1}: the check needs a trained network");
    }
}
