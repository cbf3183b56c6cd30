using Backprop.Kernels.Common;
using Backprop.Runtime.Tests.Infrastructure;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>
/// Production dispatch never picks a width the machine lacks. CI runs this class as the machine is and with
/// DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0, so every setting is covered; the
/// "dispatch" cases of the kernel tests run each entry point (activations, maxout, Adam, GEMM) under the same settings.
/// (.NET 10 reads DOTNET_EnableAVX512; DOTNET_EnableAVX512F=0 alone leaves AVX-512 on.)
/// </summary>
public sealed class DispatchTests
{
    [Fact]
    public void TheWidthEveryKernelDispatchesTo_IsAccelerated()
    {
        Assert.True(Simd.IsAccelerated(Simd.Best), $"Simd.Best is {Simd.Best} on a machine with {Widths.Describe()}.");
        Assert.True(Gemm.IsSupported(Gemm.BestPath), $"Gemm.BestPath is {Gemm.BestPath} on a machine with {Widths.Describe()}.");
    }

    [Fact]
    public void NoWiderWidthIsAccelerated_ThanTheOneDispatchedTo()
    {
        for (var width = Simd.Best + 1; width <= SimdWidth.Vector512; width++)
        {
            Assert.False(Simd.IsAccelerated(width), $"{width} is accelerated but kernels dispatch to {Simd.Best}.");
        }
    }

    /// <summary>
    /// A setting that turns an instruction set off really does: were it ignored (as .NET 10 ignores DOTNET_EnableAVX512F),
    /// the run meant for the narrower paths would test the widest again and say nothing.
    /// </summary>
    [Fact]
    public void AnInstructionSetTurnedOff_IsOff()
    {
        static bool Off(string setting) => System.Environment.GetEnvironmentVariable(setting) == "0";
        if (Off("DOTNET_EnableAVX512") || Off("DOTNET_EnableAVX2") || Off("DOTNET_EnableHWIntrinsic"))
        {
            Assert.False(Simd.IsAccelerated(SimdWidth.Vector512), $"AVX-512 is on although it was turned off: {Widths.Describe()}");
        }

        if (Off("DOTNET_EnableAVX2") || Off("DOTNET_EnableHWIntrinsic"))
        {
            Assert.False(System.Runtime.Intrinsics.X86.Avx2.IsSupported, $"AVX2 is on although it was turned off: {Widths.Describe()}");
        }

        if (Off("DOTNET_EnableHWIntrinsic"))
        {
            Assert.False(Simd.IsAccelerated(SimdWidth.Vector128), $"vectors are accelerated although hardware intrinsics were turned off: {Widths.Describe()}");
        }
    }
}
