using System;

namespace Backprop;

/// <summary>
/// A learning rate as a function of the epoch, or of the step, 0-based — whichever the caller counts: set
/// <see cref="Optimizer.LearningRate"/> from it each epoch (or each step, as warm-up usually is).
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/> (or step).</summary>
    float At(int epoch);
}

/// <summary>Step decay: α₀ · factor^⌊epoch / every⌋ (e.g. halve every 5 epochs).</summary>
public sealed class StepDecay(float initial, float factor, int every) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float At(int epoch) => initial * MathF.Pow(factor, epoch / Math.Max(1, every));
}

/// <summary>Cosine decay from α₀ to a floor over <c>epochs</c>: floor + ½(α₀ − floor)(1 + cos(π·epoch/epochs)).</summary>
public sealed class CosineDecay(float initial, int epochs, float floor = 0f) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float At(int epoch) =>
        floor + (0.5f * (initial - floor) * (1f + MathF.Cos(MathF.PI * Math.Min(epoch, epochs) / Math.Max(1, epochs))));
}

/// <summary>
/// Linear warm-up to a peak, then cosine decay to a floor: α₀·(t + 1)/warmup for the first <c>warmup</c> steps (so the
/// first step is not taken at 0), then floor + ½(α₀ − floor)(1 + cos(π·(t − warmup)/(total − warmup))), and the floor
/// from <c>total</c> on. Counted in steps or epochs, as the caller calls it; warm-up keeps the first updates small while
/// Adam's moment estimates are still noisy.
/// </summary>
public sealed class WarmupCosine : ILearningRateSchedule
{
    private readonly float _peak;
    private readonly int _warmup;
    private readonly int _total;
    private readonly float _floor;

    /// <summary>Warms up over <paramref name="warmup"/> steps to <paramref name="peak"/>, then decays to <paramref name="floor"/> at step <paramref name="total"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The peak is not positive and finite, the floor is negative or above the peak, warmup is negative, or total is below warmup.</exception>
    public WarmupCosine(float peak, int warmup, int total, float floor = 0f)
    {
        if (!(peak > 0f) || !float.IsFinite(peak))
        {
            throw new ArgumentOutOfRangeException(nameof(peak), peak, "The peak learning rate must be a positive finite number.");
        }

        if (!(floor >= 0f) || floor > peak)
        {
            throw new ArgumentOutOfRangeException(nameof(floor), floor, $"The floor must lie in [0, peak = {peak}].");
        }

        if (warmup < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "The warm-up length must not be negative.");
        }

        if (total < warmup)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, $"The schedule's length must be at least its warm-up ({warmup}).");
        }

        (_peak, _warmup, _total, _floor) = (peak, warmup, total, floor);
    }

    /// <inheritdoc/>
    public float At(int epoch)
    {
        if (epoch < _warmup)
        {
            return _peak * (Math.Max(epoch, 0) + 1) / _warmup;
        }

        if (epoch >= _total)
        {
            return _floor;
        }

        var progress = (epoch - _warmup) / (double)(_total - _warmup);
        return (float)(_floor + (0.5 * (_peak - _floor) * (1 + Math.Cos(Math.PI * progress))));
    }
}
