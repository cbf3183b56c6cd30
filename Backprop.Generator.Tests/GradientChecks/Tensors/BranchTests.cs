using System;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>
/// Tensor code branches on values that take no gradient (if/else, ?:, a comparison of the loss): whichever arms are
/// taken, the gradients are those of finite differences, and those of the same network written out without branches.
/// </summary>
public sealed class BranchTests
{
    private static readonly int[] s_labels = [0, 2, 1, 1, 0, 2, 2];

    [Theory]
    [InlineData(true, 0, 100f)]
    [InlineData(true, 1, 100f)]
    [InlineData(false, 0, 100f)]
    [InlineData(false, 1, 100f)]
    [InlineData(true, 0, 0f)]
    [InlineData(false, 1, 0f)]
    public void EveryArm_GivesFiniteDifferenceGradients(bool deep, int head, float limit)
    {
        var (net, _, x) = NewNets(seed: 21);
        net.LossGradient(x, s_labels, deep, head, limit);
        TensorChecks.CheckEveryParameter(net.Parameters, () => net.Loss(x, s_labels, deep, head, limit));

        var untouched = deep ? [] : new[] { "b2" }.Concat(head == 0 ? [] : new[] { "b3" });
        foreach (var name in untouched)
        {
            Assert.All(net.Parameters.Single(p => p.Name == name).Gradient.ToArray(), g => Assert.Equal(0f, g));
        }
    }

    [Fact]
    public void ArmsTaken_GiveTheGradientsOfTheNetworkWrittenOut()
    {
        var (branched, straight, x) = NewNets(seed: 22);
        var branchedLoss = branched.LossGradient(x, s_labels, deep: true, head: 0, limit: 100f);
        var straightLoss = straight.LossGradient(x, s_labels);

        Assert.Equal(straightLoss, branchedLoss, 6);
        TensorChecks.AssertSameGradients(branched.Parameters, straight.Parameters, 1e-6);
    }

    [Fact]
    public void TheBranchPlan_DeclaresTheArmsValuesBeforeTheIf_AndHandsTheMergedGradientToTheArm()
    {
        var plan = TensorPlans.PlanOfLoss("""
            var h = Tanh(X * W);
            if (deep)
            {
                h = Tanh(h * W);
            }

            return SumOfSquares(h);
            """, ", bool deep");

        // Forward: the merged version is declared before the if and assigned at the end of both arms.
        Assert.Contains(new TensorMergeDeclaration("h3", DataType.Tensor), plan.Forward);
        Assert.Contains(new TensorMadeInBranch("h2", DataType.Tensor), plan.Forward);
        var forward = Assert.Single(TensorPlans.Ifs(plan.Forward));
        Assert.Equal(new SweepAssign(TensorPlans.Tensor("h3"), TensorPlans.Tensor("h2")), forward.Then.Last());
        Assert.Equal(new SweepAssign(TensorPlans.Tensor("h3"), TensorPlans.Tensor("h")), forward.Else.Last());

        // Backward: the condition is evaluated again; the arm's value takes dh3 as its own, the copy adds it into dh.
        Assert.Contains(new TensorBranchComment(Deep), plan.Backward);
        var backward = Assert.Single(TensorPlans.Ifs(plan.Backward));
        Assert.Equal(new ExprCondition(Deep), backward.Condition);
        Assert.Equal(new TensorTakesGradient("h3", TensorPlans.Tensor("h2"), "dh3"), backward.Then.First());
        Assert.Contains(new SweepRuleCall("global::Backprop.Nn.TanhBackward", EquatableArray.Of<Expr>(TensorPlans.Tensor("product2")), TensorPlans.Tensor("h2"), TensorPlans.Tensor("dh3"), EquatableArray.Of<CallAdjoint>(new TensorAdjoint(TensorPlans.Tensor("dproduct2")))), backward.Then);
        Assert.Equal(EquatableArray.Of<SweepStep>(new TensorCopyComment("h3", TensorPlans.Tensor("h"), "dh3"), new TensorAddFrom(TensorPlans.Tensor("dh"), "dh3")), backward.Else);
    }

    private static readonly VariableExpr Deep = new("deep", DataType.Bool);

    private static (BranchNet Branched, DeepHeadNet Straight, Tensor X) NewNets(int seed)
    {
        var random = new Random(seed);
        var first = new BranchNet();
        TensorChecks.FillParameters(first.Parameters, random);
        var second = new DeepHeadNet();
        TensorChecks.CopyParameters(first.Parameters, second.Parameters);
        return (first, second, TensorChecks.Fill(Tensor.Matrix(7, 6), random, 1));
    }
}
