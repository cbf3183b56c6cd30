using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels.Common;

/// <summary>
/// The loop shape of a forward activation: <c>y[i] = Op(x[i])</c>, widest vectors first, then a scalar tail. Each width
/// is its own method so tests can run every path. x and y may be the same span.
/// </summary>
internal static class MapDriver
{
    public static void Map<TOperator>(string operation, ReadOnlySpan<float> x, Span<float> y, TOperator op)
        where TOperator : struct, IUnaryOperator
    {
        if (!Elementwise.CheckLengths(operation, x.Length, y.Length))
        {
            return;
        }

        switch (Simd.Best)
        {
            case SimdWidth.Vector512:
                Map512(x, y, op);
                break;
            case SimdWidth.Vector256:
                Map256(x, y, op);
                break;
            case SimdWidth.Vector128:
                Map128(x, y, op);
                break;
            default:
                MapScalar(x, y, 0, op);
                break;
        }
    }

    internal static void Map512<TOperator>(ReadOnlySpan<float> x, Span<float> y, TOperator op)
        where TOperator : struct, IUnaryOperator
    {
        ref var source = ref MemoryMarshal.GetReference(x);
        ref var destination = ref MemoryMarshal.GetReference(y);
        var i = 0;
        for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            op.Invoke(Vector512.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref destination, (nuint)i);
        }

        MapScalar(x, y, i, op);
    }

    internal static void Map256<TOperator>(ReadOnlySpan<float> x, Span<float> y, TOperator op)
        where TOperator : struct, IUnaryOperator
    {
        ref var source = ref MemoryMarshal.GetReference(x);
        ref var destination = ref MemoryMarshal.GetReference(y);
        var i = 0;
        for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            op.Invoke(Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref destination, (nuint)i);
        }

        MapScalar(x, y, i, op);
    }

    internal static void Map128<TOperator>(ReadOnlySpan<float> x, Span<float> y, TOperator op)
        where TOperator : struct, IUnaryOperator
    {
        ref var source = ref MemoryMarshal.GetReference(x);
        ref var destination = ref MemoryMarshal.GetReference(y);
        var i = 0;
        for (; i <= x.Length - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            op.Invoke(Vector128.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref destination, (nuint)i);
        }

        MapScalar(x, y, i, op);
    }

    internal static void MapScalar<TOperator>(ReadOnlySpan<float> x, Span<float> y, int start, TOperator op)
        where TOperator : struct, IUnaryOperator
    {
        for (var i = start; i < x.Length; i++)
        {
            y[i] = op.Invoke(x[i]);
        }
    }
}
