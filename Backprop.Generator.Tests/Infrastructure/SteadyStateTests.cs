using Backprop.Testing;
using Xunit;
using Xunit.Sdk;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>The allocation check fails on a call that allocates every time and names what each window allocated.</summary>
[Collection(AllocationMeasurements.Name)]
public sealed class SteadyStateTests
{
    private static object? s_kept;

    [Fact]
    public void CallThatAllocatesEveryTime_FailsInEveryWindow()
    {
        var failure = Assert.ThrowsAny<XunitException>(() => SteadyState.AllocatesNothing(() => s_kept = new int[4], callsPerWindow: 10, windows: 3));
        Assert.Contains("Every window of 10 warm calls allocated", failure.Message, System.StringComparison.Ordinal);
        Assert.NotNull(s_kept);
    }

    [Fact]
    public void CallThatAllocatesOnlyOnce_Passes()
    {
        var calls = 0;
        SteadyState.AllocatesNothing(() => s_kept = calls++ == 3 ? new int[4] : s_kept, callsPerWindow: 10);
        Assert.True(calls >= 20);
    }
}
