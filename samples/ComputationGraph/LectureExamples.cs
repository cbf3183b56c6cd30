using System;

namespace Backprop.Samples.ComputationGraph;

/// <summary>The worked examples of the lecture notes, written as plain C#; the generator writes their gradients.</summary>
public static partial class LectureExamples
{
    /// <summary>f(x, y, z) = (x + y)·z: the first computational graph of CS231n.</summary>
    [Differentiable]
    public static double AddMultiply(double x, double y, double z)
    {
        double q = x + y;
        return q * z;
    }

    /// <summary>A single sigmoid neuron: f(w, x) = 1 / (1 + exp(-(w0·x0 + w1·x1 + w2))).</summary>
    [Differentiable]
    public static double SigmoidNeuron(double w0, double w1, double w2, double x0, double x1) =>
        1.0 / (1.0 + Math.Exp(-(w0 * x0 + w1 * x1 + w2)));

    /// <summary>σ(s) = 1 / (1 + exp(-s)).</summary>
    [Differentiable]
    public static double Sigmoid(double s) => 1.0 / (1.0 + Math.Exp(-s));

    /// <summary>f = x1 - (w3·x3 + w4·x4): weights on the edges (HKUST notes); ∂f/∂w3 = -x3.</summary>
    [Differentiable]
    public static double WeightedEdges(double x1, double w3, double x3, double w4, double x4) =>
        x1 - (w3 * x3 + w4 * x4);

    /// <summary>f = (x3 + x5) - σ(w3·x3 + w4·x4): multiple paths; ∂f/∂x3 = 1 - σ'·w3.</summary>
    [Differentiable]
    public static double MultiplePaths(double x3, double x5, double w3, double w4, double x4) =>
        (x3 + x5) - Sigmoid(w3 * x3 + w4 * x4);

    /// <summary>L(w, b) = ½(y - σ(w·x + b))² + λw²: one-weight regression with weight decay.</summary>
    [Differentiable]
    public static double RegularizedLoss(double w, double b, [NoDiff] double x, [NoDiff] double y, [NoDiff] double lambda)
    {
        double error = y - Sigmoid(w * x + b);
        return 0.5 * error * error + lambda * w * w;
    }
}
