using System;
using System.Linq;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// Emit runs outside Differentiate's guard, so a plan step it cannot spell would stop the generator: every kind of
/// <see cref="PlanStep"/> there is must have a spelling.
/// </summary>
public sealed class PlanPrinterTests
{
    [Fact]
    public void EveryKindOfPlanStep_IsSpelled()
    {
        var kinds = typeof(PlanStep).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PlanStep)) && !t.IsAbstract).ToList();
        Assert.True(kinds.Count >= 20, $"only {kinds.Count} kinds of plan step found");

        foreach (var kind in kinds)
        {
            var constructor = kind.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var step = (PlanStep)constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType)).ToArray());
            var writer = new SourceWriter();

            PlanPrinter.Print(writer, [step]);

            Assert.False(string.IsNullOrWhiteSpace(writer.ToString()), $"{kind.Name} printed nothing");
        }
    }

    /// <summary>A value of each type a plan step holds.</summary>
    private static object? Sample(Type type) => type switch
    {
        _ when type == typeof(string) => "v",
        _ when type == typeof(bool) => false,
        _ when type == typeof(DataType) => DataType.Float,
        _ when type == typeof(Iteration) => new Iteration("i", new LiteralExpr("0", "int")),
        _ when type == typeof(AdjointSlot) => AdjointSlot.Tensor,
        _ when type == typeof(GateNames) => new GateNames("g", "z", DataType.Float, EquatableArray.Of<Expr>(new VariableExpr("a", "float"))),
        _ when type == typeof(EquatableArray<PlanTerm>) => EquatableArray.Of(new PlanTerm(Subtract: false, Term.G)),
        _ when type == typeof(EquatableArray<PlanAdjoint>) => EquatableArray.Of(new PlanAdjoint(AdjointSlot.Tensor, new VariableExpr("da", TensorProgram.TensorType))),
        _ when type == typeof(EquatableArray<string>) => EquatableArray.Of("a"),
        _ when type == typeof(Expr) => new VariableExpr("a", "float"),
        _ when type == typeof(EquatableArray<Expr>) => EquatableArray.Of<Expr>(new VariableExpr("a", "float")),
        _ when type == typeof(EquatableArray<PlanStep>) => EquatableArray.Of<PlanStep>(new PlanAssign("a", new VariableExpr("b", "float"))),
        _ when type.IsValueType => Activator.CreateInstance(type),
        _ => throw new InvalidOperationException($"no sample of {type.Name}: add one"),
    };
}
