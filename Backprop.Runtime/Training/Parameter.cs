using System;

namespace Backprop;

/// <summary>
/// A trainable tensor of a model and its gradient (same shape). Models get their list from the generator: a
/// partial class with <c>Tensor</c> fields and a <see cref="DifferentiableAttribute"/> method has a generated
/// <c>Parameters</c> property, so optimizers and checkpoints never list parameters by hand.
/// </summary>
public sealed class Parameter
{
    /// <summary>Pairs <paramref name="value"/> with a zero gradient of its shape.</summary>
    /// <param name="name">The field's name, used in checkpoints and messages.</param>
    /// <param name="value">The tensor trained in place.</param>
    public Parameter(string name, Tensor? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Value = value ?? throw new InvalidOperationException($"The model field '{name}' is null: create its tensor (e.g. with Init.He) before training or reading Parameters.");
        Gradient = Tensor.ZerosLike(value);
    }

    /// <summary>The field's name.</summary>
    public string Name { get; }

    /// <summary>The trainable tensor.</summary>
    public Tensor Value { get; }

    /// <summary>∂loss/∂<see cref="Value"/>, filled by the generated <c>…Gradient</c> (overwrite) and <c>…Backward</c> (add) methods.</summary>
    public Tensor Gradient { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Value.Shape}";
}
