using System.Numerics.Tensors;

namespace Backprop;

/// <summary>
/// Element-wise activations over float spans, forward and backward (one file per activation: Relu.cs, Sigmoid.cs,
/// Tanh.cs). Forward: <c>y = f(x)</c>, with <see cref="TensorPrimitives"/> where it already is the fastest tool.
/// Backward: <c>dx += dy · f'</c>, from the value the derivative is cheapest in — x for ReLU, the kept output y for
/// sigmoid and tanh.
/// </summary>
public static partial class Activations
{
}
