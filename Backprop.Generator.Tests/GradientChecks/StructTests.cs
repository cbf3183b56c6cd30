using Backprop.Generator.Tests.GradientChecks.Functions;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>Struct values that the catalog's sampled checks cannot draw: a [NoDiff] struct parameter.</summary>
public sealed class StructTests
{
    [Fact]
    public void NoDiffStructParameter_IsReadAsGiven()
    {
        var camera = new Camera(Focal: 2.5, Offset: 0.3);
        var value = Structs.ProjectGradient(0.8, 1.6, camera, out var dx, out var dz);
        Assert.Equal(Structs.Project(0.8, 1.6, camera), value);
        Assert.Equal(2.5 / 1.6, dx, 12);
        Assert.Equal(-2.5 * 0.8 / (1.6 * 1.6), dz, 12);
    }
}
