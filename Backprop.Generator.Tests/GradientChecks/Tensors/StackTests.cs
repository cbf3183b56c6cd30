using System;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Backprop.Testing;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Tensor[] fields indexed in a loop: every element is in Parameters (W[0], W[1], …), its gradient lands in the same
/// element of the d+field array, and the stack gives the gradients of the blocks written out.
/// </summary>
[Collection(AllocationMeasurements.Name)]
public sealed class StackTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Fact]
    public void Parameters_HoldEveryElement_InDeclarationOrder()
    {
        var (net, _, _) = NewNets(seed: 41);
        Assert.Equal(["W1", "b1", "Ws[0]", "Ws[1]", "bs[0]", "bs[1]", "W3", "b3"], net.Parameters.Select(p => p.Name));
        Assert.Same(net.Parameters, net.Parameters);
        Assert.Same(net.Ws[1], net.Parameters[3].Value);
        Assert.Same(net.Parameters[3].Gradient, net.dWs[1]);
    }

    [Fact]
    public void TheStack_GivesTheLossAndGradientsOfTheBlocksWrittenOut_AndOfFiniteDifferences()
    {
        var (stack, written, x) = NewNets(seed: 42);
        var stackLoss = stack.LossGradient(x, s_labels);
        var writtenLoss = written.LossGradient(x, s_labels);

        Assert.Equal(writtenLoss, stackLoss, 5);
        var pairs = new[] { ("W1", "W1"), ("b1", "b1"), ("Ws[0]", "Wa"), ("Ws[1]", "Wb"), ("bs[0]", "ba"), ("bs[1]", "bb"), ("W3", "W3"), ("b3", "b3") };
        foreach (var (s, w) in pairs)
        {
            var expected = written.Parameters.Single(p => p.Name == w).Gradient.ToArray();
            var actual = stack.Parameters.Single(p => p.Name == s).Gradient.ToArray();
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"d{s}[{i}] = {actual[i]}, written out {expected[i]}");
            }
        }

        TensorChecks.CheckEveryParameter(stack.Parameters, () => stack.Loss(x, s_labels));
    }

    [Fact]
    public void ALongerStack_TheListFollows_KeepingTheParametersOfTheElementsStillThere()
    {
        var (net, _, x) = NewNets(seed: 43);
        var before = net.Parameters;
        var random = new Random(44);
        net.Ws = [net.Ws[0], net.Ws[1], TensorChecks.Fill(Tensor.Matrix(5, 5), random, 0.5)];
        net.bs = [net.bs[0], net.bs[1], TensorChecks.Fill(Tensor.Vector(5), random, 0.1)];
        var after = net.Parameters;

        Assert.NotSame(before, after);
        Assert.Equal(["W1", "b1", "Ws[0]", "Ws[1]", "Ws[2]", "bs[0]", "bs[1]", "bs[2]", "W3", "b3"], after.Select(p => p.Name));
        Assert.Same(before[2], after[2]);
        Assert.Equal(3, net.dWs.Length);
        net.LossGradient(x, s_labels);
        TensorChecks.CheckAgainstFiniteDifferences("Ws[2]", net.Ws[2], net.dWs[2].ToArray(), () => net.Loss(x, s_labels));
    }

    [Fact]
    public void AnArrayOfSubModules_HasEveryElementsParameters_AndFiniteDifferenceGradients()
    {
        var random = new Random(46);
        var net = new BlockStackNet();
        Assert.Equal(["Input.W", "Input.b", "Blocks[0].Inner.W", "Blocks[0].Inner.b", "Blocks[0].Gate", "Blocks[1].Inner.W", "Blocks[1].Inner.b", "Blocks[1].Gate", "Head"], net.Parameters.Select(p => p.Name));
        TensorChecks.FillParameters(net.Parameters, random, weights: 0.6);

        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        net.LossGradient(x, s_labels);
        Assert.Same(net.Blocks[1].Inner.dW, net.Parameters[5].Gradient);
        Assert.Contains(net.Blocks[1].Inner.dW.ToArray(), g => g != 0);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels));

        // A third block: the list follows, the first two keep their parameters, and the next gradient starts from zero.
        var before = net.Parameters;
        net.Blocks = [net.Blocks[0], net.Blocks[1], new Block()];
        Assert.Equal(12, net.Parameters.Count);
        Assert.Same(before[2], net.Parameters[2]);
        Assert.Equal("Blocks[2].Gate", net.Parameters[10].Name);
        TensorChecks.Fill(net.Blocks[2].Inner.W, random, 0.6);
        net.LossGradient(x, s_labels);
        TensorChecks.CheckAgainstFiniteDifferences("Blocks[2].Inner.W", net.Blocks[2].Inner.W, net.Blocks[2].Inner.dW.ToArray(), () => net.Loss(x, s_labels));
    }

    [Fact]
    public void SubModulesNamedByLocals_GiveTheGradientsOfTheFieldsCalledDirectly()
    {
        var random = new Random(48);
        var direct = new BlockStackNet();
        TensorChecks.FillParameters(direct.Parameters, random, weights: 0.6);
        var named = new NamedBlockNet();
        Assert.Equal(direct.Parameters.Select(p => p.Name), named.Parameters.Select(p => p.Name));
        TensorChecks.CopyParameters(direct.Parameters, named.Parameters);

        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        Assert.Equal(direct.LossGradient(x, s_labels), named.LossGradient(x, s_labels), 5);
        TensorChecks.AssertSameGradients(named.Parameters, direct.Parameters, 1e-6);
        Assert.Contains(named.Blocks[1].Inner.dW.ToArray(), g => g != 0);
    }

    [Fact]
    public void ForEach_OverSubModulesAndTensors_GivesTheGradientsOfTheCountedLoop()
    {
        var random = new Random(47);
        var counted = new BlockStackNet();
        TensorChecks.FillParameters(counted.Parameters, random, weights: 0.6);

        var each = new ForEachBlockNet();
        foreach (var (from, to) in counted.Parameters.Zip(each.Parameters))
        {
            Assert.Equal(from.Name, to.Name);
            to.Value.CopyFrom(from.Value);
        }

        var x = TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1);
        Assert.Equal("Mixers[0]", each.Parameters[^1].Name);
        each.Mixers[0].Clear(); // h + 0.1·Tanh(h·0) = h: the same network
        Assert.Equal(counted.LossGradient(x, s_labels), each.LossGradient(x, s_labels), 5);
        TensorChecks.AssertSameGradients(each.Parameters.Take(counted.Parameters.Count).ToList(), counted.Parameters, 1e-5);

        TensorChecks.Fill(each.Mixers[0], random, 0.6);
        each.LossGradient(x, s_labels);
        TensorChecks.CheckEveryParameter(each.Parameters, () => each.Loss(x, s_labels));
    }

    [Fact]
    public void ATensorArrayParameter_GetsATensorArrayGradient()
    {
        var random = new Random(48);
        var x = TensorChecks.Fill(Tensor.Matrix(4, 5), random, 1);
        Tensor[] ws = [TensorChecks.Fill(Tensor.Matrix(5, 5), random, 0.6), TensorChecks.Fill(Tensor.Matrix(5, 5), random, 0.6)];
        var dx = Tensor.ZerosLike(x);
        Tensor[] dws = [Tensor.ZerosLike(ws[0]), Tensor.ZerosLike(ws[1])];
        ArrayLayers.StackLossGradient(x, ws, dx, dws);

        TensorChecks.CheckAgainstFiniteDifferences("x", x, dx.ToArray(), () => ArrayLayers.StackLoss(x, ws));
        TensorChecks.CheckAgainstFiniteDifferences("ws[0]", ws[0], dws[0].ToArray(), () => ArrayLayers.StackLoss(x, ws));
        TensorChecks.CheckAgainstFiniteDifferences("ws[1]", ws[1], dws[1].ToArray(), () => ArrayLayers.StackLoss(x, ws));

        var error = Assert.Throws<ArgumentException>(() => ArrayLayers.StackLossGradient(x, ws, dx, [dws[0]]));
        Assert.Contains("dws holds 1 tensors but ws 2", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => ArrayLayers.StackLossGradient(x, ws, dx, [dws[0], Tensor.Matrix(5, 4)]));
        Assert.Contains("dws[1] is", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWarmStep_AllocatesNothing()
    {
        var (net, _, x) = NewNets(seed: 45);
        SteadyState.AllocatesNothing(() => net.LossGradient(x, s_labels), callsPerWindow: 20);
        var blocks = new BlockStackNet();
        SteadyState.AllocatesNothing(() => blocks.LossGradient(x, s_labels), callsPerWindow: 20);
    }

    private static (StackNet Stack, TwoBlockNet Written, Tensor X) NewNets(int seed)
    {
        var random = new Random(seed);
        var stack = new StackNet();
        TensorChecks.FillParameters(stack.Parameters, random, weights: 0.6);
        var written = new TwoBlockNet { Wa = stack.Ws[0], Wb = stack.Ws[1], ba = stack.bs[0], bb = stack.bs[1] };
        foreach (var name in new[] { "W1", "b1", "W3", "b3" })
        {
            written.Parameters.Single(p => p.Name == name).Value.CopyFrom(stack.Parameters.Single(p => p.Name == name).Value);
        }

        return (stack, written, TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1));
    }
}
