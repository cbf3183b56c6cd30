using System;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>The worked examples of the lecture notes (shared/seeds), checked to the numbers printed there.</summary>
public sealed class LectureExampleTests
{
    private static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

    [Fact]
    public void AddMultiply_AtMinus2_5_Minus4_GivesMinus4_Minus4_3()
    {
        var f = Arithmetic.AddMultiplyGradient(-2, 5, -4, out var dx, out var dy, out var dz);
        Assert.Equal(-12, f);
        Assert.Equal((-4.0, -4.0, 3.0), (dx, dy, dz));
    }

    [Fact]
    public void AddMultiply_GradientIsTheChainRulesToTheSignOfZero()
    {
        // dz = x + y = −0 at x = y = −0, as a hand-written dz = q gives: …Gradient's sums start from −0 (−0 + x is x),
        // where a start from 0 would give 0 + (−0) = 0.
        Arithmetic.AddMultiplyGradient(-0.0, -0.0, 2, out var dx, out var dy, out var dz);
        Assert.Equal((2.0, 2.0), (dx, dy));
        Assert.True(double.IsNegative(dz), $"dz = {dz}");
    }

    [Fact]
    public void WeightsOnTheEdges_DfDw3_IsMinusX3()
    {
        // f = x1 - (w3 x3 + w4 x4): df/dw3 = -x3 (HKUST notes, "Weights on the edges").
        LectureFunctions.WeightedEdgesGradient(1.5, 0.3, 2.0, -0.7, 4.0, out var dx1, out var dw3, out var dx3, out var dw4, out var dx4);
        Assert.Equal(1, dx1);
        Assert.Equal(-2.0, dw3);
        Assert.Equal(-0.3, dx3);
        Assert.Equal(-4.0, dw4);
        Assert.Equal(0.7, dx4);
    }

    [Fact]
    public void MultiplePaths_DfDx3_IsOneMinusSigmoidPrimeTimesW3()
    {
        // f = (x3 + x5) - sigmoid(w3 x3 + w4 x4): df/dx3 = 1 - sigmoid' w3 (gradients add at branches).
        double x3 = 0.8, x5 = -1.2, w3 = 1.7, w4 = -0.4, x4 = 2.5;
        LectureFunctions.MultiplePathsGradient(x3, x5, w3, w4, x4, out var dx3, out var dx5, out var dw3, out _, out _);
        var s = Sigmoid((w3 * x3) + (w4 * x4));
        var sigmoidPrime = s * (1 - s);
        Assert.Equal(1 - (sigmoidPrime * w3), dx3, 14);
        Assert.Equal(1, dx5);
        Assert.Equal(-sigmoidPrime * x3, dw3, 14);
    }

    [Fact]
    public void SigmoidNeuron_MatchesTheCs231nCircuit()
    {
        // w = [2, -3, -3], x = [-1, -2]: the circuit prints f = 0.73, dw = [-0.20, -0.39, 0.20], dx = [0.39, -0.59].
        var f = LectureFunctions.SigmoidNeuronGradient(2, -3, -3, -1, -2, out var dw0, out var dw1, out var dw2, out var dx0, out var dx1);
        Assert.Equal(0.73, f, 2);
        Assert.Equal(-0.20, dw0, 2);
        Assert.Equal(-0.39, dw1, 2);
        Assert.Equal(0.20, dw2, 2);
        Assert.Equal(0.39, dx0, 2);
        Assert.Equal(-0.59, dx1, 2);

        // and exactly (1 - σ)σ times the other input, as the notes derive.
        var s = Sigmoid(1.0);
        Assert.Equal(s * (1 - s) * -1, dw0, 15);
    }

    [Fact]
    public void RegularizedLoss_MatchesTheHandDerivation()
    {
        // L(w, b) = 1/2 (y - σ(wx + b))² + λw²; dL/dw = -(y - σ)σ' x + 2λw, dL/db = -(y - σ)σ'.
        double w = 0.6, b = -0.2, x = 1.5, y = 1.0, lambda = 0.1;
        Calls.RegularizedLossGradient(w, b, x, y, lambda, out var dw, out var db);
        var s = Sigmoid((w * x) + b);
        var sigmoidPrime = s * (1 - s);
        Assert.Equal((-(y - s) * sigmoidPrime * x) + (2 * lambda * w), dw, 14);
        Assert.Equal(-(y - s) * sigmoidPrime, db, 14);
    }

    /// <summary>
    /// Forward mode on the same examples: "if we change s by some amount, z is also changed" — a tangent along one input
    /// is that column of the gradient the notes print, and along several it is their weighted sum.
    /// </summary>
    [Fact]
    public void ForwardMode_OnTheLectureExamples_GivesTheNotesNumbers()
    {
        // f = (x + y)·z at (-2, 5, -4): df/dx = -4, df/dy = -4, df/dz = 3, one tangent each.
        Assert.Equal(-12, Arithmetic.AddMultiplyTangent(-2, 5, -4, 1, 0, 0, out var alongX));
        Arithmetic.AddMultiplyTangent(-2, 5, -4, 0, 1, 0, out var alongY);
        Arithmetic.AddMultiplyTangent(-2, 5, -4, 0, 0, 1, out var alongZ);
        Assert.Equal((-4.0, -4.0, 3.0), (alongX, alongY, alongZ));

        // The sigmoid neuron: moving w0 and x1 together by 1 changes f by df/dw0 + df/dx1 = -0.20 - 0.59.
        LectureFunctions.SigmoidNeuronTangent(2, -3, -3, -1, -2, 1, 0, 0, 0, 1, out var neuron);
        Assert.Equal(-0.20 - 0.59, neuron, 2);

        // Multiple paths: dz = ds·h'(s) summed over both paths to x3 — 1 - σ'·w3.
        double x3 = 0.8, x5 = -1.2, w3 = 1.7, w4 = -0.4, x4 = 2.5;
        LectureFunctions.MultiplePathsTangent(x3, x5, w3, w4, x4, 1, 0, 0, 0, 0, out var alongX3);
        var s = Sigmoid((w3 * x3) + (w4 * x4));
        Assert.Equal(1 - (s * (1 - s) * w3), alongX3, 14);
    }
}
