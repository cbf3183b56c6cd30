using System;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Activations
{
    /// <summary>Maxout of two pieces, y = max(a, b) element by element (the lecture notes' max(w₁ᵀx + b₁, w₂ᵀx + b₂)).</summary>
    public static void Maxout(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        if (a.Length != b.Length || y.Length != a.Length)
        {
            throw new ArgumentException($"Maxout: a has {a.Length} elements, b {b.Length} and y {y.Length}; all three must match.");
        }

        TensorPrimitives.Max(a, b, y);
    }

    /// <summary>
    /// The router: da += dy where a ≥ b, db += dy where a &lt; b (a tie goes to the first piece, as everywhere in
    /// Backprop). Either adjoint may be empty when that piece needs no gradient.
    /// </summary>
    public static void MaxoutBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        if (a.Length != b.Length || dy.Length != a.Length || (da.Length != 0 && da.Length != a.Length) || (db.Length != 0 && db.Length != a.Length))
        {
            throw new ArgumentException($"MaxoutBackward: a has {a.Length} elements, b {b.Length}, dy {dy.Length}, da {da.Length} and db {db.Length}; they must match (an adjoint may be empty).");
        }

        switch (Simd.Best)
        {
            case SimdWidth.Vector512:
                MaxoutBackward512(a, b, dy, da, db);
                break;
            case SimdWidth.Vector256:
                MaxoutBackward256(a, b, dy, da, db);
                break;
            case SimdWidth.Vector128:
                MaxoutBackward128(a, b, dy, da, db);
                break;
            default:
                MaxoutBackwardScalar(a, b, dy, da, db, 0);
                break;
        }
    }

    internal static void MaxoutBackward512(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var ga = ref MemoryMarshal.GetReference(da);
        ref var gb = ref MemoryMarshal.GetReference(db);
        var i = 0;
        for (; i <= a.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var first = Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pb, (nuint)i));
            var gradient = Vector512.LoadUnsafe(ref g, (nuint)i);
            if (da.Length != 0)
            {
                (Vector512.LoadUnsafe(ref ga, (nuint)i) + (gradient & first)).StoreUnsafe(ref ga, (nuint)i);
            }

            if (db.Length != 0)
            {
                (Vector512.LoadUnsafe(ref gb, (nuint)i) + Vector512.AndNot(gradient, first)).StoreUnsafe(ref gb, (nuint)i);
            }
        }

        MaxoutBackwardScalar(a, b, dy, da, db, i);
    }

    internal static void MaxoutBackward256(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var ga = ref MemoryMarshal.GetReference(da);
        ref var gb = ref MemoryMarshal.GetReference(db);
        var i = 0;
        for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var first = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i));
            var gradient = Vector256.LoadUnsafe(ref g, (nuint)i);
            if (da.Length != 0)
            {
                (Vector256.LoadUnsafe(ref ga, (nuint)i) + (gradient & first)).StoreUnsafe(ref ga, (nuint)i);
            }

            if (db.Length != 0)
            {
                (Vector256.LoadUnsafe(ref gb, (nuint)i) + Vector256.AndNot(gradient, first)).StoreUnsafe(ref gb, (nuint)i);
            }
        }

        MaxoutBackwardScalar(a, b, dy, da, db, i);
    }

    internal static void MaxoutBackward128(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var g = ref MemoryMarshal.GetReference(dy);
        ref var ga = ref MemoryMarshal.GetReference(da);
        ref var gb = ref MemoryMarshal.GetReference(db);
        var i = 0;
        for (; i <= a.Length - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            var first = Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref pa, (nuint)i), Vector128.LoadUnsafe(ref pb, (nuint)i));
            var gradient = Vector128.LoadUnsafe(ref g, (nuint)i);
            if (da.Length != 0)
            {
                (Vector128.LoadUnsafe(ref ga, (nuint)i) + (gradient & first)).StoreUnsafe(ref ga, (nuint)i);
            }

            if (db.Length != 0)
            {
                (Vector128.LoadUnsafe(ref gb, (nuint)i) + Vector128.AndNot(gradient, first)).StoreUnsafe(ref gb, (nuint)i);
            }
        }

        MaxoutBackwardScalar(a, b, dy, da, db, i);
    }

    internal static void MaxoutBackwardScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> dy, Span<float> da, Span<float> db, int start)
    {
        for (var i = start; i < a.Length; i++)
        {
            if (a[i] >= b[i])
            {
                if (da.Length != 0)
                {
                    da[i] += dy[i];
                }
            }
            else if (db.Length != 0)
            {
                db[i] += dy[i];
            }
        }
    }
}
