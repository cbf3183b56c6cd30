using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels.Common;

/// <summary>
/// The loop shape of every activation backward: <c>dx[i] += Op(value[i], dy[i])</c>. Widest vectors first, then a
/// scalar tail — never an overlapping last vector, which would add twice. Each width is its own method so tests
/// can run every path.
/// </summary>
internal static class GradientDriver
{
    public static void Accumulate<TOperator>(string operation, ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator
    {
        if (value.Length != dy.Length || dx.Length != dy.Length)
        {
            throw new ArgumentException($"{operation}: the forward values have {value.Length} elements, dy {dy.Length} and dx {dx.Length}; all three must match.");
        }

        switch (Simd.Best)
        {
            case SimdWidth.Vector512:
                Accumulate512<TOperator>(value, dy, dx, op);
                break;
            case SimdWidth.Vector256:
                Accumulate256<TOperator>(value, dy, dx, op);
                break;
            case SimdWidth.Vector128:
                Accumulate128<TOperator>(value, dy, dx, op);
                break;
            default:
                AccumulateScalar<TOperator>(value, dy, dx, 0, op);
                break;
        }
    }

    internal static void Accumulate512<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator
    {
        ref var v = ref MemoryMarshal.GetReference(value);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var d = ref MemoryMarshal.GetReference(dx);
        var i = 0;
        for (; i <= value.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var sum = Vector512.LoadUnsafe(ref d, (nuint)i) + op.Invoke(Vector512.LoadUnsafe(ref v, (nuint)i), Vector512.LoadUnsafe(ref g, (nuint)i));
            sum.StoreUnsafe(ref d, (nuint)i);
        }

        AccumulateScalar<TOperator>(value, dy, dx, i, op);
    }

    internal static void Accumulate256<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator
    {
        ref var v = ref MemoryMarshal.GetReference(value);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var d = ref MemoryMarshal.GetReference(dx);
        var i = 0;
        for (; i <= value.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var sum = Vector256.LoadUnsafe(ref d, (nuint)i) + op.Invoke(Vector256.LoadUnsafe(ref v, (nuint)i), Vector256.LoadUnsafe(ref g, (nuint)i));
            sum.StoreUnsafe(ref d, (nuint)i);
        }

        AccumulateScalar<TOperator>(value, dy, dx, i, op);
    }

    internal static void Accumulate128<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator
    {
        ref var v = ref MemoryMarshal.GetReference(value);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var d = ref MemoryMarshal.GetReference(dx);
        var i = 0;
        for (; i <= value.Length - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            var sum = Vector128.LoadUnsafe(ref d, (nuint)i) + op.Invoke(Vector128.LoadUnsafe(ref v, (nuint)i), Vector128.LoadUnsafe(ref g, (nuint)i));
            sum.StoreUnsafe(ref d, (nuint)i);
        }

        AccumulateScalar<TOperator>(value, dy, dx, i, op);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AccumulateScalar<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, int start, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator
    {
        for (var i = start; i < value.Length; i++)
        {
            dx[i] += op.Invoke(value[i], dy[i]);
        }
    }
}
