using System;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// Conv2d forward, and forward + backward (input, kernel and bias gradients), at the shapes of a small Fashion-MNIST CNN,
/// one thread. The peer in the same sitting: <c>/usr/bin/python3 Backprop.Benchmarks/peers/conv_torch.py</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class ConvolutionBenchmarks
{
    private Tensor _x = Tensor.Vector(1);
    private Tensor _w = Tensor.Vector(1);
    private Tensor _b = Tensor.Vector(1);
    private Tensor _dx = Tensor.Vector(1);
    private Tensor _dw = Tensor.Vector(1);
    private Tensor _db = Tensor.Vector(1);
    private Tensor _dy = Tensor.Vector(1);

    /// <summary>
    /// "N×C×H×W → O": 3×3 kernels, padding 1, stride 1 (as conv_torch.py). The last three are samples/FashionMnistCnn's
    /// three convolutions at batch 128.
    /// </summary>
    [Params("64x1x28x28 to 16", "64x16x14x14 to 32", "128x1x28x28 to 32", "128x32x14x14 to 64", "128x64x7x7 to 64")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxThreads = 1;
        var parts = Shape.Split(' ');
        var input = Array.ConvertAll(parts[0].Split('x'), int.Parse);
        var outputs = int.Parse(parts[2]);
        var random = new Random(1);
        _x = Filled(Tensor.Zeros(input), random);
        _w = Filled(Tensor.Zeros(outputs, input[1], 3, 3), random);
        _b = Filled(Tensor.Vector(outputs), random);
        (_dx, _dw, _db) = (Tensor.ZerosLike(_x), Tensor.ZerosLike(_w), Tensor.ZerosLike(_b));
        _dy = Filled(Tensor.Zeros(input[0], outputs, input[2], input[3]), random);
    }

    [Benchmark]
    public float Forward()
    {
        using var scope = Workspace.Enter();
        return Nn.Conv2d(_x, _w, _b, 1, 1)[0];
    }

    [Benchmark]
    public float ForwardBackward()
    {
        using var scope = Workspace.Enter();
        var y = Nn.Conv2d(_x, _w, _b, 1, 1);
        Nn.Conv2dBackward(_x, _w, _b, 1, 1, y, _dy, _dx, _dw, _db);
        return _dx[0];
    }

    private static Tensor Filled(Tensor tensor, Random random)
    {
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return tensor;
    }
}
