using System;
using System.Linq;
using Backprop.Kernels.Common;
using Xunit;

namespace Backprop.Runtime.Tests.Infrastructure;

/// <summary>What the tests of the element-wise and optimizer drivers share: the lengths they try, the width paths, a forward map down one path, and their inputs.</summary>
internal static class KernelPaths
{
    /// <summary>Every length 0..256 (each vector width's tails) and two large ones.</summary>
    public static readonly int[] Lengths = [.. Enumerable.Range(0, 257), 1000, 4099];

    /// <summary>The paths a driver has: each width forced, the scalar loop, and the dispatch production takes.</summary>
    public static TheoryData<string> All() => ["512", "256", "128", "scalar", "dispatch"];

    public delegate void Forward(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>y = op(x) down <paramref name="path"/>; "dispatch" calls the public entry point. Skips where the width is missing.</summary>
    public static void Map<TOperator>(string path, ReadOnlySpan<float> x, Span<float> y, TOperator op, Forward dispatch)
        where TOperator : struct, IUnaryOperator
    {
        Widths.SkipUnlessAccelerated(path);
        switch (path)
        {
            case "512": MapDriver.Map512(x, y, op); break;
            case "256": MapDriver.Map256(x, y, op); break;
            case "128": MapDriver.Map128(x, y, op); break;
            case "scalar": MapDriver.MapScalar(x, y, 0, op); break;
            default: dispatch(x, y); break;
        }
    }

    /// <summary><paramref name="length"/> values in [−4, 4), the same for the same seed.</summary>
    public static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
    }
}
