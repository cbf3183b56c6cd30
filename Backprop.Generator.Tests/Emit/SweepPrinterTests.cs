using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// Emit spells what Differentiate decided for scalar and tensor code (<see cref="SweepStep"/>): every kind of step, and
/// every kind of each part a step holds (a block's header, a condition, where a kept value goes and comes back from, a
/// callee's adjoint or tangent, a tangent's value), must have a spelling.
/// </summary>
public sealed class SweepPrinterTests
{
    /// <summary>The abstract parts of steps, each of whose kinds must be spelled inside the steps that hold it.</summary>
    private static readonly Type[] Parts =
        [typeof(SweepHeader), typeof(SweepCondition), typeof(KeptSource), typeof(KeepPlace), typeof(CallAdjoint), typeof(TangentValue), typeof(CallTangent)];

    [Fact]
    public void EveryKindOfStep_AndOfEachPart_IsSpelled()
    {
        var steps = KindsOf(typeof(SweepStep));
        Assert.True(steps.Count >= 40, $"only {steps.Count} kinds of sweep step found");
        var spelled = new HashSet<Type>();
        var next = new Dictionary<Type, int>();

        // Each time a step holds a part, the part's next kind goes there: rounds over the steps reach every kind.
        for (var round = 0; round < 200 && !Parts.All(part => KindsOf(part).All(spelled.Contains)); round++)
        {
            foreach (var kind in steps)
            {
                var step = (SweepStep)Make(kind, next, spelled);
                var writer = new SourceWriter();

                SweepPrinter.Print(writer, [step]);

                Assert.False(string.IsNullOrWhiteSpace(writer.ToString()) && step is not SweepBlank, $"{kind.Name} printed nothing");
            }
        }

        foreach (var part in Parts)
        {
            Assert.All(KindsOf(part), kind => Assert.True(spelled.Contains(kind), $"no step holding a {part.Name} was spelled with a {kind.Name}"));
        }
    }

    private static List<Type> KindsOf(Type type) =>
        type.Assembly.GetTypes().Where(t => t.IsSubclassOf(type) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>An instance of <paramref name="kind"/> with a sample of each thing it holds, each part the next of its kinds.</summary>
    private static object Make(Type kind, Dictionary<Type, int> next, HashSet<Type> made)
    {
        made.Add(kind);
        var constructor = kind.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType, next, made)).ToArray());
    }

    private static readonly VariableExpr A = new("a", DataType.Double);

    /// <summary>A value of each type a step holds.</summary>
    private static object? Sample(Type type, Dictionary<Type, int> next, HashSet<Type> made)
    {
        if (Parts.Contains(type))
        {
            var kinds = KindsOf(type);
            return Make(kinds[Next(next, type) % kinds.Count], next, made);
        }

        return type switch
        {
            _ when type == typeof(string) => "v",
            _ when type == typeof(bool) => false,
            _ when type == typeof(int) => 1,
            _ when type == typeof(Expr) || type == typeof(VariableExpr) => A,
            _ when type == typeof(MathCallExpr) => new MathCallExpr("Math", "Sin", EquatableArray.Of<Expr>(A), DataType.Double),
            _ when type == typeof(UserCallExpr) => new UserCallExpr("Model", "F", EquatableArray.Of(new CallArgument(A, ParameterShape.Scalar)), DataType.Double),
            _ when type == typeof(NewArrayExpr) => new NewArrayExpr(DataType.Double, new VariableExpr("n", DataType.Int)),
            _ when type == typeof(GateStatement) => new GateStatement(GateForm.Assign, A, new VariableExpr("b", DataType.Double)),
            _ when type == typeof(SweepContribute) => new SweepContribute(new ElementExpr("da", new VariableExpr("i", DataType.Int), DataType.Double), Declare: false, EquatableArray.Of(new RuleTerm(Subtract: true, Term.G)), (GateNames)Sample(typeof(GateNames), next, made)!),
            _ when type == typeof(GateNames) => new GateNames(new VariableExpr("dz", DataType.Double), new VariableExpr("z", DataType.Double), EquatableArray.Of<Expr>(A)),
            _ when type == typeof(LoopIterations) => new LoopIterations(new LiteralExpr("0", DataType.Int), new VariableExpr("n", DataType.Int), Inclusive: false),
            _ when type == typeof(DataType) => DataType.Float,
            _ when type == typeof(ForHeader) => new ForHeader("i", new LiteralExpr("0", DataType.Int), BinaryOp.LessThan, new VariableExpr("n", DataType.Int), Ascending: true),
            _ when type == typeof(Iteration) => new Iteration("i", new LiteralExpr("0", DataType.Int)),
            _ when type == typeof(HeldValues) => new HeldValues(new VariableExpr("s", DataType.Double), new VariableExpr("c", DataType.Double)),
            _ when type == typeof(EquatableArray<string>) => EquatableArray.Of("a"),
            _ when type == typeof(EquatableArray<Expr>) => EquatableArray.Of<Expr>(A),
            _ when type == typeof(EquatableArray<RuleTerm>) => EquatableArray.Of(new RuleTerm(Subtract: false, Term.G)),
            _ when type == typeof(EquatableArray<SweepStep>) => EquatableArray.Of<SweepStep>(new SweepReturn(A)),
            _ when type == typeof(EquatableArray<CallAdjoint>) => EquatableArray.Of((CallAdjoint)Sample(typeof(CallAdjoint), next, made)!),
            _ when type == typeof(EquatableArray<CallTangent>) => EquatableArray.Of((CallTangent)Sample(typeof(CallTangent), next, made)!),
            _ when type == typeof(EquatableArray<TangentTerm>) => EquatableArray.Of(new TangentTerm(Subtract: true, Term.G, new VariableExpr("da", DataType.Double))),
            _ when type == typeof(EquatableArray<RouterInput>) => EquatableArray.Of(new RouterInput(A, new VariableExpr("da", DataType.Double)), new RouterInput(new VariableExpr("lo", DataType.Double), null), new RouterInput(new VariableExpr("hi", DataType.Double), null)),
            _ when type == typeof(EquatableArray<PartialTimesTangent>) => EquatableArray.Of(new PartialTimesTangent("partial", new VariableExpr("da", DataType.Double))),
            _ when type.IsEnum => Enum.GetValues(type).GetValue(Next(next, type) % Enum.GetValues(type).Length), // each value in turn
            _ => throw new InvalidOperationException($"no sample of {type.Name}: add one"),
        };
    }

    /// <summary>How many times <paramref name="type"/> was sampled before: which of its kinds (or values) comes next.</summary>
    private static int Next(Dictionary<Type, int> next, Type type)
    {
        var count = next.TryGetValue(type, out var n) ? n : 0;
        next[type] = count + 1;
        return count;
    }
}
