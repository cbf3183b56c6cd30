using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Backprop.Onnx.Proto;
using Google.Protobuf;

namespace Backprop.Onnx;

/// <summary>
/// Writes a model's forward pass as an ONNX model (IR version 7, operator set 13) that ONNX Runtime and other ONNX
/// tools run: the pass is traced once on a probe batch (<see cref="GraphTrace"/>), each <see cref="Nn"/> operation
/// becomes a node, each parameter an initializer holding its current values, under its <see cref="Parameter.Name"/>.
/// The input is <c>input</c>, float32 [batch × columns] with the batch size left free; the output is <c>output</c>.
/// </summary>
/// <remarks>
/// Why a trace rather than code the generator writes: the trace records any forward pass the model can run — helper
/// layers, sub-modules, loops over layers (unrolled) and branches (the arm taken, so export in evaluation mode) — with
/// no second translation of the model to keep in step with the generator. Exportable: <c>MatMul</c> (and <c>*</c>),
/// <c>Add</c>/<c>Subtract</c> (and <c>+</c>/<c>-</c>, with the bias broadcast), <c>Multiply</c>, <c>Scale</c>,
/// <c>Relu</c>, <c>LeakyRelu</c>, <c>Elu</c>, <c>Sigmoid</c>, <c>Tanh</c>, <c>Softmax</c>, <c>Maxout</c>,
/// <c>ConcatColumns</c> (Concat on axis 1), <c>SliceColumns</c> (Slice on axis 1), and <c>Dropout</c> in evaluation
/// mode. Anything else the pass reads must be the input or a parameter, or the export
/// stops with an error that says which tensor it could not account for; nothing is written then.
/// </remarks>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the nodes are written for.</summary>
    public const int OperatorSet = 13;

    private const int Float32 = 1;

    private const int Int64 = 7;

    /// <summary>Traces <paramref name="forward"/> and writes it to <paramref name="path"/> (replaced atomically).</summary>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="forward">The forward pass from a batch of inputs to the outputs, e.g. <c>model.Scores</c>.</param>
    /// <param name="parameters">The tensors the pass reads that are not the input: the generated <c>Parameters</c>.</param>
    /// <param name="inputColumns">Features per example: the input's columns.</param>
    /// <param name="name">The graph's name (default <c>backprop</c>).</param>
    /// <exception cref="NotSupportedException">The pass did something ONNX export cannot write; the message says what.</exception>
    public static void Save(string path, Func<Tensor, Tensor> forward, IReadOnlyList<Parameter> parameters, int inputColumns, string name = "backprop")
    {
        ArgumentNullException.ThrowIfNull(path);
        var model = Build(forward, parameters, inputColumns, name);
        AtomicFile.Write(path, stream => model.WriteTo(stream));
    }

    /// <summary>The ONNX model of <paramref name="forward"/>, serialised (for ONNX Runtime's in-memory session).</summary>
    public static byte[] ToBytes(Func<Tensor, Tensor> forward, IReadOnlyList<Parameter> parameters, int inputColumns, string name = "backprop") =>
        Build(forward, parameters, inputColumns, name).ToByteArray();

    private static ModelProto Build(Func<Tensor, Tensor> forward, IReadOnlyList<Parameter> parameters, int inputColumns, string name)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputColumns);

        var graph = new GraphProto { Name = name, DocString = "Exported by Backprop.Onnx from a traced forward pass." };
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var parameter in parameters)
        {
            if (names.TryAdd(parameter.Value, parameter.Name))
            {
                graph.Initializer.Add(Initializer(parameter.Name, parameter.Value));
            }
        }

        var input = Tensor.Matrix(2, inputColumns);
        names[input] = "input";
        using var scope = Workspace.Enter();
        Tensor output;
        IReadOnlyList<TracedOperation> operations;
        using (var trace = GraphTrace.Start())
        {
            output = forward(input);
            operations = trace.Operations;
        }

        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var node = Node(operation, i, graph);
            foreach (var read in operation.Inputs)
            {
                node.Input.Add(names.TryGetValue(read, out var known) ? known : throw Unaccounted(operation, read));
            }

            if (operation.Columns is { } columns)
            {
                // Slice's starts, ends and axes follow the data: the columns taken, along axis 1.
                node.Input.Add(Int64Initializer(graph, $"{node.Name}_starts", columns.Start));
                node.Input.Add(Int64Initializer(graph, $"{node.Name}_ends", columns.Start + columns.Count));
                node.Input.Add(Int64Initializer(graph, $"{node.Name}_axes", 1));
            }

            var made = ReferenceEquals(operation.Result, output) ? "output" : $"{operation.Operation}_{i}";
            names[operation.Result] = made;
            node.Output.Add(made);
            graph.Node.Add(node);
        }

        if (!names.TryGetValue(output, out var outputName))
        {
            throw new NotSupportedException($"ONNX export: the forward pass returned a {output.Shape} tensor that no exportable operation made; see OnnxExport's remarks for the operations it writes.");
        }

        if (outputName != "output")
        {
            // The pass returned its input or a parameter as it is.
            graph.Node.Add(new NodeProto { OpType = "Identity", Name = "Identity_output", Input = { outputName }, Output = { "output" } });
        }

        graph.Input.Add(Value("input", inputColumns));
        graph.Output.Add(Value("output", output.Columns));
        return new ModelProto
        {
            IrVersion = 7,
            ProducerName = "Backprop.Onnx",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = OperatorSet } },
        };
    }

    /// <summary>The node for one traced operation, without its inputs and output.</summary>
    private static NodeProto Node(TracedOperation operation, int index, GraphProto graph)
    {
        var node = new NodeProto { Name = $"{operation.Operation}_{index}" };
        switch (operation.Operation)
        {
            case "MatMul" or "Relu" or "Sigmoid" or "Tanh" or "Identity" or "Add":
                node.OpType = operation.Operation;
                break;
            case "Subtract":
                node.OpType = "Sub";
                break;
            case "Multiply":
                node.OpType = "Mul";
                break;
            case "Maxout":
                node.OpType = "Max";
                break;
            case "Softmax":
                node.OpType = "Softmax";
                node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
                break;
            case "LeakyRelu" or "Elu":
                node.OpType = operation.Operation;
                node.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = operation.Argument!.Value });
                break;
            case "ConcatColumns":
                node.OpType = "Concat";
                node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                break;
            case "SliceColumns":
                node.OpType = "Slice";
                break;
            case "Scale":
                // s · a is Mul by a scalar constant, which ONNX broadcasts.
                var factor = $"Scale_{index}_factor";
                graph.Initializer.Add(new TensorProto { Name = factor, DataType = Float32, RawData = LittleEndian([operation.Argument!.Value]) });
                node.OpType = "Mul";
                node.Input.Add(factor); // the scaled tensor is added after it: Mul commutes
                break;
            default:
                throw new NotSupportedException($"ONNX export: the forward pass used {operation.Operation}, which the export does not write.");
        }

        return node;
    }

    private static NotSupportedException Unaccounted(TracedOperation operation, Tensor read) =>
        new($"ONNX export: {operation.Operation} read a {read.Shape} tensor that is neither the input, one of the parameters, nor made by an operation the export writes (reductions, losses and dropout in training are not). Pass every tensor the forward pass reads among the parameters.");

    /// <summary>A one-element int64 initializer named <paramref name="name"/> (Slice's bounds and axis); returns its name.</summary>
    private static string Int64Initializer(GraphProto graph, string name, long value)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        graph.Initializer.Add(new TensorProto { Name = name, DataType = Int64, Dims = { 1 }, RawData = ByteString.CopyFrom(bytes) });
        return name;
    }

    private static TensorProto Initializer(string name, Tensor value)
    {
        var tensor = new TensorProto { Name = name, DataType = Float32, RawData = LittleEndian(value.Span) };
        foreach (var length in value.Shape.ToArray())
        {
            tensor.Dims.Add(length);
        }

        return tensor;
    }

    /// <summary>Floats as ONNX stores them: IEEE 754, little-endian.</summary>
    private static ByteString LittleEndian(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            return ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }

        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return ByteString.CopyFrom(bytes);
    }

    private static ValueInfoProto Value(string name, int columns) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = Float32,
                Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = columns } } },
            },
        },
    };
}
