using System;
using System.Collections.Generic;
using Xunit;

namespace Backprop.Testing;

/// <summary>
/// Asserts that warm calls allocate nothing, measured on this thread in windows of calls. The runtime itself now and
/// then allocates a few kilobytes on a thread that is only running code (a JIT tier-up, a pool refilled after a GC:
/// the runtime's own <c>GetAllocatedBytesForCurrentThread</c> test fails the same way, dotnet/runtime#63487; ours
/// failed once in CI with 7,064 bytes over 20 training steps and passed in every run here). Such an event does not
/// come back in the next window; an allocation made by a call comes back in every window. So the check passes when
/// one of up to <paramref name="windows"/> windows allocated nothing, and reports every window when none did.
/// </summary>
public static class SteadyState
{
    public static void AllocatesNothing(Action call, int callsPerWindow, int windows = 5)
    {
        var seen = new List<long>(windows);
        for (var window = 0; window < windows; window++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < callsPerWindow; i++)
            {
                call();
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0)
            {
                return;
            }

            seen.Add(allocated);
        }

        Assert.Fail($"Every window of {callsPerWindow} warm calls allocated: {string.Join(", ", seen)} bytes.");
    }
}
