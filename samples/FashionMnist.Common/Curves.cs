using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;

namespace FashionMnist;

/// <summary>
/// What one epoch measured: training loss and accuracy (over the epoch, as the progress line shows them) and the loss and
/// accuracy on the held-out set after it (the test set, or the validation set of a run that stops early).
/// </summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double HeldOutLoss, double HeldOutAccuracy, double Seconds, double SamplesPerSecond);

/// <summary>
/// The learning curves of a run, epoch by epoch: written next to the checkpoint as CSV (the numbers) and as a PNG and
/// an SVG picture (loss on the left axis, accuracy on the right, train and held-out), rewritten after every epoch so an
/// interrupted run keeps what it measured. A resumed run continues the curves from the CSV.
/// </summary>
public sealed class Curves
{
    private readonly List<EpochMetrics> _epochs = [];
    private readonly string _header;
    private readonly string _title;
    private readonly string _heldOut;

    /// <summary>
    /// Curves saved beside <paramref name="checkpoint"/>: <c>name.metrics.csv</c>, <c>name.curves.png</c>,
    /// <c>name.curves.svg</c>, under <paramref name="title"/>; <paramref name="heldOut"/> names the held-out set in the
    /// CSV's columns and the legend (<c>test</c>, or <c>validation</c>).
    /// </summary>
    public Curves(string checkpoint, string title, string heldOut = "test")
    {
        (_title, _heldOut) = (title, heldOut);
        _header = $"epoch,train_loss,train_accuracy,{heldOut}_loss,{heldOut}_accuracy,seconds,samples_per_second";
        var stem = Path.Combine(Path.GetDirectoryName(checkpoint) ?? "", Path.GetFileNameWithoutExtension(checkpoint));
        CsvPath = stem + ".metrics.csv";
        PngPath = stem + ".curves.png";
        SvgPath = stem + ".curves.svg";
    }

    public string CsvPath { get; }

    public string PngPath { get; }

    public string SvgPath { get; }

    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    /// <summary>
    /// Takes the epochs before <paramref name="firstEpoch"/> from an earlier run's CSV (a resumed run); returns why it
    /// could not, or null. A missing or unreadable file leaves the curves empty: the run still trains.
    /// </summary>
    public string? Continue(int firstEpoch)
    {
        _epochs.Clear();
        if (!File.Exists(CsvPath))
        {
            return $"{CsvPath} does not exist; the curves start at epoch {firstEpoch}";
        }

        var lines = File.ReadAllLines(CsvPath);
        if (lines.Length == 0 || lines[0] != _header)
        {
            return $"{CsvPath} does not start with the header '{_header}'; the curves start at epoch {firstEpoch}";
        }

        var read = new List<EpochMetrics>();
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            if (fields.Length != 7
                || !int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
                || !fields.Skip(1).All(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                return $"{CsvPath}, line {i + 1}: expected an epoch and six numbers, found '{lines[i]}'; the curves start at epoch {firstEpoch}";
            }

            var v = fields.Skip(1).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            if (epoch < firstEpoch)
            {
                read.Add(new EpochMetrics(epoch, v[0], v[1], v[2], v[3], v[4], v[5]));
            }
        }

        _epochs.AddRange(read);
        return null;
    }

    /// <summary>
    /// Adds an epoch and rewrites the CSV, PNG and SVG files; returns why the pictures could not be drawn (the plotting
    /// library's native part missing on this platform, a file that cannot be written), or null. The CSV is always written.
    /// </summary>
    public string? Add(EpochMetrics metrics)
    {
        _epochs.RemoveAll(e => e.Epoch >= metrics.Epoch);
        _epochs.Add(metrics);
        WriteCsv();
        try
        {
            Draw().SavePng(PngPath, 800, 500);
            Draw().SaveSvg(SvgPath, 800, 500);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or IOException or UnauthorizedAccessException)
        {
            return $"the curves' pictures were not drawn ({e.Message}); the numbers are in {CsvPath}";
        }
    }

    private void WriteCsv()
    {
        var lines = _epochs.Select(e => string.Join(',',
            e.Epoch.ToString(CultureInfo.InvariantCulture),
            Number(e.TrainLoss), Number(e.TrainAccuracy), Number(e.HeldOutLoss), Number(e.HeldOutAccuracy), Number(e.Seconds), Number(e.SamplesPerSecond)));
        File.WriteAllLines(CsvPath, [_header, .. lines]);

        static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    }

    private Plot Draw()
    {
        var plot = new Plot();
        double[] epochs = [.. _epochs.Select(e => (double)e.Epoch)];
        // Train and held-out told apart by colour and marker: a dashed line makes Skia's SVG writer print a complaint.
        Line(epochs, _epochs.Select(e => e.TrainLoss), "train loss", Colors.Navy, MarkerShape.FilledCircle, plot.Axes.Left);
        Line(epochs, _epochs.Select(e => e.HeldOutLoss), $"{_heldOut} loss", Colors.DodgerBlue, MarkerShape.FilledSquare, plot.Axes.Left);
        Line(epochs, _epochs.Select(e => e.TrainAccuracy), "train accuracy", Colors.DarkRed, MarkerShape.FilledCircle, plot.Axes.Right);
        Line(epochs, _epochs.Select(e => e.HeldOutAccuracy), $"{_heldOut} accuracy", Colors.Orange, MarkerShape.FilledSquare, plot.Axes.Right);
        plot.Title(_title);
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "mean cross-entropy loss";
        plot.Axes.Right.Label.Text = "accuracy";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom);
        return plot;

        void Line(double[] xs, IEnumerable<double> ys, string label, Color color, MarkerShape marker, IYAxis axis)
        {
            var line = plot.Add.Scatter(xs, ys.ToArray(), color);
            line.LegendText = label;
            line.MarkerShape = marker;
            line.MarkerSize = 7;
            line.Axes.YAxis = axis;
        }
    }
}
