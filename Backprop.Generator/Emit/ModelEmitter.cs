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
        if (model.Fields.Any(f => f.IsModule || f.IsArray))
        {
            WriteWithModules(writer, model);
            return;
        }

        var fields = model.Fields.Select(f => f.Name).ToList();
        writer.Line("private global::Backprop.Parameter[]? _backpropParameters;");
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line($"/// The trainable tensors of this model, found at compile time: {string.Join(", ", fields)}; each with its gradient.");
        writer.Line("/// The list and its Parameter objects live as long as the model: a field assigned another tensor is rebound");
        writer.Line("/// (Parameter.Rebind), so an optimizer's state for it carries on.");
        writer.Line("/// </summary>");
        OpenParametersGetter(writer, "_backpropParameters", "parameters", fields);
        writer.Line();
        writer.Line("return parameters;");
        writer.Close();
        writer.Close();
        for (var i = 0; i < fields.Count; i++)
        {
            WriteGradientProperty(writer, fields[i], $"Parameters[{i}].Gradient");
        }
    }

    /// <summary>
    /// A model with sub-modules: its own tensors' Parameter objects, then each sub-module's (named Field.Name), in
    /// declaration order. A sub-module's list is its own generated Parameters; when a sub-module field is assigned
    /// another model, the list is made again from the objects each model keeps.
    /// </summary>
    private static void WriteWithModules(SourceWriter writer, ModelParameters model)
    {
        var tensors = model.Fields.Where(f => !f.IsModule && !f.IsArray).Select(f => f.Name).ToList();
        var modules = model.Fields.Where(f => f.IsModule && !f.IsArray).Select(f => f.Name).ToList();
        var arrays = model.Fields.Where(f => f.IsArray && !f.IsModule).Select(f => f.Name).ToList();
        var moduleArrays = model.Fields.Where(f => f.IsArray && f.IsModule).ToList();
        const string List = "global::System.Collections.Generic.IReadOnlyList<global::Backprop.Parameter>";
        writer.Line("private global::Backprop.Parameter[]? _backpropTensors;");
        writer.Line("private global::Backprop.Parameter[]? _backpropParameters;");
        if (modules.Count > 0)
        {
            writer.Line($"private readonly {List}?[] _backpropModules = new {List}?[{modules.Count}];");
        }

        foreach (var array in arrays)
        {
            writer.Line($"private global::Backprop.Parameter[] {ArrayCache(array)} = [];");
            writer.Line($"private global::Backprop.Tensor[]? {GradientCache(array)};");
        }

        foreach (var array in moduleArrays)
        {
            writer.Line($"private {List}?[] {ArrayCache(array.Name)} = [];");
        }
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line($"/// The trainable tensors of this model and its sub-modules, found at compile time: {string.Join(", ", model.Fields.Select(f => f.IsModule && f.IsArray ? f.Name + "[…].*" : f.IsModule ? f.Name + ".*" : f.IsArray ? f.Name + "[…]" : f.Name))}; each with its gradient.");
        writer.Line("/// The Parameter objects live as long as the models that declare them: a field assigned another tensor is rebound");
        writer.Line("/// (Parameter.Rebind), so an optimizer's state for it carries on; a sub-module's parameters are its own, named Field.Name.");
        writer.Line("/// </summary>");
        OpenParametersGetter(writer, "_backpropTensors", "tensors", tensors);
        writer.Line();
        for (var i = 0; i < modules.Count; i++)
        {
            writer.Line($"var {ModuleLocal(i)} = this.{modules[i]}.Parameters;");
        }

        if (arrays.Count + moduleArrays.Count > 0)
        {
            writer.Line("var changed = false;");
            foreach (var array in arrays)
            {
                writer.Line($"changed |= global::Backprop.Parameter.TrackArray(ref {ArrayCache(array)}, this.{array}, \"{Identifier.Bare(array)}\");");
            }

            foreach (var array in moduleArrays)
            {
                writer.Line($"changed |= global::Backprop.Parameter.TrackModules(ref {ArrayCache(array.Name)}, this.{array.Name}, static module => module.Parameters, \"{Identifier.Bare(array.Name)}\");");
            }
        }

        var changed = (arrays.Count + moduleArrays.Count > 0 ? " || changed" : string.Empty) + string.Concat(modules.Select((m, i) => $" || !ReferenceEquals(_backpropModules[{i}], {ModuleLocal(i)})"));
        writer.Open($"if (_backpropParameters is not {{ }} parameters{changed})");
        writer.Line("var all = new global::System.Collections.Generic.List<global::Backprop.Parameter>();");
        int tensor = 0, module = 0;
        foreach (var field in model.Fields)
        {
            if (field.IsArray && field.IsModule)
            {
                writer.Line($"global::Backprop.Parameter.AddModules(all, {ArrayCache(field.Name)}, this, \"{Identifier.Bare(field.Name)}\");");
            }
            else if (field.IsArray)
            {
                writer.Line($"all.AddRange({ArrayCache(field.Name)});");
            }
            else if (field.IsModule)
            {
                writer.Open($"foreach (var parameter in {ModuleLocal(module)})");
                writer.Line($"all.Add(parameter.Within(this, \"{Identifier.Bare(field.Name)}\"));");
                writer.Close();
                writer.Line($"_backpropModules[{module}] = {ModuleLocal(module)};");
                module++;
            }
            else
            {
                writer.Line($"all.Add(tensors[{tensor++}]);");
            }
        }

        writer.Line("parameters = all.ToArray();");
        writer.Line("_backpropParameters = parameters;");
        writer.Close();
        writer.Line();
        writer.Line("return parameters;");
        writer.Close();
        writer.Close();
        writer.Line();
        writer.Line("/// <summary>This model's own tensors' parameters (made by <see cref=\"Parameters\"/> on first use).</summary>");
        writer.Open("private global::Backprop.Parameter[] BackpropTensors");
        writer.Open("get");
        writer.Line("_ = Parameters;");
        writer.Line("return _backpropTensors!;");
        writer.Close();
        writer.Close();
        for (var i = 0; i < tensors.Count; i++)
        {
            WriteGradientProperty(writer, tensors[i], $"BackpropTensors[{i}].Gradient");
        }

        foreach (var array in arrays)
        {
            writer.Line();
            writer.Line($"/// <summary>The gradients of the loss with respect to the elements of <see cref=\"{array}\"/>, filled by the generated …Gradient and …Backward methods.</summary>");
            writer.Line(GeneratedCode);
            writer.Open($"public global::Backprop.Tensor[] {Identifier.Prefixed("d", array)}");
            writer.Open("get");
            writer.Line("_ = Parameters;");
            writer.Line($"return global::Backprop.Parameter.GradientsOf({ArrayCache(array)}, ref {GradientCache(array)});");
            writer.Close();
            writer.Close();
        }
    }

    private static string ModuleLocal(int index) => $"module{index}";

    private static string ArrayCache(string field) => $"_backpropElementsOf{Identifier.Bare(field)}";

    private static string GradientCache(string field) => $"_backpropGradientsOf{Identifier.Bare(field)}";

    /// <summary>
    /// Opens <c>Parameters { get {</c> and makes this model's own tensors' Parameter objects once, in
    /// <paramref name="cache"/>, rebinding each to its field's current tensor on every read.
    /// </summary>
    private static void OpenParametersGetter(SourceWriter writer, string cache, string array, System.Collections.Generic.List<string> fields)
    {
        writer.Line(GeneratedCode);
        writer.Open("public global::System.Collections.Generic.IReadOnlyList<global::Backprop.Parameter> Parameters");
        writer.Open("get");
        writer.Open($"if ({cache} is not {{ }} {array})");
        writer.Line($"{array} = new global::Backprop.Parameter[]");
        writer.Line("{");
        foreach (var field in fields)
        {
            writer.Line($"    new global::Backprop.Parameter(\"{Identifier.Bare(field)}\", this.{field}),");
        }

        writer.Line("};");
        writer.Line($"{cache} = {array};");
        writer.Close();
        for (var i = 0; i < fields.Count; i++)
        {
            writer.Line();
            writer.Open($"if (!ReferenceEquals({array}[{i}].Value, this.{fields[i]}))");
            writer.Line($"{array}[{i}].Rebind(this.{fields[i]});");
            writer.Close();
        }
    }

    private static void WriteGradientProperty(SourceWriter writer, string field, string gradient)
    {
        writer.Line();
        writer.Line($"/// <summary>The gradient of the loss with respect to <see cref=\"{field}\"/>, filled by the generated …Gradient and …Backward methods.</summary>");
        writer.Line(GeneratedCode);
        writer.Line($"public global::Backprop.Tensor {Identifier.Prefixed("d", field)} => {gradient};");
    }
}
