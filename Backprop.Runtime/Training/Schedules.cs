using System;

namespace Backprop;

/// <summary>A learning rate as a function of the epoch (0-based): set <see cref="Optimizer.LearningRate"/> from it each epoch.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/>.</summary>
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
