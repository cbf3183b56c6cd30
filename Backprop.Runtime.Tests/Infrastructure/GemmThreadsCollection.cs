using Xunit;

namespace Backprop.Runtime.Tests.Infrastructure;

/// <summary>
/// Tests that set <see cref="Gemm.MaxThreads"/> (a process-wide setting) or depend on it run one at a time: without this,
/// a test comparing one core with two could turn the helper threads off under the workers' stress test.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GemmThreadsCollection
{
    public const string Name = "Gemm.MaxThreads";
}
