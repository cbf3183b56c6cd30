using System;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Where the gradient check samples a [Differentiable] test function: floating-point parameters uniformly in
/// [Min, Max], integer parameters from <see cref="Ints"/> (in order), bools from <see cref="Bools"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SampleAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;

    public double Max { get; } = max;

    public int[] Ints { get; init; } = [];

    public bool[] Bools { get; init; } = [];
}
