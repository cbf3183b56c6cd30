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
        writer.Line("/// The list is rebuilt (with zero gradients) when a field is assigned another tensor; copy into a tensor to keep it.");
        writer.Line("/// </summary>");
        writer.Line(GeneratedCode);
        writer.Open("public global::System.Collections.Generic.IReadOnlyList<global::Backprop.Parameter> Parameters");
        writer.Open("get");
        writer.Line("var parameters = _backpropParameters;");
        var stale = string.Join(" || ", fields.Select((f, i) => $"!ReferenceEquals(parameters[{i}].Value, this.{f})"));
        writer.Open($"if (parameters is null || {stale})");
        writer.Line("parameters = new global::Backprop.Parameter[]");
        writer.Line("{");
        foreach (var field in fields)
        {
            writer.Line($"    new global::Backprop.Parameter(\"{field}\", this.{field}),");
        }

        writer.Line("};");
        writer.Line("_backpropParameters = parameters;");
        writer.Close();
        writer.Line();
        writer.Line("return parameters;");
        writer.Close();
        writer.Close();
        for (var i = 0; i < fields.Count; i++)
        {
            writer.Line();
            writer.Line($"/// <summary>The gradient of the loss with respect to <see cref=\"{fields[i]}\"/>, filled by the generated …Gradient and …Backward methods.</summary>");
            writer.Line(GeneratedCode);
            writer.Line($"public global::Backprop.Tensor d{fields[i]} => Parameters[{i}].Gradient;");
        }

    }
}
