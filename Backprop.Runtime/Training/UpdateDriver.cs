using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

/// <summary>
/// The loop of every fused optimizer update: each weight, its gradient and its state read once and written once,
/// widest vectors first, then a scalar tail. Each width is its own method so tests can run every path; a rule with one
/// state array is given an empty <c>t</c>, which is never read.
/// </summary>
internal static class UpdateDriver
{
    /// <summary>
    /// 2⁻¹²⁶, the smallest normal float. The rules store a state value below their threshold as 0 rather than as a
    /// subnormal number, which the processor computes on a slow path (see <see cref="Adam"/>'s remarks).
    /// </summary>
    public const float SmallestNormal = 1.17549435E-38f;

    /// <summary>
    /// The smallest state value kept where the step multiplies it by <paramref name="rate"/> (Adam's m, Momentum's
    /// velocity): below it the product would be subnormal (and the value itself, when the rate is 1 or more).
    /// </summary>
    public static float SmallestScaledBy(float rate) => MathF.Max(SmallestNormal, SmallestNormal / rate);

    /// <summary>
    /// The smallest average of squares kept where its root is added to <paramref name="epsilon"/> (Adam's v, RMSProp's
    /// s): 2⁻¹²⁶, when ε is at least 2²⁵ times the root of a subnormal (3.7·10⁻¹²), so √v + ε is ε either way; otherwise
    /// none is flushed (with ε = 0 a flushed v would turn 0/√v into 0/0).
    /// </summary>
    public static float SmallestSquareFor(float epsilon) => epsilon >= 3.7e-12f ? SmallestNormal : 0f;

    /// <summary>A rule's constant, held as a 512-bit vector, on 128-bit lanes (its lower 256 are <c>GetLower()</c>).</summary>
    public static Vector128<float> Lanes128(Vector512<float> constant) => constant.GetLower().GetLower();

    public static void Run<TRule>(Span<float> w, ReadOnlySpan<float> g, Span<float> s, Span<float> t, TRule rule)
        where TRule : struct, IUpdateRule
    {
        switch (Simd.Best)
        {
            case SimdWidth.Vector512:
                Run512(w, g, s, t, rule);
                break;
            case SimdWidth.Vector256:
                Run256(w, g, s, t, rule);
                break;
            case SimdWidth.Vector128:
                Run128(w, g, s, t, rule);
                break;
            default:
                RunScalar(w, g, s, t, rule, 0);
                break;
        }
    }

    internal static void Run512<TRule>(Span<float> w, ReadOnlySpan<float> g, Span<float> s, Span<float> t, TRule rule)
        where TRule : struct, IUpdateRule
    {
        ref var pw = ref MemoryMarshal.GetReference(w);
        ref var pg = ref MemoryMarshal.GetReference(g);
        ref var ps = ref MemoryMarshal.GetReference(s);
        ref var pt = ref MemoryMarshal.GetReference(t);
        var i = 0;
        for (; i <= w.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var wi = Vector512.LoadUnsafe(ref pw, (nuint)i);
            var si = Vector512.LoadUnsafe(ref ps, (nuint)i);
            var ti = TRule.States == 2 ? Vector512.LoadUnsafe(ref pt, (nuint)i) : default;
            rule.Update(ref wi, Vector512.LoadUnsafe(ref pg, (nuint)i), ref si, ref ti);
            si.StoreUnsafe(ref ps, (nuint)i);
            if (TRule.States == 2)
            {
                ti.StoreUnsafe(ref pt, (nuint)i);
            }

            wi.StoreUnsafe(ref pw, (nuint)i);
        }

        RunScalar(w, g, s, t, rule, i);
    }

    internal static void Run256<TRule>(Span<float> w, ReadOnlySpan<float> g, Span<float> s, Span<float> t, TRule rule)
        where TRule : struct, IUpdateRule
    {
        ref var pw = ref MemoryMarshal.GetReference(w);
        ref var pg = ref MemoryMarshal.GetReference(g);
        ref var ps = ref MemoryMarshal.GetReference(s);
        ref var pt = ref MemoryMarshal.GetReference(t);
        var i = 0;
        for (; i <= w.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var wi = Vector256.LoadUnsafe(ref pw, (nuint)i);
            var si = Vector256.LoadUnsafe(ref ps, (nuint)i);
            var ti = TRule.States == 2 ? Vector256.LoadUnsafe(ref pt, (nuint)i) : default;
            rule.Update(ref wi, Vector256.LoadUnsafe(ref pg, (nuint)i), ref si, ref ti);
            si.StoreUnsafe(ref ps, (nuint)i);
            if (TRule.States == 2)
            {
                ti.StoreUnsafe(ref pt, (nuint)i);
            }

            wi.StoreUnsafe(ref pw, (nuint)i);
        }

        RunScalar(w, g, s, t, rule, i);
    }

    internal static void Run128<TRule>(Span<float> w, ReadOnlySpan<float> g, Span<float> s, Span<float> t, TRule rule)
        where TRule : struct, IUpdateRule
    {
        ref var pw = ref MemoryMarshal.GetReference(w);
        ref var pg = ref MemoryMarshal.GetReference(g);
        ref var ps = ref MemoryMarshal.GetReference(s);
        ref var pt = ref MemoryMarshal.GetReference(t);
        var i = 0;
        for (; i <= w.Length - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            var wi = Vector128.LoadUnsafe(ref pw, (nuint)i);
            var si = Vector128.LoadUnsafe(ref ps, (nuint)i);
            var ti = TRule.States == 2 ? Vector128.LoadUnsafe(ref pt, (nuint)i) : default;
            rule.Update(ref wi, Vector128.LoadUnsafe(ref pg, (nuint)i), ref si, ref ti);
            si.StoreUnsafe(ref ps, (nuint)i);
            if (TRule.States == 2)
            {
                ti.StoreUnsafe(ref pt, (nuint)i);
            }

            wi.StoreUnsafe(ref pw, (nuint)i);
        }

        RunScalar(w, g, s, t, rule, i);
    }

    internal static void RunScalar<TRule>(Span<float> w, ReadOnlySpan<float> g, Span<float> s, Span<float> t, TRule rule, int start)
        where TRule : struct, IUpdateRule
    {
        var unused = 0f;
        for (var i = start; i < w.Length; i++)
        {
            rule.Update(ref w[i], g[i], ref s[i], ref TRule.States == 2 ? ref t[i] : ref unused);
        }
    }
}
