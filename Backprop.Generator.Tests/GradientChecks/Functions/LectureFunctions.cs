using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>The lecture notes' examples (shared/seeds): CS231n's circuits and the HKUST "open the box" neurons.</summary>
public static partial class LectureFunctions
{
    [Differentiable, Sample(-2, 2)]
    public static double WeightedEdges(double x1, double w3, double x3, double w4, double x4) => x1 - (w3 * x3 + w4 * x4);

    [Differentiable, Sample(-2, 2)]
    public static double MultiplePaths(double x3, double x5, double w3, double w4, double x4) =>
        (x3 + x5) - 1 / (1 + Math.Exp(-(w3 * x3 + w4 * x4)));

    [Differentiable, Sample(-3, 3)]
    public static double SigmoidNeuron(double w0, double w1, double w2, double x0, double x1) =>
        1 / (1 + Math.Exp(-(w0 * x0 + w1 * x1 + w2)));
}
