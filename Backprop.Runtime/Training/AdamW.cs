using System;

namespace Backprop;

/// <summary>
/// AdamW (Loshchilov and Hutter, "Decoupled weight decay regularization"): Adam whose weight decay shrinks the weights
/// directly, w ← w·(1 − α·λ), before the Adam step, instead of adding λ·w to the gradient, where Adam's scaling would
/// weaken it for weights with large gradients. The formula and defaults are PyTorch's <c>torch.optim.AdamW</c>
/// (λ = 0.01), and the tests hold it to PyTorch's numbers. One fused pass over each parameter, as <see cref="Adam"/>.
/// </summary>
/// <remarks>
/// <see cref="Optimizer.WeightDecay"/> (the L2 penalty added to the gradient) stays available and is applied on top,
/// as in <see cref="Adam"/>; with AdamW it is usually left at 0 and <see cref="Decay"/> used instead.
/// </remarks>
public sealed class AdamW : Optimizer
{
    /// <summary>Creates AdamW with PyTorch's defaults unless given.</summary>
    /// <exception cref="ArgumentOutOfRangeException">α is not positive and finite, or λ is negative or not finite.</exception>
    public AdamW(float learningRate = 1e-3f, float decay = 0.01f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
        : base(learningRate)
    {
        Decay = decay;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>λ, the decoupled weight decay: each step multiplies every weight by 1 − α·λ before the Adam step.</summary>
    public float Decay
    {
        get;
        set => field = value >= 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "AdamW's decay must be a finite number ≥ 0.");
    }

    /// <summary>β₁, the decay of the gradient average.</summary>
    public float Beta1 { get; }

    /// <summary>β₂, the decay of the squared-gradient average.</summary>
    public float Beta2 { get; }

    /// <summary>ε, which keeps the division finite.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override int StateTensors => 2;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">α·λ ≥ 1 (a schedule raised α too far): every step would flip or zero the weights.</exception>
    protected override void Update(Parameter parameter, Tensor[] state)
    {
        var keep = 1f - (LearningRate * Decay);
        if (keep <= 0f)
        {
            throw new InvalidOperationException(
                $"AdamW: learning rate {LearningRate} × decay {Decay} = {LearningRate * Decay} ≥ 1 would flip or zero every weight each step; lower one of them.");
        }

        Adam.Apply(parameter, state, Adam.Step(this, Beta1, Beta2, Epsilon, keep));
    }
}
