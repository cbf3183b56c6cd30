using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>
/// For a method with struct parameters (<c>Energy(Particle p, double k)</c>): the generated members take each field as
/// a parameter of its own (<c>EnergyGradient(double pX, double pV, double k, out double dpX, …)</c>); these overloads
/// take and give the structs whole (<c>EnergyGradient(Particle p, double k, out Particle dp, out double dk)</c>) and
/// call them: a struct's derivative is a struct of the same type, a field with no derivative (an int) zero in it.
/// </summary>
internal sealed class StructOverloads
{
    private readonly SourceWriter _writer;
    private readonly MethodModel _method;

    /// <summary>For each parameter that holds a field of a struct parameter: the struct and the field.</summary>
    private readonly Dictionary<string, (StructParameterModel Struct, StructFieldModel Field)> _fields = [];

    private StructOverloads(SourceWriter writer, MethodModel method)
    {
        _writer = writer;
        _method = method;
        foreach (var parameter in method.Structs)
        {
            foreach (var field in parameter.Fields)
            {
                _fields[field.Parameter] = (parameter, field);
            }
        }
    }

    /// <summary>How a parameter of a generated member is passed.</summary>
    private enum Passing
    {
        Value,
        Ref,
        Out,

        /// <summary>A span the member adds into (an array's adjoint in …Backward): in the overload, the struct's array, made when it has none.</summary>
        RefSpan,

        /// <summary>A span the member writes (an array's gradient in …Gradient): in the overload, a new array in a new struct.</summary>
        OutSpan,
    }

    /// <summary>A parameter of a generated member; <paramref name="Of"/> names the parameter it is the value, tangent, adjoint or product of.</summary>
    private sealed record Slot(string Declaration, string Name, Passing Passing, DataType? Type = null, string? Of = null);

    /// <summary>Writes the overloads of …Backward, …Gradient, …Tangent and, when they exist, …HessianVector and …Hessian.</summary>
    public static void Write(SourceWriter writer, MethodModel method, SecondOrderPlan secondOrder)
    {
        if (method.Structs.Count == 0)
        {
            return;
        }

        var overloads = new StructOverloads(writer, method);
        var gradients = method.Parameters.Where(p => p.HasGradient).ToList();
        var primals = method.Parameters.Select(p => new Slot(p.Declaration(), p.Name, Passing.Value, p.Type, p.Name)).ToList();
        var result = new Slot($"{Spell(method.ReturnType)} dResult", "dResult", Passing.Value);

        overloads.Write("Backward", [.. primals, result, .. gradients.Select(p => p.Shape == ParameterShape.Scalar
            ? new Slot($"ref {Spell(p.ElementType!)} {p.GradientName}", p.GradientName!, Passing.Ref, p.ElementType, p.Name)
            : new Slot($"global::System.Span<{Spell(p.ElementType!)}> {p.GradientName}", p.GradientName!, Passing.RefSpan, p.ElementType, p.Name))]);
        overloads.Write("Gradient", [.. primals, .. gradients.Select(p => p.Shape == ParameterShape.Scalar
            ? new Slot($"out {Spell(p.ElementType!)} {p.GradientName}", p.GradientName!, Passing.Out, p.ElementType, p.Name)
            : new Slot($"global::System.Span<{Spell(p.ElementType!)}> {p.GradientName}", p.GradientName!, Passing.OutSpan, p.ElementType, p.Name))]);
        overloads.Write("Tangent", [.. primals, .. gradients.Select(p => p.Shape == ParameterShape.Scalar
            ? new Slot($"{Spell(p.ElementType!)} {p.GradientName}", p.GradientName!, Passing.Value, p.ElementType, p.Name)
            : new Slot($"global::System.ReadOnlySpan<{Spell(p.ElementType!)}> {p.GradientName}", p.GradientName!, Passing.Value, p.ElementType, p.Name)),
            new Slot($"out {Spell(method.ReturnType)} dResult", "dResult", Passing.Out)]);
        if (secondOrder.Problem is not null)
        {
            return; // F's second-order members are obsolete-as-error; the overloads that take the struct are left out
        }

        var vectors = secondOrder.Directional.Parameters.Skip(method.Parameters.Count).ToList();
        var products = gradients.Select(p => secondOrder.Directional.Parameters.Single(d => d.Name == p.Name).GradientName!).ToList();
        overloads.Write("HessianVector", [.. primals,
            .. gradients.Select((p, i) => new Slot(vectors[i].Declaration(), vectors[i].Name, Passing.Value, p.ElementType, p.Name)),
            .. gradients.Select((p, i) => p.Shape == ParameterShape.Scalar
                ? new Slot($"out {Spell(p.ElementType!)} {products[i]}", products[i], Passing.Out, p.ElementType, p.Name)
                : new Slot($"global::System.Span<{Spell(p.ElementType!)}> {products[i]}", products[i], Passing.OutSpan, p.ElementType, p.Name))]);
        var hessian = new NameBuilder(secondOrder.Directional.ReservedNames.Append("dResult")).Unique("hessian");
        overloads.Write("Hessian", [.. primals, new Slot($"global::System.Span<{Spell(method.ReturnType)}> {hessian}", hessian, Passing.Value)]);
    }

    /// <summary>The arguments of a call of the method itself: a struct parameter made again from the parameters that hold its fields.</summary>
    public static string PrimalArguments(MethodModel method)
    {
        var arguments = new List<string>();
        var made = new HashSet<string>();
        foreach (var parameter in method.Parameters)
        {
            if (method.Structs.FirstOrDefault(s => s.Fields.Any(f => f.Parameter == parameter.Name)) is not { } whole)
            {
                arguments.Add(parameter.Name);
            }
            else if (made.Add(whole.Name))
            {
                arguments.Add(With(whole, null, whole.Type, string.Empty, whole.Fields.Select(f => (f.Member, f.Parameter)).ToList()));
            }
        }

        return string.Join(", ", arguments);
    }

    /// <summary>
    /// <paramref name="source"/> (or <c>default(type)</c> when null) with the fields <paramref name="sets"/> gives
    /// (paths under <paramref name="prefix"/>, each with its value); a nested struct's fields go through a <c>with</c> of
    /// its own: <c>dp with { Position = dp.Position with { X = dpPositionX }, Mass = dpMass }</c>; a library struct
    /// (<see cref="LibraryParts"/>) through its constructor.
    /// </summary>
    private static string With(StructParameterModel whole, string? source, string type, string prefix, List<(string Path, string Value)> sets)
    {
        if (LibraryParts.Of(type) is { } library)
        {
            // A library struct has no settable fields: its constructor takes them all (new Complex(dzReal, dzImaginary)).
            return $"new {type}({string.Join(", ", library.Select(part =>
                sets.FirstOrDefault(s => s.Path == prefix + part).Value ?? (source is null ? "default" : source + "." + part)))})";
        }

        var parts = new List<string>();
        foreach (var group in sets.GroupBy(s => s.Path.Substring(prefix.Length).Split('.')[0]))
        {
            var path = prefix + group.Key;
            parts.Add(group.Count() == 1 && group.First().Path == path
                ? $"{group.Key} = {group.First().Value}"
                : $"{group.Key} = {With(whole, source is null ? null : source + "." + group.Key, whole.Nested.Single(n => n.Path == path).Type, path + ".", group.ToList())}");
        }

        return $"{source ?? $"default({type})"} with {{ {string.Join(", ", parts)} }}";
    }

    /// <summary>
    /// Writes one overload: a struct's fields' slots in a row become one parameter of the struct type, named as the
    /// first slot is with the field left off (<c>dpX</c> → <c>dp</c>); a value is passed field by field, a ref is read
    /// into locals and written back, an out is gathered into a new struct.
    /// </summary>
    private void Write(string suffix, List<Slot> slots)
    {
        var names = new NameBuilder(_method.ReservedNames.Concat(slots.Select(s => s.Name)).Concat(_method.Structs.Select(s => s.Name)));
        var declarations = new List<string>();
        var arguments = new List<string>();
        var before = new List<string>();
        var gathered = new List<(string Owner, StructParameterModel Struct, Passing Passing, List<(string Path, string Value)> Fields)>();
        foreach (var slot in slots)
        {
            if (slot.Of is null || !_fields.TryGetValue(slot.Of, out var owner))
            {
                declarations.Add(slot.Declaration);
                arguments.Add(slot.Passing switch { Passing.Ref => "ref ", Passing.Out => "out ", _ => string.Empty } + slot.Name);
                continue;
            }

            var (parameter, field) = owner;
            var bare = Identifier.Bare(slot.Name);
            var prefix = bare.EndsWith(Identifier.Bare(field.Parameter), System.StringComparison.Ordinal) ? bare.Substring(0, bare.Length - Identifier.Bare(field.Parameter).Length) : "d";
            var name = Identifier.Escape(prefix + Identifier.Bare(parameter.Name));
            var passing = slot.Passing switch { Passing.RefSpan => Passing.Ref, Passing.OutSpan => Passing.Out, var other => other };
            if (gathered.Count == 0 || gathered[gathered.Count - 1].Owner != name)
            {
                declarations.Add(passing switch { Passing.Ref => "ref ", Passing.Out => "out ", _ => string.Empty } + parameter.Type + " " + name);
                gathered.Add((name, parameter, passing, []));
            }

            switch (slot.Passing)
            {
                case Passing.Value:
                    arguments.Add($"{name}.{field.Member}");
                    break;
                case Passing.Ref:
                    before.Add($"{Spell(slot.Type!)} {slot.Name} = {name}.{field.Member};");
                    arguments.Add("ref " + slot.Name);
                    gathered[gathered.Count - 1].Fields.Add((field.Member, slot.Name));
                    break;
                case Passing.RefSpan:
                    before.Add($"{Spell(slot.Type!)}[] {slot.Name} = {name}.{field.Member} ?? new {Spell(slot.Type!)}[{parameter.Name}.{field.Member}.Length];");
                    arguments.Add(slot.Name);
                    gathered[gathered.Count - 1].Fields.Add((field.Member, slot.Name));
                    break;
                case Passing.OutSpan:
                    before.Add($"{Spell(slot.Type!)}[] {slot.Name} = new {Spell(slot.Type!)}[{parameter.Name}.{field.Member}.Length];");
                    arguments.Add(slot.Name);
                    gathered[gathered.Count - 1].Fields.Add((field.Member, slot.Name));
                    break;
                default:
                    arguments.Add($"out {Spell(slot.Type!)} {slot.Name}");
                    gathered[gathered.Count - 1].Fields.Add((field.Member, slot.Name));
                    break;
            }
        }

        var member = _method.Name + suffix;
        var whole = string.Join(", ", _method.Structs.Select(s => $"<c>{s.Name}</c>"));
        var fields = string.Join(", ", _method.Structs.SelectMany(s => s.Fields).Select(f => f.Parameter));
        _writer.Line();
        _writer.Line($"/// <summary>{member} with {whole} whole: the overload that takes {(_method.Structs.Count == 1 ? "its" : "their")} fields one by one ({fields}) does the work.</summary>");
        _writer.Line(GeneratedFile.GeneratedCodeAttribute);
        _writer.Open($"{_method.Modifiers} {Spell(_method.ReturnType)} {member}({string.Join(", ", declarations)})");
        foreach (var line in before)
        {
            _writer.Line(line);
        }

        var call = $"{member}({string.Join(", ", arguments)})";
        var writeBack = gathered.Where(g => g.Passing != Passing.Value).ToList();
        if (writeBack.Count == 0)
        {
            _writer.Line($"return {call};");
            _writer.Close();
            return;
        }

        var result = names.Unique("result");
        _writer.Line($"var {result} = {call};");
        foreach (var (owner, parameter, passing, set) in writeBack)
        {
            _writer.Line($"{owner} = {With(parameter, passing == Passing.Ref ? owner : null, parameter.Type, string.Empty, set)};");
        }

        _writer.Line($"return {result};");
        _writer.Close();
    }
}
