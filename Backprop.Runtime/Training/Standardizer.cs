using System;
using System.Numerics.Tensors;

namespace Backprop;

/// <summary>
/// Input normalisation to zero mean and unit variance, with statistics from the training set only (so test data is
/// transformed the same way): per feature, or one mean and deviation over all features.
/// </summary>
public sealed class Standardizer
{
    private Standardizer(float[] mean, float[] deviation)
    {
        Mean = mean;
        Deviation = deviation;
    }

    /// <summary>The means subtracted (one per feature, or one for all).</summary>
    public float[] Mean { get; }

    /// <summary>The standard deviations divided by (a constant feature's is taken as 1).</summary>
    public float[] Deviation { get; }

    /// <summary>Statistics of <paramref name="data"/>: per column when <paramref name="perFeature"/>, else over every element.</summary>
    public static Standardizer Fit(Tensor data, bool perFeature = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        var columns = perFeature ? data.Columns : 1;
        var sum = new double[columns];
        var squares = new double[columns];
        for (var row = 0; row < data.Rows; row++)
        {
            var values = data.Row(row);
            for (var j = 0; j < values.Length; j++)
            {
                var c = perFeature ? j : 0;
                sum[c] += values[j];
                squares[c] += (double)values[j] * values[j];
            }
        }

        var count = (double)data.Rows * (perFeature ? 1 : data.Columns);
        var mean = new float[columns];
        var deviation = new float[columns];
        for (var c = 0; c < columns; c++)
        {
            var m = sum[c] / Math.Max(1, count);
            var variance = Math.Max(0, (squares[c] / Math.Max(1, count)) - (m * m));
            mean[c] = (float)m;
            deviation[c] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }

        return new Standardizer(mean, deviation);
    }

    /// <summary>Transforms <paramref name="data"/> in place: (x − mean) / deviation.</summary>
    public void Apply(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Mean.Length != 1 && Mean.Length != data.Columns)
        {
            throw new ArgumentException($"Standardizer: fitted on {Mean.Length} features but the data {data.Shape} has {data.Columns}.", nameof(data));
        }

        for (var row = 0; row < data.Rows; row++)
        {
            var values = data.Row(row);
            if (Mean.Length == 1)
            {
                TensorPrimitives.Subtract(values, Mean[0], values);
                TensorPrimitives.Divide(values, Deviation[0], values);
            }
            else
            {
                TensorPrimitives.Subtract(values, Mean, values);
                TensorPrimitives.Divide(values, Deviation, values);
            }
        }
    }
}
