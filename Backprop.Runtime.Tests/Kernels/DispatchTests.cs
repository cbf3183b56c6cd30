using Backprop.Kernels.Common;
using Backprop.Runtime.Tests.Infrastructure;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>
/// Production dispatch never picks a width the machine lacks. CI runs this class as the machine is and with
/// DOTNET_EnableAVX512F=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0, so every setting is covered; the
/// "dispatch" cases of the kernel tests run each entry point (activations, maxout, Adam, GEMM) under the same settings.
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
}
