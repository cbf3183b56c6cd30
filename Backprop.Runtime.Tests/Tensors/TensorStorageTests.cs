using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Tensors;

/// <summary>Large tensors are zeros like any other, and on Linux their storage is on huge pages when the kernel allows it.</summary>
public sealed class TensorStorageTests
{
    [Fact]
    public void LargeTensor_IsZeros_EvenOnMemoryAnEarlierOneFilled()
    {
        for (var round = 0; round < 3; round++)
        {
            var tensor = Tensor.Matrix(1100, 1000); // past TensorStorage.HugePageFloats: uninitialised, advised, then cleared
            Assert.True(tensor.Length >= TensorStorage.HugePageFloats);
            Assert.True(tensor.Span.IndexOfAnyExcept(0f) < 0, $"round {round}: a new tensor held non-zero values");
            tensor.Fill(7f);
            GC.Collect();
        }
    }

    [SkippableFact]
    public void LargeTensor_OnLinux_IsOnHugePages_WhereTheKernelAllowsThem()
    {
        const string Setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists(Setting) && !File.ReadAllText(Setting).Contains("[never]", StringComparison.Ordinal),
            "transparent huge pages are not available here");
        var before = AnonymousHugePagesKilobytes();
        var tensor = Tensor.Matrix(8192, 2048); // 64 MB
        tensor.Fill(1f);
        var gained = AnonymousHugePagesKilobytes() - before;
        Assert.True(gained >= 32 * 1024, $"huge pages grew by {gained} kB for a 64 MB tensor");
        GC.KeepAlive(tensor);
    }

    private static long AnonymousHugePagesKilobytes() =>
        File.ReadLines("/proc/self/smaps_rollup").Where(line => line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).Single();
}
