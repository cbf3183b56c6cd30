using System.Linq;
using Backprop.Generator.Model;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// A tensor adjoint whose first contribution comes from a rule that marks it [WritesFirst] starts as a fresh tensor
/// the rule writes (no zeroing pass); every other starts as zeros.
/// </summary>
public sealed class FreshAdjointTests
{
    [Fact]
    public void TheFirstRuleToReachAnAdjoint_DecidesWhetherItIsZeroedOrWritten()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var a = X * W;
            var t = Tanh(a);
            var s = Relu(a);
            return SumOfSquares(t) + SumOfSquares(s);
            """);

        // SumOfSquaresBackward adds: zeros. ReluBackward is the first to reach da, and writes it; TanhBackward adds.
        Assert.Contains(new TensorZeros("dt", "t", Fresh: false), plan.Backward);
        Assert.Contains(new TensorZeros("ds", "s", Fresh: false), plan.Backward);
        Assert.Contains(new TensorZeros("da", "a", Fresh: true), plan.Backward);
        var calls = plan.Backward.OfType<SweepRuleCall>().Select(c => c.Rule).ToList();
        Assert.True(calls.IndexOf("global::Backprop.Nn.ReluBackward") < calls.IndexOf("global::Backprop.Nn.TanhBackward"));
    }

    [Fact]
    public void AnAdjointDeclaredBeforeABranch_IsZeroed_SinceEitherArmMayReachItFirst()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var a = X * W;
            var h = a;
            if (deep)
            {
                h = Tanh(a);
            }

            return SumOfSquares(h);
            """, ", bool deep");

        Assert.Contains(new TensorZeros("da", "a", Fresh: false), plan.Backward);
        Assert.DoesNotContain(TensorPlans.Flat(plan.Backward).OfType<TensorZeros>(), z => z.Adjoint == "da" && z.Fresh);
    }
}
