using System;
using System.Linq;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// Activations and the loss at batch 128 (× 256 features; × 10 classes for softmax and the loss), against
/// TensorPrimitives where it has the operation, or the same math composed from TensorPrimitives calls.
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

    [Benchmark, BenchmarkCategory("ReluForward")]
    public float ReluForward_Backprop()
    {
        Activations.Relu(_dy, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("LeakyRelu")]
    public float LeakyRelu_TensorPrimitives()
    {
        // max(x, 0.1x), composed: TensorPrimitives has no leaky ReLU.
        TensorPrimitives.Multiply(_dy, 0.1f, _scratch);
        TensorPrimitives.Max(_dy, _scratch, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("LeakyRelu")]
    public float LeakyRelu_Backprop()
    {
        Activations.LeakyRelu(_dy, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("Elu")]
    public float Elu_TensorPrimitives()
    {
        // x > 0 ? x : e^x − 1, composed from TensorPrimitives calls.
        TensorPrimitives.Min(_dy, 0f, _scratch);
        TensorPrimitives.Exp(_scratch, _scratch);
        TensorPrimitives.Subtract(_scratch, 1f, _scratch);
        TensorPrimitives.Max(_dy, 0f, _dx);
        TensorPrimitives.Min(_scratch, 0f, _scratch);
        TensorPrimitives.Add(_dx, _scratch, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("Elu")]
    public float Elu_Backprop()
    {
        Activations.Elu(_dy, _dx);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("Softmax")]
    public float Softmax_TensorPrimitives()
    {
        for (var row = 0; row < 128; row++)
        {
            TensorPrimitives.SoftMax(_dy.AsSpan(row * 10, 10), _dx.AsSpan(row * 10, 10));
        }

        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("Softmax")]
    public float Softmax_Backprop()
    {
        Activations.Softmax(_dy.AsSpan(0, 1280), _dx.AsSpan(0, 1280), 10);
        return _dx[7];
    }

    [Benchmark, BenchmarkCategory("SoftmaxCrossEntropy")]
    public float SoftmaxCrossEntropy_ForwardAndBackward()
    {
        var loss = Losses.SoftmaxCrossEntropy(_dy.AsSpan(0, 1280), _labels, 10, _scratch.AsSpan(0, 1280));
        Losses.SoftmaxCrossEntropyBackward(_scratch.AsSpan(0, 1280), _labels, 10, 1f, _dx.AsSpan(0, 1280));
        return loss + _dx[7];
    }

    private readonly int[] _labels = [.. Enumerable.Range(0, 128).Select(i => i % 10)];
}
