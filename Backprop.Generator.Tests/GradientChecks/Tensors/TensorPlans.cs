using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>The plan Differentiate makes for a tensor loss, for tests that assert the plan itself (what is kept, what shares).</summary>
internal static class TensorPlans
{
    /// <summary>
    /// The plan Differentiate hands Emit for <see cref="Source"/>'s <c>Loss</c> (with <paramref name="otherTypes"/> in the
    /// same file); the code it gives must compile with no error and no warning.
    /// </summary>
    public static TensorPlan PlanOfLoss(string body, string parameters = "", string otherTypes = "")
    {
        var (result, output) = GeneratorHarness.Run(Source(body, parameters) + "\n" + otherTypes);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
        return result.Results.Single().TrackedSteps[TrackingNames.Differentiate]
            .SelectMany(step => step.Outputs).Select(o => o.Value).OfType<DifferentiateResult>()
            .Select(r => r.Member?.Tensor).OfType<TensorPlan>()
            .Single(plan => plan.Method.Name == "Loss");
    }

    /// <summary>A read of the tensor named <paramref name="name"/>, as a plan holds it.</summary>
    public static VariableExpr Tensor(string name) => TensorOperand.Variable(name, DataType.Tensor);

    /// <summary>A read of the float named <paramref name="name"/>.</summary>
    public static VariableExpr Float(string name) => TensorOperand.Variable(name, DataType.Float);

    /// <summary>A read of the int or bool named <paramref name="name"/>.</summary>
    public static VariableExpr Int(string name) => new(name, "int");

    /// <summary>The int literal 0.</summary>
    public static readonly LiteralExpr Zero = new("0", "int");

    /// <summary>Every step of <paramref name="steps"/>, those inside ifs and loops too, in order.</summary>
    public static List<SweepStep> Flat(IEnumerable<SweepStep> steps) => steps.SelectMany(step => step switch
    {
        PlanIf branch => Flat(branch.Then).Concat(Flat(branch.Else)).Prepend(step),
        PlanLoop loop => Flat(loop.Body).Prepend(step),
        _ => [step],
    }).ToList();

    /// <summary>
    /// <c>float Loss([NoDiff] Tensor X{parameters})</c> with <paramref name="body"/>, in a model with tensors W, V (6×5)
    /// and U (5×5).
    /// </summary>
    private static string Source(string body, string parameters) => $$"""
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
        """;
}
