using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>
/// Spells a vector-valued function's members (<see cref="VectorFunctionPlan"/>): <c>GTangent</c> (forward mode: the
/// outputs' tangents), <c>GBackward</c> (the pullback: dy·∂y/∂inputs added into the inputs' adjoints, in the frame that
/// seeds the outputs' adjoints from dy and gives back their values), <c>GJacobian</c> (m×n, one sweep per input or per
/// output, whichever is fewer) and, where the plan has one, <c>GJacobianRows</c>.
/// </summary>
internal sealed class VectorFunctionPrinter
{
    private readonly SourceWriter _writer;
    private readonly VectorFunctionPlan _plan;
    private readonly MethodModel _method;
    private readonly NameBuilder _names;
    private readonly List<ParameterModel> _inputs;
    private readonly List<ParameterModel> _outputs;

    /// <summary>The buffers the member being written rents.</summary>
    private readonly PooledBuffers _pooled;

    private VectorFunctionPrinter(SourceWriter writer, VectorFunctionPlan plan)
    {
        _writer = writer;
        _plan = plan;
        _method = plan.Method;

        // The Jacobian's locals keep clear of the names GBackward's frame took.
        _names = NameBuilder.ForMembersOf(_method);
        foreach (var output in plan.Backward.Outputs)
        {
            foreach (var name in new[] { output.Pending, output.Kept, output.Rented }.OfType<string>())
            {
                _names.Reserve(name);
            }
        }

        _inputs = _method.Parameters.Where(p => p.HasGradient && !p.IsOutput).ToList();
        _outputs = _method.Parameters.Where(p => p.IsOutput).ToList();
        _pooled = new PooledBuffers(writer, _names);
    }

    /// <summary>Outputs up to this long keep their adjoints and values on the stack in …Backward.</summary>
    private const int StackLimit = 128;

    private string G => _method.Name;

    private string Crefs => $"<see cref=\"{G}({ParameterDeclarations.CrefSignature(_method)})\"/>";

    /// <summary>The type of the Jacobian's entries: the first output's.</summary>
    private DataType EntryType => _outputs[0].ElementType!;

    private string Entry => Spell(EntryType);

    public static void Write(SourceWriter writer, VectorFunctionPlan plan)
    {
        var vector = new VectorFunctionPrinter(writer, plan);
        TangentPrinter.WriteMember(writer, plan.Method, plan.Tangent);
        writer.Line();
        PullbackPrinter.Write(writer, plan.Backward.Model, plan.Backward.Plan, vector.BackwardFrame());
        writer.Line();
        vector.WriteJacobian(plan.Rows);
        if (plan.Rows is { } rows)
        {
            writer.Line();
            PullbackPrinter.Write(writer, rows.Model, rows.Plan, vector.RowsFrame(rows));
        }
    }

    /// <summary>The private member that fills a Jacobian's rows in reverse mode from one forward pass.</summary>
    private string RowsName => G + "JacobianRows";

    /// <summary>
    /// <c>GJacobianRows</c>'s frame: one forward pass, then the backward pass once per output, each adding the pullback of
    /// its unit vector into its row of the Jacobian (cleared by the caller).
    /// </summary>
    private BackwardFrame RowsFrame(RowsPullback rows)
    {
        var (jacobian, m, n, row) = (rows.Jacobian, rows.M, rows.N, rows.Row);
        var (inputOffsets, outputOffsets) = (FlatLayout.Offsets(_inputs), FlatLayout.Offsets(_outputs));
        var preamble = new SourceWriter();
        SpanChecks.Write(preamble, _method, []);
        preamble.Line($"int {m} = {outputOffsets[_outputs.Count]};");
        preamble.Line($"int {n} = {inputOffsets[_inputs.Count]};");
        var start = new List<string>();
        var epilogue = new List<string>();
        for (var o = 0; o < _outputs.Count; o++)
        {
            var (output, locals) = (_outputs[o], rows.Outputs[o]);
            var (element, name) = (output.ElementType!, locals.Pending);
            var type = Spell(element);
            if (output.IsOutParameter)
            {
                preamble.Line($"{output.Name} = {Literals.Zero(element)}; // assigned below");
                start.Add($"{type} {name} = {row} == {outputOffsets[o]} ? {Literals.One(element)} : {Literals.Zero(element)}; // ∂/∂{output.Name} in this row");
                continue;
            }

            var rented = locals.Rented!;
            preamble.Line($"{type}[]? {rented} = {output.Name}.Length > {StackLimit} ? global::System.Buffers.ArrayPool<{type}>.Shared.Rent({output.Name}.Length) : null;");
            preamble.Line($"global::System.Span<{type}> {name} = {rented} is null ? stackalloc {type}[{output.Name}.Length] : new global::System.Span<{type}>({rented}, 0, {output.Name}.Length); // the unit vector of each row in turn, used up as the backward pass hands it on");
            if (rows.Plan.UnreadOutputs.Contains(output.Name))
            {
                // Nothing reads the output: a backward pass adds into none of its adjoint, and takes (zeroes) each element
                // seeded there that the function writes; an element it does not write, nothing going back reads.
                preamble.Line($"{name}.Clear(); // nothing reads {output.Name}: each pass takes its seed back, so this is cleared once");
            }
            else
            {
                start.Add($"{name}.Clear();");
            }

            start.Add($"{FlatLayout.InRange(row, outputOffsets[o], outputOffsets[o + 1])} {name}[{FlatLayout.Minus(row, outputOffsets[o])}] = {Literals.One(element)};");
            epilogue.Add($"if ({rented} is not null) global::System.Buffers.ArrayPool<{type}>.Shared.Return({rented});");
        }

        for (var i = 0; i < _inputs.Count; i++)
        {
            var input = _inputs[i];
            var at = inputOffsets[i] == "0" ? $"{row} * {n}" : $"{row} * {n} + {FlatLayout.Grouped(inputOffsets[i])}";
            start.Add(input.Shape == ParameterShape.Scalar
                ? $"ref {Entry} {input.GradientName} = ref {jacobian}[{at}];"
                : $"global::System.Span<{Entry}> {input.GradientName} = {jacobian}.Slice({at}, {input.Name}.Length);");
        }

        var doc = new[]
        {
            "/// <summary>",
            $"/// The rows of {G}Jacobian in reverse mode: {G}'s forward pass once, writing its results into {Names(_outputs)}, then the backward pass",
            rows.SurelySet is null
                ? $"/// once per output, adding the pullback of its unit vector into that row of {jacobian} (which the caller cleared)."
                : $"/// once per output, writing the pullback of its unit vector into that row of {jacobian}: the first contribution into an element sets it (the caller cleared the rows if a pass may add into an element before setting it).",
            "/// </summary>",
        };
        var header = $"private static void {RowsName}({string.Join(", ", _method.Parameters.Select(p => p.Declaration()).Append($"global::System.Span<{Entry}> {jacobian}"))})";
        return new BackwardFrame(doc, header, preamble, [], epilogue)
        {
            Rows = new RowSweeps($"for (int {row} = 0; {row} < {m}; {row}++)", start),
        };
    }

    /// <summary>
    /// GBackward's frame, around the pullback of the model whose outputs' adjoints are pooled copies of dy (the backward
    /// pass uses them up): its declaration, the checks and copies before the forward pass, the returns after.
    /// </summary>
    private BackwardFrame BackwardFrame()
    {
        var parameters = _method.Parameters.Select(p => p.Declaration())
            .Concat(_outputs.Select(o => o.IsOutParameter ? $"{Spell(o.ElementType!)} {o.GradientName}" : $"global::System.ReadOnlySpan<{Spell(o.ElementType!)}> {o.GradientName}"))
            .Concat(_inputs.Select(p => p.Shape == ParameterShape.Scalar ? $"ref {Spell(p.ElementType!)} {p.GradientName}" : $"global::System.Span<{Spell(p.ElementType!)}> {p.GradientName}"));
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
        for (var o = 0; o < _outputs.Count; o++)
        {
            var (output, locals) = (_outputs[o], _plan.Backward.Outputs[o]);
            var (element, name, kept) = (output.ElementType!, locals.Pending, locals.Kept!);
            var type = Spell(element);
            if (output.IsOutParameter)
            {
                preamble.Line($"{output.Name} = {Literals.Zero(element)}; // assigned below; the forward pass may save what it held");
                preamble.Line($"{type} {name} = {output.GradientName}; // {output.GradientName}, used up as the backward pass hands it on");
                afterForward.Add($"{type} {kept} = {output.Name};");
                epilogue.Add($"{output.Name} = {kept};");
                continue;
            }

            // Two spans as long as the output: on the stack when short, else from the shared pool (no allocation either way).
            var rented = locals.Rented!;
            preamble.Line($"{type}[]? {rented} = {output.Name}.Length > {StackLimit} ? global::System.Buffers.ArrayPool<{type}>.Shared.Rent(2 * {output.Name}.Length) : null;");
            preamble.Line($"global::System.Span<{type}> {name} = {rented} is null ? stackalloc {type}[{output.Name}.Length] : new global::System.Span<{type}>({rented}, 0, {output.Name}.Length); // {output.GradientName}, used up as the backward pass hands it on");
            preamble.Line($"global::System.Span<{type}> {kept} = {rented} is null ? stackalloc {type}[{output.Name}.Length] : new global::System.Span<{type}>({rented}, {output.Name}.Length, {output.Name}.Length); // {G}'s results, while the backward pass rewinds {output.Name}");
            preamble.Line($"{output.GradientName}.CopyTo({name});");
            afterForward.Add($"{output.Name}.CopyTo({kept});");
            epilogue.Add($"{kept}.CopyTo({output.Name});");
            returns.Add($"if ({rented} is not null) global::System.Buffers.ArrayPool<{type}>.Shared.Return({rented});");
        }

        epilogue.AddRange(returns);
        return new BackwardFrame(doc, $"{_method.Modifiers} void {G}Backward({string.Join(", ", parameters)})", preamble, afterForward, epilogue);
    }

    /// <summary>
    /// When the rows need clearing first, now that each backward pass sets the first contribution into an element: the
    /// lengths past the elements every pass surely sets (an input longer than them has elements a pass may only add
    /// into), or null when some input has none surely set (the rows are cleared whatever the lengths).
    /// </summary>
    private List<string>? LongerThanSet(EquatableArray<int> surelySet)
    {
        var conditions = new List<string>();
        for (var i = 0; i < _inputs.Count; i++)
        {
            if (surelySet[i] == 0)
            {
                return null;
            }

            if (_inputs[i].Shape != ParameterShape.Scalar)
            {
                conditions.Add($"{_inputs[i].Name}.Length > {surelySet[i].ToString(CultureInfo.InvariantCulture)}");
            }
        }

        return conditions;
    }

    private void WriteJacobian(RowsPullback? rows)
    {
        var jacobian = _names.Unique("jacobian");
        var m = _names.Unique("m");
        var n = _names.Unique("n");
        var inputOffsets = FlatLayout.Offsets(_inputs);
        var outputOffsets = FlatLayout.Offsets(_outputs);
        _writer.Line("/// <summary>");
        _writer.Line($"/// Jacobian of {Crefs}: writes {G}'s results into {Names(_outputs)}, and into {jacobian} the m×n matrix ∂({Flattened(_outputs)})/∂({Flattened(_inputs)}),");
        _writer.Line($"/// row-major, m = {outputOffsets[_outputs.Count]}, n = {inputOffsets[_inputs.Count]}: the outputs down, the differentiable inputs across, each flattened in declaration order.");
        _writer.Line($"/// Chosen at run time from the lengths: forward mode (one {G}Tangent per input) when n ≤ m, else reverse mode ({(rows is not null ? "one forward pass, then a backward pass per output" : $"one {G}Backward per output")}).");
        _writer.Line($"/// A {jacobian} of another length throws <see cref=\"global::System.ArgumentException\"/>.");
        _writer.Line("/// </summary>");
        _writer.Line(GeneratedFile.GeneratedCodeAttribute);
        _writer.Open($"{_method.Modifiers} void {G}Jacobian({string.Join(", ", _method.Parameters.Select(p => p.Declaration()).Append($"global::System.Span<{Entry}> {jacobian}"))})");
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
        if (rows is not null)
        {
            _writer.Line($"// reverse mode: one forward pass, then a backward pass per output, each filling its row");
            if (rows.SurelySet is { } surelySet && LongerThanSet(surelySet) is { } longer)
            {
                // Each backward pass sets the first contribution into each element: only elements past those it surely sets need a zero.
                var set = string.Join(", ", _inputs.Select((p, i) => p.Shape == ParameterShape.Scalar ? p.Name : $"{p.Name}[0..{surelySet[i].ToString(CultureInfo.InvariantCulture)})"));
                if (longer.Count > 0)
                {
                    _writer.Line($"if ({string.Join(" || ", longer)}) {jacobian}.Clear(); // each backward pass sets the columns of {set}; any after them it may only add into");
                }
                else
                {
                    _writer.Line($"// not cleared: each backward pass sets every column ({set}) before it adds into it");
                }
            }
            else
            {
                _writer.Line($"{jacobian}.Clear(); // each backward pass adds into its own row");
            }

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
                _writer.Line($"{Spell(output.ElementType!)} {output.GradientName} = {Literals.Zero(output.ElementType!)}; // the tangent of {output.Name}");
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
                _writer.Line($"{Spell(input.ElementType!)} {input.GradientName} = {column} == {inputOffsets[i]} ? {Literals.One(input.ElementType!)} : {Literals.Zero(input.ElementType!)};");
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
        foreach (var input in _inputs.Where(p => p.ElementType != EntryType && p.Shape == ParameterShape.Sequence))
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
                _writer.Line($"{Spell(output.ElementType!)} {output.GradientName} = {row} == {outputOffsets[o]} ? {Literals.One(output.ElementType!)} : {Literals.Zero(output.ElementType!)};");
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
            if (input.ElementType == EntryType)
            {
                adjoints.Add(input.Shape == ParameterShape.Scalar ? $"ref {jacobian}[{at}]" : $"{jacobian}.Slice({at}, {input.Name}.Length)");
            }
            else if (input.Shape == ParameterShape.Scalar)
            {
                _writer.Line($"{Spell(input.ElementType!)} {input.GradientName} = {Literals.Zero(input.ElementType!)};");
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

    private string Converted(string value, DataType type) => type == EntryType ? value : $"({Entry}){value}";

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
