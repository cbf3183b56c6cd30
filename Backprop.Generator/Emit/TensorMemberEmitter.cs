using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>
/// Emit for tensor methods: spells a <see cref="TensorPlan"/> as <c>…Backward</c> (the forward sweep, then the backward
/// sweep, in a workspace scope) and writes <c>…Gradient</c>, which checks and clears the gradients and calls it.
/// </summary>
internal static class TensorMemberEmitter
{
    private const string Tensor = DataTypes.Tensor;

    public static void Write(SourceWriter writer, TensorPlan plan)
    {
        WriteBackward(writer, plan);
        writer.Line();
        WriteGradient(writer, plan.Method);
    }

    private static void WriteBackward(SourceWriter writer, TensorPlan plan)
    {
        var method = plan.Method;
        var program = method.Tensors!;
        var differentiable = method.Parameters.Where(p => p.HasGradient).ToList();
        var targets = differentiable.Select(p => p.Name).Concat(program.Fields.Select(f => f.Name));
        writer.Line("/// <summary>");
        writer.Line($"/// Pullback of <see cref=\"{method.Name}({ParameterDeclarations.CrefSignature(method)})\"/>: returns {method.Name} and adds dResult·∂{method.Name}/∂({string.Join(", ", targets)}) into "
            + string.Join(", ", differentiable.Select(p => p.GradientName).Concat(program.Fields.Select(f => ExprPrinter.Print(f.GradientSource)))) + ".");
        writer.Line("/// Its intermediate tensors live in a workspace scope that closes when it returns.");
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        var signature = method.Parameters.Select(p => p.Declaration())
            .Append($"{Spell(method.ReturnType)} dResult")
            .Concat(differentiable.Select(p => GradientParameter(p, "ref")));
        writer.Open($"{method.Modifiers} {Spell(method.ReturnType)} {method.Name}Backward({string.Join(", ", signature)})");
        writer.Line("using var workspace = global::Backprop.Workspace.Enter();");
        foreach (var field in program.Fields.Where(f => f.GradientName is not null))
        {
            writer.Line($"var {field.GradientName} = {ExprPrinter.Print(field.GradientSource)};");
        }

        writer.Line();
        writer.Line("// forward pass");
        SweepPrinter.Print(writer, plan.Forward);
        writer.Line();
        writer.Line("// backward pass");
        SweepPrinter.Print(writer, plan.Backward);
        writer.Line();
        writer.Line($"return {ExprPrinter.Print(program.Result.Value)};");
        writer.Close();
    }

    /// <summary>A parameter's gradient in a signature: a tensor (or array of them) the caller passes, a float by <paramref name="modifier"/>.</summary>
    private static string GradientParameter(ParameterModel p, string modifier) => p.Shape switch
    {
        ParameterShape.Tensor => $"{Tensor} {p.GradientName}",
        ParameterShape.TensorArray => $"{Tensor}[] {p.GradientName}",
        _ => $"{modifier} {Spell(p.ElementType!)} {p.GradientName}",
    };

    /// <summary>
    /// <paramref name="gradient"/> (<c>this.Blocks[i].Attention.dW</c>) read on the loop variable <paramref name="element"/>
    /// that stands for each element of <paramref name="array"/> (<c>module.Attention.dW</c>).
    /// </summary>
    private static Expr OnElement(Expr gradient, Expr array, string element) => gradient switch
    {
        IndexerExpr indexer when indexer.Collection.Equals(array) => new VariableExpr(element, indexer.Type),
        MemberExpr member => member with { Instance = OnElement(member.Instance, array, element) },
        _ => gradient,
    };

    /// <summary><c>foreach (var gradient in dWs) gradient.Clear();</c>: the gradients of a <c>Tensor[]</c>.</summary>
    private static void WriteClearEach(SourceWriter writer, string variable, string gradients)
    {
        writer.Open($"foreach (var {variable} in {gradients})");
        writer.Line($"{variable}.Clear();");
        writer.Close();
    }

    /// <summary><c>…Gradient</c>: checks the shapes of the gradients the caller passes, clears them and the model's, and calls <c>…Backward</c> with dResult = 1.</summary>
    private static void WriteGradient(SourceWriter writer, MethodModel method)
    {
        var program = method.Tensors!;
        var gradients = method.Parameters.Where(p => p.HasGradient).ToList();
        var receivers = gradients.Select(p => p.GradientName).Concat(program.Fields.Select(f => ExprPrinter.Print(f.GradientSource))).ToList();
        writer.Line("/// <summary>");
        writer.Line($"/// Value and gradient of <see cref=\"{method.Name}({ParameterDeclarations.CrefSignature(method)})\"/>: returns {method.Name}; {string.Join(", ", receivers)} {(receivers.Count == 1 ? "receives" : "receive")} ∂{method.Name}/∂({string.Join(", ", gradients.Select(p => p.Name).Concat(program.Fields.Select(f => f.Name)))}).");
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        var signature = method.Parameters.Select(p => p.Declaration())
            .Concat(gradients.Select(p => GradientParameter(p, "out")));
        writer.Open($"{method.Modifiers} {Spell(method.ReturnType)} {method.Name}Gradient({string.Join(", ", signature)})");

        // Loop variables named apart from the parameters.
        var element = NameBuilder.Numbered("module", n => method.Parameters.Any(p => p.Name == n));
        var gradient = NameBuilder.Numbered("gradient", n => method.Parameters.Any(p => p.Name == n));
        var index = NameBuilder.Numbered("i", n => method.Parameters.Any(p => p.Name == n));
        foreach (var p in gradients.Where(p => p.Shape == ParameterShape.Tensor))
        {
            writer.Open($"if (!{p.GradientName}.HasShapeOf({p.Name}))");
            writer.Line($"throw new global::System.ArgumentException($\"{method.Name}Gradient: {p.GradientName} is {{{p.GradientName}.Shape}} but {p.Name} is {{{p.Name}.Shape}}; they must match.\", nameof({p.GradientName}));");
            writer.Close();
            writer.Line();
        }

        foreach (var p in gradients.Where(p => p.Shape == ParameterShape.TensorArray))
        {
            writer.Open($"if ({p.GradientName}.Length != {p.Name}.Length)");
            writer.Line($"throw new global::System.ArgumentException($\"{method.Name}Gradient: {p.GradientName} holds {{{p.GradientName}.Length}} tensors but {p.Name} {{{p.Name}.Length}}; they must match.\", nameof({p.GradientName}));");
            writer.Close();
            writer.Line();
            writer.Open($"for (var {index} = 0; {index} < {p.Name}.Length; {index}++)");
            writer.Open($"if (!{p.GradientName}[{index}].HasShapeOf({p.Name}[{index}]))");
            writer.Line($"throw new global::System.ArgumentException($\"{method.Name}Gradient: {p.GradientName}[{{{index}}}] is {{{p.GradientName}[{index}].Shape}} but {p.Name}[{{{index}}}] is {{{p.Name}[{index}].Shape}}; they must match.\", nameof({p.GradientName}));");
            writer.Close();
            writer.Close();
            writer.Line();
        }

        foreach (var p in gradients)
        {
            switch (p.Shape)
            {
                case ParameterShape.Tensor:
                    writer.Line($"{p.GradientName}.Clear();");
                    break;
                case ParameterShape.TensorArray:
                    WriteClearEach(writer, gradient, p.GradientName!);
                    break;
                default:
                    writer.Line($"{p.GradientName} = {Literals.Zero(p.ElementType!)};");
                    break;
            }
        }

        foreach (var modules in program.Fields.Where(f => f.EveryElementOf is not null).GroupBy(f => f.EveryElementOf!))
        {
            // this.Blocks[i].Attention.dW of every element: module.Attention.dW.
            writer.Open($"foreach (var {element} in {ExprPrinter.Print(modules.Key)})");
            foreach (var (source, isArray) in modules.Select(f => (ExprPrinter.Print(OnElement(f.GradientSource, modules.Key, element)), f.IsArray)).Distinct())
            {
                if (isArray)
                {
                    WriteClearEach(writer, gradient, source);
                }
                else
                {
                    writer.Line($"{source}.Clear();");
                }
            }

            writer.Close();
        }

        foreach (var field in program.Fields.Where(f => f.EveryElementOf is null))
        {
            if (field.IsArray)
            {
                WriteClearEach(writer, gradient, ExprPrinter.Print(field.GradientSource));
            }
            else
            {
                writer.Line($"{ExprPrinter.Print(field.GradientSource)}.Clear();");
            }
        }

        var arguments = method.Parameters.Select(p => p.Name)
            .Append(Literals.One(method.ReturnType))
            .Concat(gradients.Select(p => p.Shape is ParameterShape.Tensor or ParameterShape.TensorArray ? p.GradientName! : "ref " + p.GradientName));
        writer.Line($"return {method.Name}Backward({string.Join(", ", arguments)});");
        writer.Close();
    }
}
