using System;

namespace Backprop;

/// <summary>
/// Early stopping on a validation loss (the lecture notes' remedy for overfitting): report the loss after each epoch;
/// training should stop once it has not improved on the best by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs in a row. <see cref="Report"/> says when the epoch just reported is the best so far, so
/// the caller can keep those weights (a checkpoint) and go back to them at the end.
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>Stops after <paramref name="patience"/> epochs without an improvement larger than <paramref name="minDelta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Patience is below 1, or minDelta is negative or not finite.</exception>
    public EarlyStopping(int patience, float minDelta = 0f)
    {
        if (patience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience is a number of epochs: at least 1.");
        }

        if (!(minDelta >= 0f) || !float.IsFinite(minDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "The smallest improvement must be a finite number ≥ 0.");
        }

        (Patience, MinDelta) = (patience, minDelta);
    }

    /// <summary>Epochs without improvement allowed before <see cref="ShouldStop"/>.</summary>
    public int Patience { get; }

    /// <summary>How much lower than the best a loss must be to count as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>The lowest validation loss reported (+∞ before any).</summary>
    public float Best { get; private set; } = float.PositiveInfinity;

    /// <summary>The epoch that reported <see cref="Best"/> (−1 before any).</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>Epochs reported since the best one.</summary>
    public int EpochsWithoutImprovement { get; private set; }

    /// <summary>True once <see cref="Patience"/> epochs in a row brought no improvement.</summary>
    public bool ShouldStop => EpochsWithoutImprovement >= Patience;

    /// <summary>
    /// Records the validation loss of <paramref name="epoch"/>; returns true when it is the best so far (keep these
    /// weights). A loss that is not finite (training diverged) never counts as an improvement.
    /// </summary>
    public bool Report(int epoch, float validationLoss)
    {
        if (float.IsFinite(validationLoss) && validationLoss < Best - MinDelta)
        {
            (Best, BestEpoch, EpochsWithoutImprovement) = (validationLoss, epoch, 0);
            return true;
        }

        EpochsWithoutImprovement++;
        return false;
    }
}
