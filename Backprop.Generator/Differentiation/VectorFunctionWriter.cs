using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The members of a vector-valued function <c>static void G(ReadOnlySpan&lt;double&gt; x, double k, Span&lt;double&gt; y)</c>,
/// whose results are its Span outputs: <c>GTangent</c> (forward mode: the outputs' tangents), <c>GBackward</c> (the
/// pullback: dy·∂y/∂inputs added into the inputs' adjoints) and <c>GJacobian</c> (m×n, one sweep per input or per output,
/// whichever is fewer). The pullback is the scalar one: an output is an array the body writes, whose adjoint starts as dy
/// instead of zero.
/// </summary>
internal sealed class VectorFunctionWriter
{
    private readonly SourceWriter _writer;
    private readonly MethodModel _method;
    private readonly string _generatedCode;
    private readonly NameBuilder _names;
    private readonly List<ParameterModel> _inputs;
    private readonly List<ParameterModel> _outputs;

    /// <summary>The buffers the member being written rents.</summary>
    private readonly PooledBuffers _pooled;

    private VectorFunctionWriter(SourceWriter writer, MethodModel method, string generatedCode)
    {
        _writer = writer;
        _method = method;
        _generatedCode = generatedCode;
        _names = NamesFor(method);
        _inputs = method.Parameters.Where(p => p.HasGradient && !p.IsOutput).ToList();
        _outputs = method.Parameters.Where(p => p.IsOutput).ToList();
        _pooled = new PooledBuffers(writer, _names);
    }

    /// <summary>A fresh name builder for a member of its own: the method's names and its parameters' gradients are taken.</summary>
    private static NameBuilder NamesFor(MethodModel method) =>
        new(method.ReservedNames.Concat(method.Parameters.Select(p => p.Name)).Concat(method.Parameters.Where(p => p.HasGradient).Select(p => p.GradientName!)));

    /// <summary>Outputs up to this long keep their adjoints and values on the stack in …Backward.</summary>
    private const int StackLimit = 128;

    private string G => _method.Name;

    private string Crefs => $"<see cref=\"{G}({_method.Signature})\"/>";

    /// <summary>The type of the Jacobian's entries: the first output's.</summary>
    private string Entry => _outputs[0].ElementType!;

    public static void Write(SourceWriter writer, MethodModel method, string generatedCode, out Stager stager)
    {
        var vector = new VectorFunctionWriter(writer, method, generatedCode);
        TangentWriter.Write(writer, method);
        writer.Line();
        var (model, frame) = vector.BackwardFrame();
        var pullback = Differentiator.Pullback.Of(model, frame);
        stager = pullback.Stager;
        writer.Append(pullback.Text);
        writer.Line();
        var rows = vector.RowsPullback();
        vector.WriteJacobian(rows is not null);
        if (rows is not null)
        {
            writer.Line();
            writer.Append(rows.Text);
        }
    }

    /// <summary>The private member that fills a Jacobian's rows in reverse mode from one forward pass.</summary>
    private string RowsName => G + "JacobianRows";

    /// <summary>
    /// <c>GJacobianRows</c>: one forward pass, then the backward pass once per output, each adding the pullback of its
    /// unit vector into its row of the Jacobian (cleared by the caller) — when the backward pass can run again from the
    /// same forward pass (<see cref="Differentiator.Pullback.Rows"/>) and every input's adjoint is a piece of the
    /// Jacobian (inputs of the entries' precision); else null, and the Jacobian calls <c>GBackward</c> once per row.
    /// </summary>
    private Differentiator.Pullback? RowsPullback()
    {
        if (_inputs.Any(p => p.ElementType != Entry))
        {
            return null;
        }

        var names = NamesFor(_method);
        var (jacobian, m, n, row) = (names.Unique("jacobian"), names.Unique("m"), names.Unique("n"), names.Unique("row"));
        var pending = _outputs.ToDictionary(o => o.Name, o => names.Unique(Identifier.Bare(o.GradientName!) + "Pending"));
        var (inputOffsets, outputOffsets) = (FlatLayout.Offsets(_inputs), FlatLayout.Offsets(_outputs));
        var preamble = new SourceWriter();
        SpanChecks.Write(preamble, _method, []);
        preamble.Line($"int {m} = {outputOffsets[_outputs.Count]};");
        preamble.Line($"int {n} = {inputOffsets[_inputs.Count]};");
        var start = new List<string>();
        var epilogue = new List<string>();
        var reserved = new List<string> { jacobian, m, n, row };
        for (var o = 0; o < _outputs.Count; o++)
        {
            var (output, name) = (_outputs[o], pending[_outputs[o].Name]);
            var element = output.ElementType!;
            if (output.IsOutParameter)
            {
                preamble.Line($"{output.Name} = {Literals.Zero(element)}; // assigned below");
                start.Add($"{element} {name} = {row} == {outputOffsets[o]} ? {Literals.One(element)} : {Literals.Zero(element)}; // ∂/∂{output.Name} in this row");
                continue;
            }

            var rented = names.Unique(Identifier.Bare(output.Name) + "Rented");
            reserved.Add(rented);
            preamble.Line($"{element}[]? {rented} = {output.Name}.Length > {StackLimit} ? global::System.Buffers.ArrayPool<{element}>.Shared.Rent({output.Name}.Length) : null;");
            preamble.Line($"global::System.Span<{element}> {name} = {rented} is null ? stackalloc {element}[{output.Name}.Length] : new global::System.Span<{element}>({rented}, 0, {output.Name}.Length); // the unit vector of each row in turn, used up as the backward pass hands it on");
            start.Add($"{name}.Clear();");
            start.Add($"{FlatLayout.InRange(row, outputOffsets[o], outputOffsets[o + 1])} {name}[{FlatLayout.Minus(row, outputOffsets[o])}] = {Literals.One(element)};");
            epilogue.Add($"if ({rented} is not null) global::System.Buffers.ArrayPool<{element}>.Shared.Return({rented});");
        }

        for (var i = 0; i < _inputs.Count; i++)
        {
            var input = _inputs[i];
            var at = inputOffsets[i] == "0" ? $"{row} * {n}" : $"{row} * {n} + {FlatLayout.Grouped(inputOffsets[i])}";
            start.Add(input.Shape == ParameterShape.Scalar
                ? $"ref {Entry} {input.GradientName} = ref {jacobian}[{at}];"
                : $"global::System.Span<{Entry}> {input.GradientName} = {jacobian}.Slice({at}, {input.Name}.Length);");
        }

        var model = _method with
        {
            Parameters = _method.Parameters.Select(p => p.IsOutput ? p with { GradientName = pending[p.Name] } : p).ToEquatableArray(),
            ReservedNames = _method.ReservedNames.Concat(pending.Values).Concat(reserved).ToEquatableArray(),
        };
        var doc = new[]
        {
            "/// <summary>",
            $"/// The rows of {G}Jacobian in reverse mode: {G}'s forward pass once, writing its results into {Names(_outputs)}, then the backward pass",
            $"/// once per output, adding the pullback of its unit vector into that row of {jacobian} (which the caller cleared).",
            "/// </summary>",
        };
        var header = $"private static void {RowsName}({string.Join(", ", _method.Parameters.Select(p => p.Declaration).Append($"global::System.Span<{Entry}> {jacobian}"))})";
        return Differentiator.Pullback.Rows(model, new BackwardFrame(doc, header, preamble, [], epilogue)
        {
            Rows = new RowSweeps($"for (int {row} = 0; {row} < {m}; {row}++)", start),
        });
    }

    /// <summary>
    /// GBackward: the model whose outputs' adjoints are pooled copies of dy (the backward pass uses them up), and the frame
    /// the pullback is written in: its declaration, the checks and copies before the forward pass, the returns after.
    /// </summary>
    private (MethodModel Model, BackwardFrame Frame) BackwardFrame()
    {
        var pending = _outputs.ToDictionary(o => o.Name, o => _names.Unique(Identifier.Bare(o.GradientName!) + "Pending"));
        var values = _outputs.ToDictionary(o => o.Name, o => _names.Unique(Identifier.Bare(o.Name) + (o.IsOutParameter ? "Value" : "Values")));
        var model = _method with
        {
            Parameters = _method.Parameters.Select(p => p.IsOutput ? p with { GradientName = pending[p.Name] } : p).ToEquatableArray(),
            ReservedNames = _method.ReservedNames.Concat(pending.Values).Concat(values.Values).ToEquatableArray(),
        };
        var parameters = _method.Parameters.Select(p => p.Declaration)
            .Concat(_outputs.Select(o => o.IsOutParameter ? $"{o.ElementType} {o.GradientName}" : $"global::System.ReadOnlySpan<{o.ElementType}> {o.GradientName}"))
            .Concat(_inputs.Select(p => p.Shape == ParameterShape.Scalar ? $"ref {p.ElementType} {p.GradientName}" : $"global::System.Span<{p.ElementType}> {p.GradientName}"));
        var doc = new[]
        {
            "/// <summary>",
            $"/// Pullback of {Crefs}: writes {G}'s results into {Names(_outputs)} and adds {string.Join(" + ", _outputs.Select(o => $"{o.GradientName}·∂{o.Name}"))}/∂({Names(_inputs)}) into {string.Join(", ", _inputs.Select(p => p.GradientName))}",
            "/// (a vector-Jacobian product).",
            "/// </summary>",
        };

        var preamble = new SourceWriter();
        SpanChecks.Write(preamble, _method, _outputs.Concat(_inputs).Where(p => p.Shape == ParameterShape.Sequence).Select(p => (p.GradientName!, p.Name)));

        // The backward pass restores what the forward pass overwrote, outputs included: their values wait in a copy.
        var afterForward = new List<string>();
        var epilogue = new List<string>();
        var returns = new List<string>();
        foreach (var output in _outputs)
        {
            var (element, name, kept) = (output.ElementType!, pending[output.Name], values[output.Name]);
            if (output.IsOutParameter)
            {
                preamble.Line($"{output.Name} = {Literals.Zero(element)}; // assigned below; the forward pass may save what it held");
                preamble.Line($"{element} {name} = {output.GradientName}; // {output.GradientName}, used up as the backward pass hands it on");
                afterForward.Add($"{element} {kept} = {output.Name};");
                epilogue.Add($"{output.Name} = {kept};");
                continue;
            }

            // Two spans as long as the output: on the stack when short, else from the shared pool (no allocation either way).
            var rented = _names.Unique(Identifier.Bare(output.Name) + "Rented");
            preamble.Line($"{element}[]? {rented} = {output.Name}.Length > {StackLimit} ? global::System.Buffers.ArrayPool<{element}>.Shared.Rent(2 * {output.Name}.Length) : null;");
            preamble.Line($"global::System.Span<{element}> {name} = {rented} is null ? stackalloc {element}[{output.Name}.Length] : new global::System.Span<{element}>({rented}, 0, {output.Name}.Length); // {output.GradientName}, used up as the backward pass hands it on");
            preamble.Line($"global::System.Span<{element}> {kept} = {rented} is null ? stackalloc {element}[{output.Name}.Length] : new global::System.Span<{element}>({rented}, {output.Name}.Length, {output.Name}.Length); // {G}'s results, while the backward pass rewinds {output.Name}");
            preamble.Line($"{output.GradientName}.CopyTo({name});");
            afterForward.Add($"{output.Name}.CopyTo({kept});");
            epilogue.Add($"{kept}.CopyTo({output.Name});");
            returns.Add($"if ({rented} is not null) global::System.Buffers.ArrayPool<{element}>.Shared.Return({rented});");
        }

        epilogue.AddRange(returns);
        return (model, new BackwardFrame(doc, $"{_method.Modifiers} void {G}Backward({string.Join(", ", parameters)})", preamble, afterForward, epilogue));
    }

    private void WriteJacobian(bool byRows)
    {
        var jacobian = _names.Unique("jacobian");
        var m = _names.Unique("m");
        var n = _names.Unique("n");
        var inputOffsets = FlatLayout.Offsets(_inputs);
        var outputOffsets = FlatLayout.Offsets(_outputs);
        _writer.Line("/// <summary>");
        _writer.Line($"/// Jacobian of {Crefs}: writes {G}'s results into {Names(_outputs)}, and into {jacobian} the m×n matrix ∂({Flattened(_outputs)})/∂({Flattened(_inputs)}),");
        _writer.Line($"/// row-major, m = {outputOffsets[_outputs.Count]}, n = {inputOffsets[_inputs.Count]}: the outputs down, the differentiable inputs across, each flattened in declaration order.");
        _writer.Line($"/// Chosen at run time from the lengths: forward mode (one {G}Tangent per input) when n ≤ m, else reverse mode ({(byRows ? "one forward pass, then a backward pass per output" : $"one {G}Backward per output")}).");
        _writer.Line($"/// A {jacobian} of another length throws <see cref=\"global::System.ArgumentException\"/>.");
        _writer.Line("/// </summary>");
        _writer.Line(_generatedCode);
        _writer.Open($"{_method.Modifiers} void {G}Jacobian({string.Join(", ", _method.Parameters.Select(p => p.Declaration).Append($"global::System.Span<{Entry}> {jacobian}"))})");
        _writer.Line($"int {m} = {outputOffsets[_outputs.Count]};");
        _writer.Line($"int {n} = {inputOffsets[_inputs.Count]};");
        _writer.Open($"if ({jacobian}.Length != {m} * {n})");
        _writer.Line($"throw new global::System.ArgumentException($\"{jacobian} has length {{{jacobian}.Length}} but {G} has {{{m}}} outputs and {{{n}}} differentiable inputs: it must have {{{m}}}·{{{n}}} = {{{m} * {n}}}.\", nameof({jacobian}));");
        _writer.Close();
        _writer.Line();
        foreach (var output in _outputs.Where(o => o.IsOutParameter))
        {
            _writer.Line($"{output.Name} = {Literals.Zero(output.ElementType!)}; // written by every sweep below");
        }

        if (_inputs.All(p => p.Shape == ParameterShape.Sequence))
        {
            _writer.Open($"if ({n} == 0)");
            _writer.Line($"{G}({string.Join(", ", _method.Parameters.Select(p => p.Argument))}); // no input to differentiate by: only the results");
            _writer.Line("return;");
            _writer.Close();
            _writer.Line();
        }

        _writer.Open($"if ({n} <= {m})");
        WriteForwardSweeps(jacobian, n, inputOffsets, outputOffsets);
        _writer.Close();
        _writer.Open("else");
        if (byRows)
        {
            _writer.Line($"// reverse mode: one forward pass, then a backward pass per output, each filling its row");
            _writer.Line($"{jacobian}.Clear(); // each backward pass adds into its own row");
            _writer.Line($"{RowsName}({string.Join(", ", _method.Parameters.Select(p => p.Argument).Append(jacobian))});");
        }
        else
        {
            WriteReverseSweeps(jacobian, m, n, inputOffsets, outputOffsets);
        }

        _writer.Close();
        _writer.Close();
    }

    /// <summary>Column k of the Jacobian is the outputs' tangent along eₖ.</summary>
    private void WriteForwardSweeps(string jacobian, string n, List<string> inputOffsets, List<string> outputOffsets)
    {
        var column = _names.Unique("column");
        _writer.Line($"// forward mode, one {G}Tangent per input: the tangents along the {column}-th unit vector fill that column");
        foreach (var input in _inputs.Where(p => p.Shape == ParameterShape.Sequence))
        {
            _pooled.Rent(input.GradientName!, input, "the direction: eₖ in turn");
        }

        foreach (var output in _outputs)
        {
            if (output.IsOutParameter)
            {
                _writer.Line($"{output.ElementType} {output.GradientName} = {Literals.Zero(output.ElementType!)}; // the tangent of {output.Name}");
            }
            else
            {
                _pooled.Rent(output.GradientName!, output, "the tangent of " + output.Name);
            }
        }

        _writer.Open($"for (int {column} = 0; {column} < {n}; {column}++)");
        for (var i = 0; i < _inputs.Count; i++)
        {
            var input = _inputs[i];
            if (input.Shape == ParameterShape.Scalar)
            {
                _writer.Line($"{input.ElementType} {input.GradientName} = {column} == {inputOffsets[i]} ? {Literals.One(input.ElementType!)} : {Literals.Zero(input.ElementType!)};");
            }
            else
            {
                SetInRange(column, inputOffsets[i], inputOffsets[i + 1], input, Literals.One(input.ElementType!));
            }
        }

        var arguments = _method.Parameters.Where(p => !p.IsOutput).Select(p => p.Name)
            .Concat(_inputs.Select(p => p.GradientName!))
            .Concat(_outputs.Select(o => o.Argument))
            .Concat(_outputs.Select(o => (o.IsOutParameter ? "out " : string.Empty) + o.GradientName));
        _writer.Line($"{G}Tangent({string.Join(", ", arguments)});");
        foreach (var input in _inputs.Where(p => p.Shape == ParameterShape.Sequence))
        {
            SetInRange(column, inputOffsets[_inputs.IndexOf(input)], inputOffsets[_inputs.IndexOf(input) + 1], input, Literals.Zero(input.ElementType!));
        }

        for (var o = 0; o < _outputs.Count; o++)
        {
            var output = _outputs[o];
            if (output.IsOutParameter)
            {
                var at = outputOffsets[o] switch
                {
                    "0" => column,
                    "1" => $"{n} + {column}",
                    var offset => $"{FlatLayout.Grouped(offset)} * {n} + {column}",
                };
                _writer.Line($"{jacobian}[{at}] = {Converted(output.GradientName!, output.ElementType!)};");
                continue;
            }

            var i = _names.Unique("i");
            var row = outputOffsets[o] == "0" ? i : $"{FlatLayout.Grouped(outputOffsets[o])} + {i}";
            _writer.Open($"for (int {i} = 0; {i} < {output.Name}.Length; {i}++)");
            _writer.Line($"{jacobian}[{FlatLayout.Grouped(row)} * {n} + {column}] = {Converted(output.GradientName + "[" + i + "]", output.ElementType!)};");
            _writer.Close();
        }

        _writer.Close();
        _pooled.ReturnAll();
    }

    /// <summary>Row k of the Jacobian is the pullback of eₖ: ∇ of the k-th output.</summary>
    private void WriteReverseSweeps(string jacobian, string m, string n, List<string> inputOffsets, List<string> outputOffsets)
    {
        var row = _names.Unique("row");
        _writer.Line($"// reverse mode, one {G}Backward per output: the pullback of the {row}-th unit vector fills that row");
        foreach (var output in _outputs.Where(o => !o.IsOutParameter))
        {
            _pooled.Rent(output.GradientName!, output, "the output's adjoint: eₖ in turn");
        }

        var adjoints = new List<string>();
        var copies = new List<string>();
        foreach (var input in _inputs.Where(p => p.ElementType != Entry && p.Shape == ParameterShape.Sequence))
        {
            _pooled.Rent(input.GradientName!, input, $"row {row} for {input.Name}, in its own precision");
        }

        _writer.Line($"{jacobian}.Clear(); // each {G}Backward adds into its own row");
        _writer.Open($"for (int {row} = 0; {row} < {m}; {row}++)");
        for (var o = 0; o < _outputs.Count; o++)
        {
            var output = _outputs[o];
            if (output.IsOutParameter)
            {
                _writer.Line($"{output.ElementType} {output.GradientName} = {row} == {outputOffsets[o]} ? {Literals.One(output.ElementType!)} : {Literals.Zero(output.ElementType!)};");
            }
            else
            {
                SetInRange(row, outputOffsets[o], outputOffsets[o + 1], output, Literals.One(output.ElementType!));
            }
        }

        for (var i = 0; i < _inputs.Count; i++)
        {
            var input = _inputs[i];
            var at = inputOffsets[i] == "0" ? $"{row} * {n}" : $"{row} * {n} + {FlatLayout.Grouped(inputOffsets[i])}";
            if (input.ElementType == Entry)
            {
                adjoints.Add(input.Shape == ParameterShape.Scalar ? $"ref {jacobian}[{at}]" : $"{jacobian}.Slice({at}, {input.Name}.Length)");
            }
            else if (input.Shape == ParameterShape.Scalar)
            {
                _writer.Line($"{input.ElementType} {input.GradientName} = {Literals.Zero(input.ElementType!)};");
                adjoints.Add("ref " + input.GradientName);
                copies.Add($"{jacobian}[{at}] = ({Entry}){input.GradientName};");
            }
            else
            {
                _writer.Line($"{input.GradientName}.Clear();");
                adjoints.Add(input.GradientName!);
                var j = _names.Unique("j");
                copies.Add($"for (int {j} = 0; {j} < {input.Name}.Length; {j}++) {jacobian}[{at} + {j}] = ({Entry}){input.GradientName}[{j}];");
            }
        }

        var arguments = _method.Parameters.Select(p => p.Argument).Concat(_outputs.Select(o => o.GradientName!)).Concat(adjoints);
        _writer.Line($"{G}Backward({string.Join(", ", arguments)});");
        foreach (var copy in copies)
        {
            _writer.Line(copy);
        }

        foreach (var o in Enumerable.Range(0, _outputs.Count).Where(o => !_outputs[o].IsOutParameter))
        {
            SetInRange(row, outputOffsets[o], outputOffsets[o + 1], _outputs[o], Literals.Zero(_outputs[o].ElementType!));
        }

        _writer.Close();
        _pooled.ReturnAll();
    }

    private string Converted(string value, string type) => type == Entry ? value : $"({Entry}){value}";

    /// <summary>Sets element k - start of <paramref name="sequence"/>'s buffer when k falls in [start, end).</summary>
    private void SetInRange(string k, string start, string end, ParameterModel sequence, string value)
    {
        _writer.Open(FlatLayout.InRange(k, start, end));
        _writer.Line($"{sequence.GradientName}[{FlatLayout.Minus(k, start)}] = {value};");
        _writer.Close();
    }

    private static string Names(IEnumerable<ParameterModel> parameters) => string.Join(", ", parameters.Select(p => p.Name));

    private static string Flattened(IEnumerable<ParameterModel> parameters) =>
        string.Join(", ", parameters.Select(p => p.Shape == ParameterShape.Scalar ? p.Name : p.Name + "[0], …"));
}
