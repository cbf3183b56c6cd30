using System;

namespace Backprop;

/// <summary>
/// Inverted dropout for one place in a network: in training mode each element is kept with probability 1 − rate
/// and scaled by 1/(1 − rate), so evaluation (which keeps everything) needs no rescaling. Pass it to
/// <see cref="Nn.Dropout"/>. The layer holds the rate, the random source and the mode, not a mask: each forward pass
/// hands its mask to the backward pass (<see cref="Nn.DropoutForward"/>), so one layer may serve several places.
/// </summary>
public sealed class DropoutLayer
{
    private readonly Random _random;

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

    /// <summary>Draws a mask into <paramref name="mask"/>: 1/(1 − rate) where kept, 0 where dropped.</summary>
    internal void DrawMask(System.Span<float> mask)
    {
        var keep = 1f / (1f - Rate);
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = _random.NextSingle() >= Rate ? keep : 0f;
        }
    }
}
