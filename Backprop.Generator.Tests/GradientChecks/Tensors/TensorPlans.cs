using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>The code the generator writes for a tensor loss, for tests that assert the plan itself (what is kept, what shares).</summary>
internal static class TensorPlans
{
    /// <summary>
    /// The generated file of <c>float Loss([NoDiff] Tensor X{parameters})</c> with <paramref name="body"/>, in a model with
    /// tensors W, V (6×5) and U (5×5); it must compile with no error and no warning.
    /// </summary>
    public static string GeneratedLoss(string body, string parameters = "")
    {
        var (result, output) = GeneratorHarness.Run($$"""
            using Backprop;
            using static Backprop.Nn;

            public sealed partial class Net
            {
                public Tensor W = Tensor.Matrix(6, 5), V = Tensor.Matrix(6, 5), U = Tensor.Matrix(5, 5);

                [Differentiable]
                public float Loss([NoDiff] Tensor X{{parameters}})
                {
            {{body}}
                }
            }
            """);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
        return GeneratorHarness.GeneratedFor(result, "Loss");
    }
}
