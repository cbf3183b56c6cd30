using System.Runtime.Intrinsics;

namespace Backprop.Kernels.Common;

/// <summary>The vector widths our kernels are written for, widest last.</summary>
internal enum SimdWidth
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>
/// Which vector widths this machine (and this process's <c>DOTNET_Enable…</c> settings) accelerates. Every kernel
/// dispatches through <see cref="Best"/>, so production never runs a width the machine lacks; tests ask
/// <see cref="IsAccelerated"/> before forcing a width and are reported as skipped where it is false.
/// </summary>
internal static class Simd
{
    /// <summary>The widest accelerated width (<see cref="SimdWidth.Scalar"/> when none is).</summary>
    public static SimdWidth Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512
        : Vector256.IsHardwareAccelerated ? SimdWidth.Vector256
        : Vector128.IsHardwareAccelerated ? SimdWidth.Vector128
        : SimdWidth.Scalar;

    /// <summary>True when <paramref name="width"/> runs on vector hardware here (the scalar path always does).</summary>
    public static bool IsAccelerated(SimdWidth width) => width switch
    {
        SimdWidth.Vector512 => Vector512.IsHardwareAccelerated,
        SimdWidth.Vector256 => Vector256.IsHardwareAccelerated,
        SimdWidth.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };
}
