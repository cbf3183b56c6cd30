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
    public static VariableExpr Int(string name) => new(name, DataType.Int);

    /// <summary><c>Stack.Push(name);</c>: an iteration keeps the tensor <paramref name="name"/>.</summary>
    public static SweepKeep Push(string stack, string name) => new(new KeepOnStack(stack), Tensor(name));

    /// <summary><c>[var ]name = Stack.Pop();</c>: going back through an iteration, the tensor <paramref name="name"/> is restored.</summary>
    public static SweepRestore Pop(string name, string stack, bool declare) => new(Tensor(name), new KeptOnStack(stack), declare ? DataType.Tensor : null);

    /// <summary>The int literal 0.</summary>
    public static readonly LiteralExpr Zero = new("0", DataType.Int);

    /// <summary>Every step of <paramref name="steps"/>, those inside ifs and loops too, in order.</summary>
    public static List<SweepStep> Flat(IEnumerable<SweepStep> steps) => steps.SelectMany(step => step switch
    {
        SweepBlock block => Flat(block.Body).Prepend(step),
        _ => [step],
    }).ToList();

    /// <summary>The ifs among <paramref name="steps"/> (not those inside them), each with the else that follows it.</summary>
    public static List<IfStep> Ifs(IEnumerable<SweepStep> steps)
    {
        var list = steps.ToList();
        return list.Select((step, i) => (step, i))
            .Where(x => x.step is SweepBlock { Header: IfHeader })
            .Select(x => new IfStep(
                (SweepBlock)x.step,
                x.i + 1 < list.Count && list[x.i + 1] is SweepBlock { Header: ElseHeader } otherwise ? otherwise.Body : EquatableArray<SweepStep>.Empty))
            .ToList();
    }

    /// <summary>The loops among <paramref name="steps"/> (not those inside them) that run forward.</summary>
    public static List<SweepBlock> ForwardLoops(IEnumerable<SweepStep> steps) => steps.OfType<SweepBlock>().Where(b => b.Header is ForHeader).ToList();

    /// <summary>The loops among <paramref name="steps"/> (not those inside them) that go back through the iterations, the last first.</summary>
    public static List<SweepBlock> BackwardLoops(IEnumerable<SweepStep> steps) => steps.OfType<SweepBlock>().Where(b => b.Header is BackFromBoundHeader).ToList();

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

/// <summary>An if of a plan: its block, and the body of the else that follows it (empty when there is none).</summary>
internal sealed record IfStep(SweepBlock Block, EquatableArray<SweepStep> Else)
{
    public SweepCondition Condition => ((IfHeader)Block.Header).Condition;

    public EquatableArray<SweepStep> Then => Block.Body;
}
