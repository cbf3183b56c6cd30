using System;

namespace Backprop;

/// <summary>
/// The state of a batch-normalisation layer besides its γ and β (which are the model's trainable tensors): the running
/// mean and variance used in evaluation, and whether the layer is training. Pass it to <see cref="Nn.BatchNorm"/>, as a
/// <see cref="DropoutLayer"/> is passed to <see cref="Nn.Dropout"/>; switch <see cref="Training"/> off to evaluate.
/// </summary>
/// <remarks>
/// As PyTorch's <c>BatchNorm2d</c>: training normalises with the batch's mean and biased variance and moves the running
/// averages by <see cref="Momentum"/> towards the batch's mean and unbiased variance; evaluation normalises with the
/// running averages. The running averages are not trainable, so a model's generated <c>Parameters</c> does not list
/// them: save them beside a checkpoint (<see cref="RunningMean"/>, <see cref="RunningVariance"/>) to evaluate later.
/// </remarks>
public sealed class BatchNormLayer
{
    /// <summary>A layer for <paramref name="channels"/> channels (or features), running mean 0 and variance 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No channels, a momentum outside [0, 1], or ε not positive.</exception>
    public BatchNormLayer(int channels, float momentum = 0.1f, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (!(momentum >= 0f && momentum <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum of the running averages must lie in [0, 1].");
        }

        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a positive finite number.");
        }

        (Momentum, Epsilon) = (momentum, epsilon);
        RunningMean = Tensor.Vector(channels);
        RunningVariance = Tensor.Vector(channels);
        RunningVariance.Fill(1f);
    }

    /// <summary>True: normalise with the batch's statistics and update the running ones; false: use the running ones.</summary>
    public bool Training { get; set; } = true;

    /// <summary>How far each training step moves the running averages towards the batch's statistics.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon { get; }

    /// <summary>The running mean per channel, for evaluation.</summary>
    public Tensor RunningMean { get; }

    /// <summary>The running (unbiased) variance per channel, for evaluation.</summary>
    public Tensor RunningVariance { get; }
}
