using System;

namespace Backprop;

/// <summary>
/// Inverted dropout for one place in a network: in training mode each element is kept with probability 1 − rate
/// and scaled by 1/(1 − rate), so evaluation (which keeps everything) needs no rescaling. Pass it to
/// <see cref="Nn.Dropout"/>; it keeps the mask of its last forward pass for the backward pass, so use one
/// <see cref="DropoutLayer"/> per place it appears.
/// </summary>
public sealed class DropoutLayer
{
    private readonly Random _random;
    private Tensor? _mask;

    /// <summary>A dropout layer that drops <paramref name="rate"/> of the elements while <see cref="Training"/>.</summary>
    public DropoutLayer(float rate, Random random)
    {
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }

        ArgumentNullException.ThrowIfNull(random);
        Rate = rate;
        _random = random;
    }

    /// <summary>The fraction of elements dropped in training mode.</summary>
    public float Rate { get; }

    /// <summary>True: drop (training); false: pass everything through (evaluation).</summary>
    public bool Training { get; set; } = true;

    /// <summary>Draws a new mask shaped like <paramref name="x"/>: 1/(1 − rate) where kept, 0 where dropped.</summary>
    internal Tensor NewMask(Tensor x)
    {
        if (_mask is null || _mask.Length < x.Length)
        {
            _mask = Tensor.Vector(x.Length);
        }

        var mask = _mask.Span.Slice(0, x.Length);
        var keep = 1f / (1f - Rate);
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = _random.NextSingle() >= Rate ? keep : 0f;
        }

        return _mask;
    }

    /// <summary>The mask of the last training-mode forward pass.</summary>
    internal ReadOnlySpan<float> Mask(int length) =>
        _mask is not null && _mask.Length >= length ? _mask.Span.Slice(0, length) : throw new InvalidOperationException("DropoutBackward: the layer has no mask of this size; run the forward pass first.");
}
