using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>
/// Writes the second-order members of a scalar method F around the pullback of its directional derivative
/// (<see cref="SecondOrderPlan"/>): <c>FDirectional</c> (∇F·v, from FTangent), <c>FHessianVector</c> (H·v: one pullback
/// of ∇F·v) and <c>FHessian</c> (one Hessian-vector product per row). When F's second derivative cannot be written,
/// FHessianVector and FHessian are obsolete-as-error members whose message (BP0016) says why, so a call to them fails
/// to compile with that reason; FDirectionalBackward then throws, so that methods calling F still compile.
/// </summary>
internal sealed class SecondOrderPrinter
{
    private const string Hidden = "[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]";

    private readonly SourceWriter _writer;
    private readonly MethodModel _method;
    private readonly MethodModel _directional;
    private readonly NameBuilder _names;

    /// <summary>F's differentiable parameters with, for each, its direction and its Hessian-vector product in FDirectional.</summary>
    private readonly List<(ParameterModel Primal, ParameterModel Vector, string Product)> _inputs = [];

    /// <summary>The buffers the member being written rents.</summary>
    private readonly PooledBuffers _pooled;

    private SecondOrderPrinter(SourceWriter writer, MethodModel method, MethodModel directional)
    {
        _writer = writer;
        _method = method;
        _directional = directional;
        _names = new NameBuilder(directional.ReservedNames.Append("dResult"));
        _pooled = new PooledBuffers(writer, _names);
        var differentiable = method.Parameters.Where(p => p.HasGradient).ToList();
        var vectors = directional.Parameters.Skip(method.Parameters.Count).ToList();
        for (var i = 0; i < differentiable.Count; i++)
        {
            _inputs.Add((differentiable[i], vectors[i], directional.Parameters.Single(p => p.Name == differentiable[i].Name).GradientName!));
        }
    }

    public static void Write(SourceWriter writer, MethodModel method, SecondOrderPlan plan)
    {
        var second = new SecondOrderPrinter(writer, method, plan.Directional);
        second.WriteDirectional();
        writer.Line();
        if (plan.Problem is { } problem)
        {
            second.WriteUnsupported(problem);
            return;
        }

        PullbackPrinter.Write(writer, plan.Directional, plan.Pullback!);
        writer.Line();
        second.WriteHessianVector();
        writer.Line();
        second.WriteHessian();
    }

    private string F => _method.Name;

    private string One => Literals.One(_method.ReturnType);

    private string Crefs => $"<see cref=\"{_method.CrefName}({ParameterDeclarations.CrefSignature(_method)})\"/>";

    private string Primals => string.Join(", ", _method.Parameters.Select(p => p.Name));

    private string Vectors => string.Join(", ", _inputs.Select(i => i.Vector.Name));

    private string Inputs => string.Join(", ", _inputs.Select(i => i.Primal.Name));

    private void WriteDirectional()
    {
        _writer.Line("/// <summary>");
        _writer.Line($"/// The directional derivative of {Crefs} along ({Vectors}): ∇{F}·v, the dResult of {F}Tangent. Its pullback, {F}{SecondOrderPlan.Suffix}Backward, gives the Hessian-vector product.");
        _writer.Line("/// </summary>");
        _writer.Line(GeneratedFile.GeneratedCodeAttribute);
        _writer.Line(Hidden);
        _writer.Open($"{_method.Modifiers} {Spell(_method.ReturnType)} {F}{SecondOrderPlan.Suffix}{_method.TypeParameters}({Declarations(_directional.Parameters)}){_method.Constraints}");
        var tangents = _method.Parameters.Select(p => p.Name).Concat(_inputs.Select(i => i.Vector.Name)).Append("out var dResult");
        _writer.Line($"{F}Tangent({string.Join(", ", tangents)});");
        _writer.Line("return dResult;");
        _writer.Close();
    }

    private void WriteHessianVector()
    {
        _writer.Line("/// <summary>");
        _writer.Line($"/// Hessian-vector product of {Crefs}: returns {F}; ({string.Join(", ", _inputs.Select(i => i.Product))}) = H·({Vectors}), H the Hessian of {F} over ({Inputs}).");
        _writer.Line($"/// It is the pullback of the directional derivative ∇{F}·v, {F}{SecondOrderPlan.Suffix}Backward (reverse mode over forward mode).");
        _writer.Line("/// </summary>");
        _writer.Line(GeneratedFile.GeneratedCodeAttribute);
        _writer.Open(HessianVectorHeader);
        foreach (var (primal, vector, product) in _inputs.Where(i => i.Primal.Shape == ParameterShape.Sequence))
        {
            FlatLayout.LengthCheck(_writer, vector.Name, primal.Name);
            FlatLayout.LengthCheck(_writer, product, primal.Name);
            _writer.Line();
        }

        foreach (var (primal, _, product) in _inputs)
        {
            _writer.Line(primal.Shape == ParameterShape.Scalar ? $"{product} = {Literals.Zero(primal.ElementType!)};" : $"{product}.Clear();");
        }

        var gradients = GradientScratch("the gradient, which the same pullback gives: not asked for here");
        var arguments = new[] { Primals, Vectors, One }
            .Concat(_inputs.Select(i => i.Primal.Shape == ParameterShape.Scalar ? "ref " + i.Product : i.Product))
            .Concat(gradients);
        _writer.Line($"{F}{SecondOrderPlan.Suffix}Backward({string.Join(", ", arguments.Where(a => a.Length > 0))});");
        _pooled.ReturnAll();
        _writer.Line($"return {F}({StructOverloads.PrimalArguments(_method)});");
        _writer.Close();
    }

    private void WriteHessian()
    {
        var hessian = _names.Unique("hessian");
        var n = _names.Unique("n");
        var row = _names.Unique("row");
        var offsets = FlatLayout.Offsets(_inputs.Select(i => i.Primal).ToList());
        _writer.Line("/// <summary>");
        _writer.Line($"/// Hessian of {Crefs} over its differentiable inputs flattened in declaration order ({string.Join(", ", _inputs.Select(i => i.Primal.Shape == ParameterShape.Scalar ? i.Primal.Name : i.Primal.Name + "[0], …"))}):");
        _writer.Line($"/// returns {F}; {hessian} is n×n row-major, n = {offsets[_inputs.Count]}; row k is H·eₖ, one Hessian-vector product.");
        _writer.Line($"/// A {hessian} of another length throws <see cref=\"global::System.ArgumentException\"/>.");
        _writer.Line("/// </summary>");
        _writer.Line(GeneratedFile.GeneratedCodeAttribute);
        var declarations = _method.Parameters.Select(p => p.Declaration()).Append($"global::System.Span<{Spell(_method.ReturnType)}> {hessian}");
        _writer.Open($"{_method.Modifiers} {Spell(_method.ReturnType)} {F}Hessian{_method.TypeParameters}({string.Join(", ", declarations)}){_method.Constraints}");
        _writer.Line($"int {n} = {offsets[_inputs.Count]};");
        _writer.Open($"if ({hessian}.Length != {n} * {n})");
        _writer.Line($"throw new global::System.ArgumentException($\"{hessian} has length {{{hessian}.Length}} but {F} has {{{n}}} differentiable inputs: it must have {{{n}}}·{{{n}}} = {{{n} * {n}}}.\", nameof({hessian}));");
        _writer.Close();
        _writer.Line();
        foreach (var (primal, vector, _) in _inputs.Where(i => i.Primal.Shape == ParameterShape.Sequence))
        {
            _pooled.Rent(vector.Name, primal, "the direction: eₖ in turn");
        }

        foreach (var (primal, _, product) in _inputs.Where(i => i.Primal.Shape == ParameterShape.Sequence && i.Primal.ElementType != _method.ReturnType))
        {
            _pooled.Rent(product, primal, $"row k of H for {primal.Name}, in its own precision");
        }

        var gradients = GradientScratch("the gradient, which every pullback gives: not asked for here");
        _writer.Line($"{hessian}.Clear(); // the pullback adds row k of H into row k");
        _writer.Open($"for (int {row} = 0; {row} < {n}; {row}++)");
        for (var i = 0; i < _inputs.Count; i++)
        {
            var (primal, vector, _) = _inputs[i];
            if (primal.Shape == ParameterShape.Scalar)
            {
                _writer.Line($"{Spell(primal.ElementType!)} {vector.Name} = {row} == {offsets[i]} ? {Literals.One(primal.ElementType!)} : {Literals.Zero(primal.ElementType!)};");
            }
            else
            {
                _writer.Open(FlatLayout.InRange(row, offsets[i], offsets[i + 1]));
                _writer.Line($"{vector.Name}[{FlatLayout.Minus(row, offsets[i])}] = {Literals.One(primal.ElementType!)};");
                _writer.Close();
            }
        }

        // An input of another precision than F's result (a float parameter of a double method) lands in the row through a
        // local of its own type.
        var products = new List<string>();
        var copies = new List<string>();
        for (var i = 0; i < _inputs.Count; i++)
        {
            var (primal, _, product) = _inputs[i];
            var at = offsets[i] == "0" ? $"{row} * {n}" : $"{row} * {n} + {FlatLayout.Grouped(offsets[i])}";
            if (primal.ElementType == _method.ReturnType)
            {
                products.Add(primal.Shape == ParameterShape.Scalar ? $"ref {hessian}[{at}]" : $"{hessian}.Slice({at}, {primal.Name}.Length)");
            }
            else if (primal.Shape == ParameterShape.Scalar)
            {
                _writer.Line($"{Spell(primal.ElementType!)} {product} = {Literals.Zero(primal.ElementType!)};");
                products.Add("ref " + product);
                copies.Add($"{hessian}[{at}] = ({Spell(_method.ReturnType)}){product};");
            }
            else
            {
                _writer.Line($"{product}.Clear();");
                products.Add(product);
                var j = _names.Unique("j");
                copies.Add($"for (int {j} = 0; {j} < {primal.Name}.Length; {j}++) {hessian}[{at} + {j}] = ({Spell(_method.ReturnType)}){product}[{j}];");
            }
        }

        var arguments = new[] { Primals, Vectors, One }.Concat(products).Concat(gradients);
        _writer.Line($"{F}{SecondOrderPlan.Suffix}Backward({string.Join(", ", arguments.Where(a => a.Length > 0))});");
        foreach (var copy in copies)
        {
            _writer.Line(copy);
        }

        for (var i = 0; i < _inputs.Count; i++)
        {
            if (_inputs[i].Primal.Shape == ParameterShape.Sequence)
            {
                _writer.Open(FlatLayout.InRange(row, offsets[i], offsets[i + 1]));
                _writer.Line($"{_inputs[i].Vector.Name}[{FlatLayout.Minus(row, offsets[i])}] = {Literals.Zero(_inputs[i].Primal.ElementType!)};");
                _writer.Close();
            }
        }

        _writer.Close();
        _writer.Line();
        _pooled.ReturnAll();
        _writer.Line($"return {F}({StructOverloads.PrimalArguments(_method)});");
        _writer.Close();
    }

    /// <summary>Locals for the pullback's adjoints of the directions (∂F/∂x): scalars, and pooled spans for sequences.</summary>
    private IEnumerable<string> GradientScratch(string comment)
    {
        var arguments = new List<string>();
        foreach (var (primal, vector, _) in _inputs)
        {
            if (primal.Shape == ParameterShape.Scalar)
            {
                _writer.Line($"{Spell(primal.ElementType!)} {vector.GradientName} = {Literals.Zero(primal.ElementType!)}; // {comment}");
                arguments.Add("ref " + vector.GradientName);
            }
            else
            {
                arguments.Add(_pooled.Rent(vector.GradientName!, primal, comment));
            }
        }

        return arguments;
    }

    /// <summary>F calls through a first-order [DerivativeRule]: calls of F's second-order members fail to compile, saying so.</summary>
    private void WriteUnsupported(string problem)
    {
        var message = $"{F} has no second derivative: {problem}";
        var literal = "\"" + message.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", " ").Replace("\n", " ") + "\"";
        var summary = $"/// <summary>Not available: {message.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\r", " ").Replace("\n", " ")}</summary>";
        var obsolete = $"[global::System.Obsolete({literal}, error: true, DiagnosticId = \"BP0016\", UrlFormat = \"{DiagnosticDescriptors.DocsUrl}#bp0016\")]";
        var throwing = $"throw new global::System.NotSupportedException({literal});";

        Throwing(Hidden, $"{_method.Modifiers} {Spell(_method.ReturnType)} {F}{SecondOrderPlan.Suffix}Backward{_method.TypeParameters}({string.Join(", ", PullbackPrinter.Parameters(_directional))}){_method.Constraints}");
        _writer.Line();
        Throwing(obsolete, HessianVectorHeader);
        _writer.Line();
        Throwing(obsolete, $"{_method.Modifiers} {Spell(_method.ReturnType)} {F}Hessian{_method.TypeParameters}({string.Join(", ", _method.Parameters.Select(p => p.Declaration()).Append($"global::System.Span<{Spell(_method.ReturnType)}> {_names.Unique("hessian")}"))}){_method.Constraints}");

        // A member that only throws why, under the summary that says it, with its attribute.
        void Throwing(string attribute, string header)
        {
            _writer.Line(summary);
            _writer.Line(GeneratedFile.GeneratedCodeAttribute);
            _writer.Line(attribute);
            _writer.Open(header);
            _writer.Line(throwing);
            _writer.Close();
        }
    }

    /// <summary>FHessianVector's declaration: F's parameters, the directions, then the products (out scalars, spans).</summary>
    private string HessianVectorHeader => $"{_method.Modifiers} {Spell(_method.ReturnType)} {F}HessianVector{_method.TypeParameters}({string.Join(", ", _directional.Parameters.Select(p => p.Declaration()).Concat(_inputs.Select(i => i.Primal.Shape == ParameterShape.Scalar
        ? $"out {Spell(i.Primal.ElementType!)} {i.Product}"
        : $"global::System.Span<{Spell(i.Primal.ElementType!)}> {i.Product}")))}){_method.Constraints}";

    private static string Declarations(IEnumerable<ParameterModel> parameters) => string.Join(", ", parameters.Select(p => p.Declaration()));
}
