using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>Which definition the generator reads where a function has two: the user's, not the one Backprop brings.</summary>
public sealed class DefinitionsTests
{
    [Fact]
    public void UsersDefinition_IsReadInsteadOfBackprops()
    {
        var (result, output) = GeneratorHarness.Run("""
            using System.Numerics;
            using Backprop;

            [assembly: Definitions(typeof(Vector3), typeof(MyVector3))]

            public static class MyVector3
            {
                [Differentiable]
                public static float Dot(Vector3 a, Vector3 b)
                {
                    float userDot = (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);
                    return userDot;
                }
            }

            public static partial class C
            {
                [Differentiable]
                public static float F(float x) => Vector3.Dot(new Vector3(x, 1f, 2f), new Vector3(x, x, 1f));
            }
            """);

        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
        Assert.Contains("userDot", GeneratorHarness.GeneratedFor(result, "F"));

        // Without the user's, Backprop's is read (it has no local of that name).
        var (alone, aloneOutput) = GeneratorHarness.Run("""
            using System.Numerics;
            using Backprop;

            public static partial class C
            {
                [Differentiable]
                public static float F(float x) => Vector3.Dot(new Vector3(x, 1f, 2f), new Vector3(x, x, 1f));
            }
            """);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(aloneOutput));
        Assert.DoesNotContain("userDot", GeneratorHarness.GeneratedFor(alone, "F"));
    }
}
