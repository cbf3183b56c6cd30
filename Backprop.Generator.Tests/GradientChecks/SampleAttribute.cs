using System;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Where the gradient check samples a [Differentiable] test function: floating-point parameters uniformly in
/// [Min, Max], integer parameters from <see cref="Ints"/> (in order; when it lists several sets of them, successive
/// points take the sets in turn), bools from <see cref="Bools"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SampleAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;

    public double Max { get; } = max;

    public int[] Ints { get; init; } = [];

    public bool[] Bools { get; init; } = [];

    /// <summary>
    /// How far (relative) the value a generated member returns may be from the function's own: zero (to 12 digits) unless
    /// the function calls a library type whose code sums in an order of the hardware's (fused multiply-adds, vector
    /// lanes: System.Numerics' Quaternion, Matrix4x4, Vector4.Dot), which its definition, the textbook formula, does not.
    /// </summary>
    public double ValueTolerance { get; init; }
}
