using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Backprop.Testing;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Generated gradients of tensor code: against central finite differences of the forward, against the lecture
/// notes' hand-written staged backward pass of the two-layer net, the overwrite/add contract, model parameter
/// discovery, and a warm training step that allocates nothing.
/// </summary>
[Collection(AllocationMeasurements.Name)]
public sealed class TensorGradientTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Fact]
    public void TwoLayerNet_GradientOfEveryParameter_MatchesFiniteDifferences()
    {
        var (net, x) = NewNet(seed: 1);
        net.LossGradient(x, s_labels);
        foreach (var parameter in net.Parameters)
        {
            var analytic = parameter.Gradient.ToArray();
            TensorChecks.CheckAgainstFiniteDifferences(parameter.Name, parameter.Value, analytic, () => net.Loss(x, s_labels));
        }
    }

    [Fact]
    public void TwoLayerNet_MatchesTheLectureNotesStagedBackwardPass()
    {
        var (net, x) = NewNet(seed: 2);
        var loss = net.LossGradient(x, s_labels);
        var expected = HandWrittenTwoLayer(net, x, s_labels);
        Assert.Equal(expected.Loss, loss, 4);
        AssertClose(expected.dW1, net.dW1.ToArray(), "dW1");
        AssertClose(expected.db1, net.db1.ToArray(), "db1");
        AssertClose(expected.dW2, net.dW2.ToArray(), "dW2");
        AssertClose(expected.db2, net.db2.ToArray(), "db2");
    }

    [Fact]
    public void Model_ParametersAreTheTensorFieldsInDeclarationOrder_AndFollowReassignment()
    {
        var net = new TwoLayerNet();
        Assert.Equal(["W1", "b1", "W2", "b2"], net.Parameters.Select(p => p.Name));
        Assert.Same(net.W1, net.Parameters[0].Value);
        Assert.Same(net.Parameters, net.Parameters);
        net.W2 = Tensor.Matrix(5, 3);
        Assert.Same(net.W2, net.Parameters[2].Value);
        Assert.True(net.dW2.HasShapeOf(net.W2));
    }

    [Fact]
    public void Model_FieldAssignedAnotherTensor_KeepsItsParameterAndTheOptimizerState()
    {
        var (net, x) = NewNet(seed: 3);
        var adam = new Adam(0.01f);
        var parameter = net.Parameters[2];
        net.LossGradient(x, s_labels);
        adam.Step(net.Parameters);
        var moments = adam.StateOf(parameter);
        var firstMoment = moments[0].ToArray();
        Assert.Contains(firstMoment, m => m != 0f);

        net.W2 = Tensor.Matrix(5, 3); // e.g. weights loaded from elsewhere
        Assert.Same(parameter, net.Parameters[2]);
        Assert.Same(moments, adam.StateOf(net.Parameters[2]));
        Assert.Equal(firstMoment, moments[0].ToArray());

        net.W2 = Tensor.Matrix(4, 3);
        var error = Assert.Throws<InvalidOperationException>(() => adam.Step(net.Parameters));
        Assert.Contains("parameter 'W2' is now [4×3] but its optimizer state was made for [5×3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reset()", error.Message, StringComparison.Ordinal);
        adam.Reset();
        net.W2 = Tensor.Matrix(5, 3);
        adam.Step(net.Parameters);
        Assert.Equal(1, adam.Steps);
    }

    [Fact]
    public void Model_NoDiffTensorField_IsFrozen()
    {
        var random = new Random(5);
        var net = new FrozenEmbeddingNet { Embedding = Random(6, 4, random), W = Random(4, 3, random) };
        var frozen = net.Embedding.ToArray();
        Assert.Equal(["W"], net.Parameters.Select(p => p.Name));
        var x = Random(7, 6, random);
        net.LossGradient(x, s_labels);
        new Sgd(0.5f).Step(net.Parameters);
        Assert.Equal(frozen, net.Embedding.ToArray());
        TensorChecks.CheckAgainstFiniteDifferences("W", net.W, BackwardOf(net, x), () => net.Loss(x, s_labels));
    }

    private static float[] BackwardOf(FrozenEmbeddingNet net, Tensor x)
    {
        net.LossGradient(x, s_labels);
        return net.dW.ToArray();
    }

    [Fact]
    public void StaticFunction_GradientOverwrites_BackwardAdds()
    {
        var random = new Random(3);
        var x = Random(7, 6, random);
        var (w1, b1, w2, b2) = (Random(6, 5, random), RandomVector(5, random), Random(5, 3, random), RandomVector(3, random));
        var (dw1, db1, dw2, db2) = (Random(6, 5, random), RandomVector(5, random), Random(5, 3, random), RandomVector(3, random));
        var loss = TensorFunctions.MlpGradient(x, s_labels, w1, b1, w2, b2, dw1, db1, dw2, db2);
        Assert.Equal(TensorFunctions.Mlp(x, s_labels, w1, b1, w2, b2), loss);
        TensorChecks.CheckAgainstFiniteDifferences("W1", w1, dw1.ToArray(), () => TensorFunctions.Mlp(x, s_labels, w1, b1, w2, b2));
        TensorChecks.CheckAgainstFiniteDifferences("b2", b2, db2.ToArray(), () => TensorFunctions.Mlp(x, s_labels, w1, b1, w2, b2));

        var gradient = dw1.ToArray();
        dw1.Fill(0.5f);
        TensorFunctions.MlpBackward(x, s_labels, w1, b1, w2, b2, -1.75f, dw1, db1, dw2, db2);
        AssertClose(gradient.Select(g => 0.5 + (-1.75 * g)).ToArray(), dw1.ToArray(), "dW1 after Backward");
    }

    [Fact]
    public void StaticFunction_GradientWithAMismatchedShape_NamesBothShapes()
    {
        var random = new Random(4);
        var w1 = Random(6, 5, random);
        var error = Assert.Throws<ArgumentException>(() => TensorFunctions.MlpGradient(Random(7, 6, random), s_labels, w1, RandomVector(5, random), Random(5, 3, random), RandomVector(3, random),
            Tensor.Matrix(5, 6), Tensor.Vector(5), Tensor.Matrix(5, 3), Tensor.Vector(3)));
        Assert.Contains("dW1 is [5×6] but W1 is [6×5]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryOperationWithARule_DifferentiatesThroughTheGenerator()
    {
        var random = new Random(5);
        var (x, w, v, target) = (Random(7, 4, random), Random(4, 3, random), Random(4, 3, random), Random(7, 3, random));
        var s = 1.3f;
        var (dx, dw, dv) = (Tensor.ZerosLike(x), Tensor.ZerosLike(w), Tensor.ZerosLike(v));
        int[] labels = [0, 2, 1, 1, 0, 2, 2];
        TensorFunctions.EveryOperationGradient(x, w, v, target, labels, s, dx, dw, dv, out var ds);
        float F() => TensorFunctions.EveryOperation(x, w, v, target, labels, s);
        TensorChecks.CheckAgainstFiniteDifferences("X", x, dx.ToArray(), F);
        TensorChecks.CheckAgainstFiniteDifferences("W", w, dw.ToArray(), F);
        TensorChecks.CheckAgainstFiniteDifferences("V", v, dv.ToArray(), F);
        var numeric = (Objective(() => { s += 1e-2f; var f = F(); s -= 1e-2f; return f; }) - Objective(() => { s -= 1e-2f; var f = F(); s += 1e-2f; return f; })) / 2e-2;
        Assert.True(Math.Abs(ds - numeric) <= 5e-3 * Math.Max(1, Math.Abs(numeric)), $"ds = {ds}, finite difference {numeric}");
    }

    [Fact]
    public void MathFunctionsOfATensorLoss_UseTheScalarRules()
    {
        var random = new Random(11);
        var (x, w) = (Random(4, 3, random), Random(3, 2, random));
        var (dx, dw) = (Tensor.Matrix(4, 3), Tensor.Matrix(3, 2));
        TensorFunctions.MathOfTheLossGradient(x, w, dx, dw);
        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => TensorFunctions.MathOfTheLoss(x, w));
        TensorChecks.CheckAgainstFiniteDifferences("w", w, dw.ToArray(), () => TensorFunctions.MathOfTheLoss(x, w));
    }

    [Fact]
    public void SharedInput_GradientsThatMeetAddUp()
    {
        var x = Random(3, 4, new Random(6));
        var dx = Tensor.ZerosLike(x);
        TensorFunctions.SharedInputGradient(x, dx);
        var expected = x.ToArray().Select(v => (2.0 * v) + (1 - Math.Pow(Math.Tanh(v), 2)) + (2.0 * v)).ToArray();
        AssertClose(expected, dx.ToArray(), "dx");
    }

    [Fact]
    public void AddGateWithTheSameInputTwice_PassesTheGradientToBoth()
    {
        var x = Random(3, 4, new Random(9));
        var dx = Tensor.ZerosLike(x);
        TensorFunctions.AddedToItselfGradient(x, dx);
        AssertClose(x.ToArray().Select(v => 1 - Math.Pow(Math.Tanh(v), 2)).ToArray(), dx.ToArray(), "dx");
    }

    [Fact]
    public void UserTensorRule_IsUsedByTheGenerator()
    {
        var random = new Random(7);
        var (x, w) = (Random(4, 3, random), Random(3, 2, random));
        var (dx, dw) = (Tensor.ZerosLike(x), Tensor.ZerosLike(w));
        UserTensorRules.SoftplusLossGradient(x, w, dx, dw);
        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => UserTensorRules.SoftplusLoss(x, w));
        TensorChecks.CheckAgainstFiniteDifferences("w", w, dw.ToArray(), () => UserTensorRules.SoftplusLoss(x, w));
    }

    [Fact]
    public void WarmTrainingStep_AllocatesNothing()
    {
        // Large enough that the products split across cores.
        var random = new Random(8);
        var net = new TwoLayerNet { W1 = Random(784, 256, random), b1 = RandomVector(256, random), W2 = Random(256, 3, random), b2 = RandomVector(3, random) };
        var x = Random(128, 784, random);
        var labels = Enumerable.Range(0, 128).Select(i => i % 3).ToArray();
        var parameters = net.Parameters;
        void Step()
        {
            net.LossGradient(x, labels);
            for (var i = 0; i < parameters.Count; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(parameters[i].Gradient.Span, -0.01f, parameters[i].Value.Span, parameters[i].Value.Span);
            }
        }

        Step();
        Step();
        SteadyState.AllocatesNothing(Step, callsPerWindow: 20);
        Assert.False(Workspace.IsActive);
    }

    private static (TwoLayerNet Net, Tensor X) NewNet(int seed)
    {
        var random = new Random(seed);
        var net = new TwoLayerNet { W1 = Random(6, 5, random), b1 = RandomVector(5, random), W2 = Random(5, 3, random), b2 = RandomVector(3, random) };
        return (net, Random(7, 6, random));
    }

    /// <summary>The notes' staged two-layer backward, in double: dscores = (p − y)/N; dW2 = h1ᵀ·dscores + λW2; dh1 = dscores·W2ᵀ; dz1 = dh1·[z1 &gt; 0]; dW1 = Xᵀ·dz1 + λW1.</summary>
    private static (double Loss, double[] dW1, double[] db1, double[] dW2, double[] db2) HandWrittenTwoLayer(TwoLayerNet net, Tensor x, int[] labels)
    {
        int n = x.Rows, d = x.Columns, h = net.W1.Columns, c = net.W2.Columns;
        var lambda = net.Lambda;
        var z1 = new double[n, h];
        var h1 = new double[n, h];
        var p = new double[n, c];
        double loss = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < h; j++)
            {
                z1[i, j] = net.b1[j] + Enumerable.Range(0, d).Sum(k => (double)x[i, k] * net.W1[k, j]);
                h1[i, j] = Math.Max(0, z1[i, j]);
            }

            var scores = Enumerable.Range(0, c).Select(j => net.b2[j] + Enumerable.Range(0, h).Sum(k => h1[i, k] * net.W2[k, j])).ToArray();
            var max = scores.Max();
            var sum = scores.Sum(s => Math.Exp(s - max));
            for (var j = 0; j < c; j++)
            {
                p[i, j] = Math.Exp(scores[j] - max) / sum;
            }

            loss -= Math.Log(p[i, labels[i]]) / n;
        }

        loss += 0.5 * lambda * (net.W1.ToArray().Sum(v => (double)v * v) + net.W2.ToArray().Sum(v => (double)v * v));
        var dscores = new double[n, c];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < c; j++)
            {
                dscores[i, j] = (p[i, j] - (labels[i] == j ? 1 : 0)) / n;
            }
        }

        var dW2 = new double[h * c];
        var db2 = new double[c];
        var dz1 = new double[n, h];
        for (var k = 0; k < h; k++)
        {
            for (var j = 0; j < c; j++)
            {
                dW2[(k * c) + j] = Enumerable.Range(0, n).Sum(i => h1[i, k] * dscores[i, j]) + (lambda * net.W2[k, j]);
            }
        }

        for (var j = 0; j < c; j++)
        {
            db2[j] = Enumerable.Range(0, n).Sum(i => dscores[i, j]);
        }

        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < h; k++)
            {
                var dh1 = Enumerable.Range(0, c).Sum(j => dscores[i, j] * net.W2[k, j]);
                dz1[i, k] = z1[i, k] > 0 ? dh1 : 0;
            }
        }

        var dW1 = new double[d * h];
        var db1 = new double[h];
        for (var k = 0; k < d; k++)
        {
            for (var j = 0; j < h; j++)
            {
                dW1[(k * h) + j] = Enumerable.Range(0, n).Sum(i => x[i, k] * dz1[i, j]) + (lambda * net.W1[k, j]);
            }
        }

        for (var j = 0; j < h; j++)
        {
            db1[j] = Enumerable.Range(0, n).Sum(i => dz1[i, j]);
        }

        return (loss, dW1, db1, dW2, db2);
    }

    private static double Objective(Func<float> f) => f();

    private static void AssertClose(IReadOnlyList<double> expected, float[] actual, string what)
    {
        Assert.Equal(expected.Count, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}] = {actual[i]}, expected {expected[i]}");
        }
    }

    private static Tensor Random(int rows, int columns, Random random)
    {
        var tensor = Tensor.Matrix(rows, columns);
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return tensor;
    }

    private static Tensor RandomVector(int length, Random random)
    {
        var tensor = Tensor.Vector(length);
        for (var i = 0; i < length; i++)
        {
            tensor[i] = (float)((random.NextDouble() * 0.2) - 0.1);
        }

        return tensor;
    }
}
