using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Emit;

/// <summary>
/// Emit for model types: the trainable tensor fields found at compile time become a <c>Parameters</c> list (each
/// with its gradient) and one <c>d</c>+field property per field, which the generated pullbacks add into.
/// </summary>
internal static class ModelEmitter
{
    private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"Backprop.Generator\", \"1.0.0\")]";

    public static void Emit(SourceProductionContext context, ModelParameters model)
    {
        var text = GeneratedFile.Write(model.Containing, writer => WriteMembers(writer, model));
        context.AddSource(model.Containing.HintPrefix + ".Parameters.g.cs", SourceText.From(text, System.Text.Encoding.UTF8));
    }

    private static void WriteMembers(SourceWriter writer, ModelParameters model)
    {
        var fields = model.Fields.ToList();
        writer.Line("private global::Backprop.Parameter[]? _backpropParameters;");
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line($"/// The trainable tensors of this model, found at compile time: {string.Join(", ", fields)}; each with its gradient.");
        writer.Line("/// The list and its Parameter objects live as long as the model: a field assigned another tensor is rebound");
        writer.Line("/// (Parameter.Rebind), so an optimizer's state for it carries on.");
        writer.Line("/// </summary>");
        writer.Line(GeneratedCode);
        writer.Open("public global::System.Collections.Generic.IReadOnlyList<global::Backprop.Parameter> Parameters");
        writer.Open("get");
        writer.Open("if (_backpropParameters is not { } parameters)");
        writer.Line("parameters = new global::Backprop.Parameter[]");
        writer.Line("{");
        foreach (var field in fields)
        {
            writer.Line($"    new global::Backprop.Parameter(\"{Identifier.Bare(field)}\", this.{field}),");
        }

        writer.Line("};");
        writer.Line("_backpropParameters = parameters;");
        writer.Close();
        for (var i = 0; i < fields.Count; i++)
        {
            writer.Line();
            writer.Open($"if (!ReferenceEquals(parameters[{i}].Value, this.{fields[i]}))");
            writer.Line($"parameters[{i}].Rebind(this.{fields[i]});");
            writer.Close();
        }

        writer.Line();
        writer.Line("return parameters;");
        writer.Close();
        writer.Close();
        for (var i = 0; i < fields.Count; i++)
        {
            writer.Line();
            writer.Line($"/// <summary>The gradient of the loss with respect to <see cref=\"{fields[i]}\"/>, filled by the generated …Gradient and …Backward methods.</summary>");
            writer.Line(GeneratedCode);
            writer.Line($"public global::Backprop.Tensor {Identifier.Prefixed("d", fields[i])} => Parameters[{i}].Gradient;");
        }

    }
}
