using System;
using BenchmarkDotNet.Attributes;
using static Backprop.Nn;

namespace Backprop.Benchmarks;

/// <summary>
/// One training step's gradient (LossGradient) of a residual stack of four 256-wide blocks at batch 128, one thread:
/// written as a loop over Tensor[] fields (each iteration's values kept in the workspace) against the same four blocks
/// written out one by one. The loop should cost what the written-out blocks cost.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class ComposedModelBenchmarks
{
    private const int Batch = 128, Width = 256, Classes = 10;

    private readonly int[] _labels = new int[Batch];
    private Tensor _x = Tensor.Vector(1);
    private LoopedStack _looped = new();
    private WrittenStack _written = new();

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxThreads = 1;
        var random = new Random(1);
        _x = Filled(Tensor.Matrix(Batch, Width), random, 1);
        for (var i = 0; i < Batch; i++)
        {
            _labels[i] = random.Next(Classes);
        }

        _looped = new LoopedStack
        {
            Ws = [Filled(Tensor.Matrix(Width, Width), random, 0.05), Filled(Tensor.Matrix(Width, Width), random, 0.05), Filled(Tensor.Matrix(Width, Width), random, 0.05), Filled(Tensor.Matrix(Width, Width), random, 0.05)],
            bs = [Tensor.Vector(Width), Tensor.Vector(Width), Tensor.Vector(Width), Tensor.Vector(Width)],
            Head = Filled(Tensor.Matrix(Width, Classes), random, 0.05),
        };
        _written = new WrittenStack
        {
            W0 = _looped.Ws[0], W1 = _looped.Ws[1], W2 = _looped.Ws[2], W3 = _looped.Ws[3],
            b0 = _looped.bs[0], b1 = _looped.bs[1], b2 = _looped.bs[2], b3 = _looped.bs[3],
            Head = _looped.Head,
        };
    }

    [Benchmark(Baseline = true)]
    public float WrittenOut() => _written.LossGradient(_x, _labels);

    [Benchmark]
    public float Loop() => _looped.LossGradient(_x, _labels);

    private static Tensor Filled(Tensor tensor, Random random, double scale)
    {
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }

        return tensor;
    }
}

/// <summary>Four residual blocks as a loop over Tensor[] fields.</summary>
public sealed partial class LoopedStack
{
    public Tensor[] Ws = [], bs = [];
    public Tensor Head = Tensor.Vector(1);

    [Differentiable]
    public float Loss([NoDiff] Tensor x, int[] labels)
    {
        var h = x;
        for (int i = 0; i < Ws.Length; i++)
        {
            h = h + Relu(h * Ws[i] + bs[i]);
        }

        return SoftmaxCrossEntropy(h * Head, labels);
    }
}

/// <summary>The same four blocks written out.</summary>
public sealed partial class WrittenStack
{
    public Tensor W0 = Tensor.Vector(1), W1 = Tensor.Vector(1), W2 = Tensor.Vector(1), W3 = Tensor.Vector(1);
    public Tensor b0 = Tensor.Vector(1), b1 = Tensor.Vector(1), b2 = Tensor.Vector(1), b3 = Tensor.Vector(1);
    public Tensor Head = Tensor.Vector(1);

    [Differentiable]
    public float Loss([NoDiff] Tensor x, int[] labels)
    {
        var h = x;
        h = h + Relu(h * W0 + b0);
        h = h + Relu(h * W1 + b1);
        h = h + Relu(h * W2 + b2);
        h = h + Relu(h * W3 + b3);
        return SoftmaxCrossEntropy(h * Head, labels);
    }
}
