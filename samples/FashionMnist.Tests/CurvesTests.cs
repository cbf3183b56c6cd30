using System;
using System.IO;
using System.Linq;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>The learning curves beside the checkpoint: CSV numbers that read back, PNG and SVG pictures, a resumed run continuing them.</summary>
public sealed class CurvesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"curves-{Guid.NewGuid():N}");

    public CurvesTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EachEpoch_RewritesCsvPngAndSvg_BesideTheCheckpoint()
    {
        var curves = new Curves(Path.Combine(_directory, "run.ckpt"), "a run");
        Assert.Null(curves.Add(new EpochMetrics(1, 0.5, 0.8, 0.45, 0.83, 6.5, 9230.77)));
        Assert.Null(curves.Add(new EpochMetrics(2, 1.0 / 3, 0.87, 0.4, 0.855, 5.25, 11428.57)));

        Assert.Equal(Path.Combine(_directory, "run.metrics.csv"), curves.CsvPath);
        Assert.Equal(
            ["epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second",
             "1,0.5,0.8,0.45,0.83,6.5,9230.77",
             "2,0.3333333333333333,0.87,0.4,0.855,5.25,11428.57"],
            File.ReadAllLines(curves.CsvPath));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(_directory, "run.curves.png")).Take(4));
        var svg = File.ReadAllText(Path.Combine(_directory, "run.curves.svg"));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumedRun_ContinuesTheCurves_FromTheEpochsBeforeIt()
    {
        var checkpoint = Path.Combine(_directory, "run.ckpt");
        var first = new Curves(checkpoint, "a run");
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            first.Add(new EpochMetrics(epoch, 1.0 / epoch, 0.8, 0.5, 0.8, 5, 10000));
        }

        var resumed = new Curves(checkpoint, "a run");
        Assert.Null(resumed.Continue(firstEpoch: 3));
        Assert.Equal(first.Epochs.Take(2), resumed.Epochs);
        resumed.Add(new EpochMetrics(3, 0.25, 0.9, 0.4, 0.85, 5, 10000));
        Assert.Equal([1.0, 0.5, 0.25], resumed.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(4, File.ReadAllLines(resumed.CsvPath).Length);
    }

    [Fact]
    public void UnreadableCsv_IsNamed_AndTheCurvesStartAfresh()
    {
        var checkpoint = Path.Combine(_directory, "run.ckpt");
        var curves = new Curves(checkpoint, "a run");
        Assert.Contains("does not exist", curves.Continue(2), StringComparison.Ordinal);

        File.WriteAllLines(curves.CsvPath, ["epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second", "1,0.5,oops,0.4,0.8,5,100"]);
        var why = curves.Continue(2);
        Assert.Contains("line 2", why, StringComparison.Ordinal);
        Assert.Contains("1,0.5,oops", why, StringComparison.Ordinal);
        Assert.Empty(curves.Epochs);
    }
}
