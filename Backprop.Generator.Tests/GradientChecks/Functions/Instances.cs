using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>Instance methods in a partial class; fields are read as constants.</summary>
public partial class ScaledModel
{
    private readonly double _scale = 1.5;

    [Differentiable, Sample(-2, 2)]
    public double Predict(double x, double w) => Math.Tanh(w * x * _scale) + this._scale;

    [Differentiable, Sample(-2, 2)]
    public double Loss(double x, double w) => Predict(x, w) * Predict(x, w);
}

/// <summary>An instance method in a partial struct.</summary>
public partial struct Spring
{
    [Differentiable, Sample(0.5, 2)]
    public readonly double Energy(double stretch, double stiffness) => 0.5 * stiffness * stretch * stretch;
}

/// <summary>An instance method in a partial record, nested in a partial class.</summary>
public static partial class Outer
{
    public partial record Quadratic
    {
        [Differentiable, Sample(-2, 2)]
        public double Value(double a, double b, double x) => a * x * x + b * x;
    }

    public partial record struct Line
    {
        [Differentiable, Sample(-2, 2)]
        public static double Slope(double x, double y) => y / (1 + x * x);
    }
}
