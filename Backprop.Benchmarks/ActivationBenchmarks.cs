using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// Activation backward kernels at batch 128 × 256 features, against the same math composed from
/// TensorPrimitives calls (the baseline: TensorPrimitives has no fused activation gradients).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ActivationBenchmarks
{
    private const int Length = 128 * 256;
    private readonly float[] _value = new float[Length];
    private readonly float[] _dy = new float[Length];
    private readonly float[] _dx = new float[Length];
    private readonly float[] _scratch = new float[Length];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        for (var i = 0; i < Length; i++)
        {
            _value[i] = (float)random.NextDouble();
            _dy[i] = (float)((random.NextDouble() * 2) - 1);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Sigmoid")]
    public float SigmoidBackward_TensorPrimitives()
    {
        TensorPrimitives.Subtract(1f, _value, _scratch);
        TensorPrimitives.Multiply(_scratch, _value, _scratch);
        TensorPrimitives.MultiplyAdd(_scratch, _dy, _dx, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("Sigmoid")]
    public float SigmoidBackward_Backprop()
    {
        Activations.SigmoidBackward(_value, _dy, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("Tanh")]
    public float TanhBackward_TensorPrimitives()
    {
        TensorPrimitives.Multiply(_value, _value, _scratch);
        TensorPrimitives.Subtract(1f, _scratch, _scratch);
        TensorPrimitives.MultiplyAdd(_scratch, _dy, _dx, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("Tanh")]
    public float TanhBackward_Backprop()
    {
        Activations.TanhBackward(_value, _dy, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("Relu")]
    public float ReluBackward_Backprop()
    {
        Activations.ReluBackward(_value, _dy, _dx);
        return _dx[7];
    }
}
