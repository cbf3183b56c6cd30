using System;

namespace Backprop;

/// <summary>
/// A dataset divided at random into the samples trained on and the samples held out to validate on — what early
/// stopping and the choice of hyper-parameters look at, so that the test set is read only once, at the end.
/// </summary>
/// <param name="TrainFeatures">The training rows, copied; samples keep their shape (a batch of images [N × 1 × 28 × 28] splits into images).</param>
/// <param name="TrainLabels">Their labels.</param>
/// <param name="ValidationFeatures">The held-out rows, copied.</param>
/// <param name="ValidationLabels">Their labels.</param>
public sealed record TrainValidationSplit(Tensor TrainFeatures, int[] TrainLabels, Tensor ValidationFeatures, int[] ValidationLabels)
{
    /// <summary>
    /// Holds out round(fraction · samples) rows of <paramref name="features"/> chosen by <paramref name="random"/>
    /// (the same seed gives the same split); the rest are for training. Both parts keep the rows' original order.
    /// </summary>
    /// <exception cref="ArgumentException">Features and labels disagree in length, or either part would be empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not inside (0, 1).</exception>
    public static TrainValidationSplit Make(Tensor features, int[] labels, float validationFraction, Random random)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(random);
        if (features.Rows != labels.Length)
        {
            throw new ArgumentException($"TrainValidationSplit: features {features.Shape} have {features.Rows} rows but there are {labels.Length} labels.", nameof(labels));
        }

        if (!(validationFraction > 0f && validationFraction < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie strictly between 0 and 1.");
        }

        var held = (int)Math.Round(validationFraction * labels.Length);
        if (held == 0 || held == labels.Length)
        {
            throw new ArgumentException(
                $"TrainValidationSplit: holding out {validationFraction:P1} of {labels.Length} samples leaves {(held == 0 ? "no validation" : "no training")} samples.", nameof(validationFraction));
        }

        var order = new int[labels.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        var isHeld = new bool[labels.Length];
        for (var i = 0; i < held; i++)
        {
            isHeld[order[i]] = true;
        }

        var (train, trainLabels) = (Tensor.Zeros(features.Shape.WithLength(0, labels.Length - held)), new int[labels.Length - held]);
        var (validation, validationLabels) = (Tensor.Zeros(features.Shape.WithLength(0, held)), new int[held]);
        var (t, v) = (0, 0);
        for (var row = 0; row < labels.Length; row++)
        {
            if (isHeld[row])
            {
                features.Row(row).CopyTo(validation.Row(v));
                validationLabels[v++] = labels[row];
            }
            else
            {
                features.Row(row).CopyTo(train.Row(t));
                trainLabels[t++] = labels[row];
            }
        }

        return new TrainValidationSplit(train, trainLabels, validation, validationLabels);
    }
}
