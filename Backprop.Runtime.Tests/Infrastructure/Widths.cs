using System;
using Backprop.Kernels.Common;
using Backprop.Kernels.Gemm;
using Xunit;

namespace Backprop.Runtime.Tests.Infrastructure;

/// <summary>
/// Tests that force one vector width ask the machine first: where it (or a <c>DOTNET_Enable…=0</c> setting) lacks the
/// width, the test is reported as skipped with the reason, never thrown and never silently passed.
/// </summary>
internal static class Widths
{
    /// <summary>Skips unless the kernel path named "512", "256", "128", "scalar" or "dispatch" runs on vector hardware here.</summary>
    public static void SkipUnlessAccelerated(string path)
    {
        var width = path switch
        {
            "512" => SimdWidth.Vector512,
            "256" => SimdWidth.Vector256,
            "128" => SimdWidth.Vector128,
            "scalar" or "dispatch" => SimdWidth.Scalar,
            _ => throw new ArgumentException($"Unknown kernel path '{path}'.", nameof(path)),
        };
        Skip.IfNot(Simd.IsAccelerated(width), $"{width} is not hardware-accelerated here ({Describe()}): production never runs this path on this machine.");
    }

    /// <summary>Skips unless this machine can run the GEMM <paramref name="path"/>.</summary>
    public static void SkipUnlessSupported(GemmPath path) =>
        Skip.IfNot(Gemm.IsSupported(path), $"GEMM path {path} needs {path switch { GemmPath.Vector512Narrow => "AVX-512F", GemmPath.Vector256Narrow => "AVX and Vector256", GemmPath.Vector128Narrow => "Vector128", _ => path.ToString() }}, which this machine lacks ({Describe()}).");

    /// <summary>What the process sees: e.g. "Vector512 no, Vector256 yes, Vector128 yes".</summary>
    public static string Describe() =>
        $"Vector512 {YesNo(SimdWidth.Vector512)}, Vector256 {YesNo(SimdWidth.Vector256)}, Vector128 {YesNo(SimdWidth.Vector128)}";

    private static string YesNo(SimdWidth width) => Simd.IsAccelerated(width) ? "yes" : "no";
}
