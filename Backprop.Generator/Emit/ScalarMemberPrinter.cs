using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>
/// Spells a scalar method's members (<see cref="ScalarPlan"/>): the pragmas, <c>…Backward</c>, <c>…Gradient</c>,
/// <c>…Tangent</c>, the second-order members, and the overloads over struct parameters.
/// </summary>
internal static class ScalarMemberPrinter
{
    public static void Write(SourceWriter writer, ScalarPlan plan)
    {
        WritePragmas(writer, plan.Warnings);
        PullbackPrinter.Write(writer, plan.Method, plan.Pullback);
        writer.Line();
        WriteGradient(writer, plan.Method);
        writer.Line();
        TangentPrinter.WriteMember(writer, plan.Method, plan.Tangent);
        writer.Line();
        SecondOrderPrinter.Write(writer, plan.Method, plan.SecondOrder);
        StructOverloads.Write(writer, plan.Method, plan.SecondOrder);
    }

    /// <summary>The <c>#pragma</c>s that silence the warnings the generated code raises where it follows the method as written, each with why.</summary>
    public static void WritePragmas(SourceWriter writer, GeneratedWarnings warnings)
    {
        switch (warnings.UnreadLocal)
        {
            case UnreadLocal.StructField:
                writer.Line("#pragma warning disable CS0219 // a field of a struct the method makes with a constant and never reads");
                break;
            case UnreadLocal.ConstantBranch:
                writer.Line("#pragma warning disable CS0219 // a local the method reads only in the arm of a constant ?: that never runs");
                break;
            case UnreadLocal.ConstantResult:
                writer.Line("#pragma warning disable CS0219 // the method returns a constant, which the second-order pullback keeps and never reads");
                break;
        }

        if (warnings.UnreachableCode)
        {
            writer.Line("#pragma warning disable CS0162 // a condition made of constants, or a foreach whose body always returns: code that never runs");
        }

        if (warnings.SelfComparison)
        {
            writer.Line("#pragma warning disable CS1718 // a comparison of a variable with itself, as the method computes it");
        }
    }

    /// <summary>
    /// <c>…Gradient</c>: the gradients cleared (each span's length checked first), then the pullback with dResult = 1. A
    /// number's gradient adds up in a local and is written out once: an <c>out</c> parameter is memory the JIT must read
    /// and write at every <c>+=</c>, since another may alias it (a loop-free pullback, inlined here, then keeps it in a
    /// register: the sigmoid neuron's gradient 9.97 → 9.27–9.38 ns against the hand-written 8.70–9.22 on Zen 3). The local
    /// starts at −0, not 0: −0 + x is x for every x, so the JIT drops the pullback's first addition into it, where 0 + x
    /// (−0 when x is) must be added — on Zen 3 the sigmoid neuron's gradient 10.0 → 9.3 ns, the lecture's example with
    /// several paths 10.6 → 9.7, each then within 1 % of the hand-written. A gradient nothing adds into is then −0.
    /// </summary>
    private static void WriteGradient(SourceWriter writer, MethodModel method)
    {
        var gradients = method.Parameters.Where(p => p.HasGradient).ToList();
        writer.Line("/// <summary>");
        writer.Line($"/// Value and gradient of <see cref=\"{method.CrefName}({ParameterDeclarations.CrefSignature(method)})\"/>: returns {method.Name}; "
            + (gradients.Count == 0 ? "it has no differentiable parameter." : $"{string.Join(", ", gradients.Select(p => p.GradientName))} {(gradients.Count == 1 ? "receives" : "receive")} ∂{method.Name}/∂({string.Join(", ", gradients.Select(p => p.Name))})."));
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        var signature = method.Parameters.Select(p => p.Declaration())
            .Concat(gradients.Select(p => p.Shape == ParameterShape.Scalar
                ? $"out {Spell(p.ElementType!)} {p.GradientName}"
                : $"global::System.Span<{Spell(p.ElementType!)}> {p.GradientName}"));
        writer.Open($"{method.Modifiers} {Spell(method.ReturnType)} {method.Name}Gradient{method.TypeParameters}({string.Join(", ", signature)}){method.Constraints}");
        foreach (var p in gradients.Where(p => p.Shape == ParameterShape.Sequence))
        {
            FlatLayout.LengthCheck(writer, p.GradientName!, p.Name);
            writer.Line();
        }

        var names = NameBuilder.ForMembersOf(method);
        var sums = gradients.Where(p => p.Shape == ParameterShape.Scalar).ToDictionary(p => p.Name, p => names.Unique(Identifier.Bare(p.GradientName!) + "Sum"));
        foreach (var p in gradients.Where(p => p.Shape == ParameterShape.Sequence))
        {
            writer.Line($"{p.GradientName}.Clear();");
        }

        if (sums.Count > 0)
        {
            writer.Line("// each number's gradient adds up in a local, written out once at the end (an out parameter is memory); from -0, as -0 + x is x");
        }

        foreach (var p in gradients.Where(p => p.Shape == ParameterShape.Scalar))
        {
            writer.Line($"{Spell(p.ElementType!)} {sums[p.Name]} = {Literals.AdditiveIdentity(p.ElementType!)};");
        }

        var arguments = method.Parameters.Select(p => p.Name)
            .Append(Literals.One(method.ReturnType))
            .Concat(gradients.Select(p => p.Shape == ParameterShape.Scalar ? "ref " + sums[p.Name] : p.GradientName!));
        if (sums.Count == 0)
        {
            writer.Line($"return {method.Name}Backward({string.Join(", ", arguments)});");
        }
        else
        {
            var value = names.Unique("value");
            writer.Line($"{Spell(method.ReturnType)} {value} = {method.Name}Backward({string.Join(", ", arguments)});");
            foreach (var p in gradients.Where(p => p.Shape == ParameterShape.Scalar))
            {
                writer.Line($"{p.GradientName} = {sums[p.Name]};");
            }

            writer.Line($"return {value};");
        }

        writer.Close();
    }
}
