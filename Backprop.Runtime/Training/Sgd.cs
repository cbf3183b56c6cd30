using System.Numerics.Tensors;

namespace Backprop;

/// <summary>Plain stochastic gradient descent: w ← w − α·∇w.</summary>
public sealed class Sgd(float learningRate) : Optimizer(learningRate)
{
    /// <inheritdoc/>
    public override int StateTensors => 0;

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor[] state) =>
        TensorPrimitives.MultiplyAdd(parameter.Gradient.Span, -LearningRate, parameter.Value.Span, parameter.Value.Span);
}

/// <summary>
/// SGD with momentum: v ← μ·v + ∇w, then w ← w − α·v (PyTorch's form; the notes' velocity with its step folded in).
/// The velocity averages out the noise of minibatch gradients and carries the step through small local dips.
/// </summary>
public sealed class Momentum(float learningRate, float momentum = 0.9f) : Optimizer(learningRate)
{
    /// <summary>μ, the fraction of the velocity kept each step.</summary>
    public float Coefficient { get; } = momentum;

    /// <inheritdoc/>
    public override int StateTensors => 1;

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor[] state)
    {
        var v = state[0].Span;
        TensorPrimitives.MultiplyAdd(v, Coefficient, parameter.Gradient.Span, v);
        TensorPrimitives.MultiplyAdd(v, -LearningRate, parameter.Value.Span, parameter.Value.Span);
    }
}

/// <summary>RMSProp: s ← ρ·s + (1 − ρ)·(∇w)², then w ← w − α·∇w / (√s + ε): the step adapts to each weight's gradient size.</summary>
public sealed class RmsProp(float learningRate, float decay = 0.99f, float epsilon = 1e-8f) : Optimizer(learningRate)
{
    /// <summary>ρ, the decay of the squared-gradient average.</summary>
    public float Decay { get; } = decay;

    /// <summary>ε, which keeps the division finite.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override int StateTensors => 1;

    /// <inheritdoc/>
    protected override int ScratchTensors => 1;

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor[] state)
    {
        var g = parameter.Gradient.Span;
        var s = state[0].Span;
        var scratch = state[1].Span;
        TensorPrimitives.Multiply(g, g, scratch);
        TensorPrimitives.Multiply(scratch, 1f - Decay, scratch);
        TensorPrimitives.MultiplyAdd(s, Decay, scratch, s);
        TensorPrimitives.Sqrt(s, scratch);
        TensorPrimitives.Add(scratch, Epsilon, scratch);
        TensorPrimitives.Divide(g, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -LearningRate, parameter.Value.Span, parameter.Value.Span);
    }
}
