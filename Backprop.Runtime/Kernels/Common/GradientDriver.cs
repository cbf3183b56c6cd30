using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels.Common;

/// <summary>
/// The loop shape of every activation backward: <c>dx[i] += Op(value[i], dy[i])</c>, or <c>dx[i] = Op(value[i], dy[i])</c>
/// into a fresh adjoint that holds nothing yet (<see cref="Write{TOperator}"/>: no zeroing pass, no read of dx). Widest
/// vectors first, then a scalar tail — never an overlapping last vector, which would add twice. Each width is its own
/// method so tests can run every path. <see cref="SpanMath"/>'s sums and scaled sums take the same loops.
/// </summary>
internal static class GradientDriver
{
    public static void Accumulate<TOperator>(string operation, ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator =>
        Apply<TOperator, Add>(operation, value, dy, dx, op);

    /// <summary><c>dx[i] = Op(value[i], dy[i])</c>: the first contribution to an adjoint, which it overwrites.</summary>
    public static void Write<TOperator>(string operation, ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator =>
        Apply<TOperator, Overwrite>(operation, value, dy, dx, op);

    internal static void Accumulate512<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator => Apply512<TOperator, Add>(value, dy, dx, op);

    internal static void Accumulate256<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator => Apply256<TOperator, Add>(value, dy, dx, op);

    internal static void Accumulate128<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator => Apply128<TOperator, Add>(value, dy, dx, op);

    internal static void AccumulateScalar<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, int start, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator => ApplyScalar<TOperator, Add>(value, dy, dx, start, op);

    internal static void Write512<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator => Apply512<TOperator, Overwrite>(value, dy, dx, op);

    internal static void Write256<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator => Apply256<TOperator, Overwrite>(value, dy, dx, op);

    internal static void Write128<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator => Apply128<TOperator, Overwrite>(value, dy, dx, op);

    internal static void WriteScalar<TOperator>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, int start, TOperator op = default)
        where TOperator : struct, IBinaryGradientOperator => ApplyScalar<TOperator, Overwrite>(value, dy, dx, start, op);

    private static void Apply<TOperator, TStore>(string operation, ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op)
        where TOperator : struct, IBinaryGradientOperator
        where TStore : struct, IGradientStore
    {
        if (value.Length != dy.Length || dx.Length != dy.Length)
        {
            throw new ArgumentException($"{operation}: the forward values have {value.Length} elements, dy {dy.Length} and dx {dx.Length}; all three must match.");
        }

        switch (Simd.Best)
        {
            case SimdWidth.Vector512:
                Apply512<TOperator, TStore>(value, dy, dx, op);
                break;
            case SimdWidth.Vector256:
                Apply256<TOperator, TStore>(value, dy, dx, op);
                break;
            case SimdWidth.Vector128:
                Apply128<TOperator, TStore>(value, dy, dx, op);
                break;
            default:
                ApplyScalar<TOperator, TStore>(value, dy, dx, 0, op);
                break;
        }
    }

    private static void Apply512<TOperator, TStore>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op)
        where TOperator : struct, IBinaryGradientOperator
        where TStore : struct, IGradientStore
    {
        ref var v = ref MemoryMarshal.GetReference(value);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var d = ref MemoryMarshal.GetReference(dx);
        var i = 0;
        for (; i <= value.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var term = op.Invoke(Vector512.LoadUnsafe(ref v, (nuint)i), Vector512.LoadUnsafe(ref g, (nuint)i));
            (TStore.Adds ? Vector512.LoadUnsafe(ref d, (nuint)i) + term : term).StoreUnsafe(ref d, (nuint)i);
        }

        ApplyScalar<TOperator, TStore>(value, dy, dx, i, op);
    }

    private static void Apply256<TOperator, TStore>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op)
        where TOperator : struct, IBinaryGradientOperator
        where TStore : struct, IGradientStore
    {
        ref var v = ref MemoryMarshal.GetReference(value);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var d = ref MemoryMarshal.GetReference(dx);
        var i = 0;
        for (; i <= value.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var term = op.Invoke(Vector256.LoadUnsafe(ref v, (nuint)i), Vector256.LoadUnsafe(ref g, (nuint)i));
            (TStore.Adds ? Vector256.LoadUnsafe(ref d, (nuint)i) + term : term).StoreUnsafe(ref d, (nuint)i);
        }

        ApplyScalar<TOperator, TStore>(value, dy, dx, i, op);
    }

    private static void Apply128<TOperator, TStore>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, TOperator op)
        where TOperator : struct, IBinaryGradientOperator
        where TStore : struct, IGradientStore
    {
        ref var v = ref MemoryMarshal.GetReference(value);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var d = ref MemoryMarshal.GetReference(dx);
        var i = 0;
        for (; i <= value.Length - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            var term = op.Invoke(Vector128.LoadUnsafe(ref v, (nuint)i), Vector128.LoadUnsafe(ref g, (nuint)i));
            (TStore.Adds ? Vector128.LoadUnsafe(ref d, (nuint)i) + term : term).StoreUnsafe(ref d, (nuint)i);
        }

        ApplyScalar<TOperator, TStore>(value, dy, dx, i, op);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyScalar<TOperator, TStore>(ReadOnlySpan<float> value, ReadOnlySpan<float> dy, Span<float> dx, int start, TOperator op)
        where TOperator : struct, IBinaryGradientOperator
        where TStore : struct, IGradientStore
    {
        for (var i = start; i < value.Length; i++)
        {
            var term = op.Invoke(value[i], dy[i]);
            dx[i] = TStore.Adds ? dx[i] + term : term;
        }
    }

    /// <summary>Whether a gradient adds into dx or overwrites it: a compile-time constant of each instantiation.</summary>
    private interface IGradientStore
    {
        static abstract bool Adds { get; }
    }

    private readonly struct Add : IGradientStore
    {
        public static bool Adds => true;
    }

    private readonly struct Overwrite : IGradientStore
    {
        public static bool Adds => false;
    }
}
