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
