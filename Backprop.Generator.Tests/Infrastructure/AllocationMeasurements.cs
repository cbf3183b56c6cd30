using Xunit;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// The test classes that measure allocations run alone, after the parallel ones: the shared ArrayPool their code rents
/// from is shared with every other test, and a concurrent test holding the same sizes makes a warm rent allocate (seen
/// twice under load: <c>WarmTrainingStep_AllocatesNothing</c> failed in the full suite and passed alone).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    public const string Name = "Allocation measurements";
}
