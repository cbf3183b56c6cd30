using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Backprop;

/// <summary>
/// Saves and restores a model's parameters (and its optimizer's state, for an exact resume) in one file. Writing
/// goes to a temporary file that replaces the old checkpoint only once complete, so an interrupted save never
/// destroys the previous one. Loading verifies a SHA-256 of the contents and every name and shape before it
/// changes anything.
/// </summary>
public static class Checkpoint
{
    /// <summary>
    /// 1: every tensor's shape as rank, rows, columns. 2 (written only when a parameter has rank 3 or 4, so models of
    /// vectors and matrices still write files the previous release reads): rank, then each length. 3 (written only
    /// when there are buffers): version 2 followed by the buffers, each a name, a shape and its values. 4 (written only
    /// when more than one process trained the model): version 3 followed by the number of processes.
    /// </summary>
    private const int Version = 4;
    private static readonly byte[] s_magic = "BPCK"u8.ToArray();
    private static readonly Dictionary<string, Tensor> s_noBuffers = [];

    /// <summary>What a checkpoint records besides the tensors: the epoch, the optimizer's steps, and how many processes trained the model (data-parallel training; 1 otherwise).</summary>
    public readonly record struct Info(int Epoch, long Steps, int Processes = 1);

    /// <summary>
    /// Writes <paramref name="parameters"/> (and <paramref name="optimizer"/>'s state) after <paramref name="epoch"/>,
    /// and the model's <paramref name="buffers"/>: tensors it keeps but does not train, such as a
    /// <see cref="BatchNormLayer"/>'s running averages (PyTorch's name for them), which evaluation needs.
    /// <paramref name="processes"/> is the number of processes of a data-parallel run (Backprop.Distributed), which a
    /// resumed run compares with its own.
    /// </summary>
    public static void Save(string path, IReadOnlyList<Parameter> parameters, Optimizer? optimizer, int epoch, IReadOnlyDictionary<string, Tensor>? buffers = null, int processes = 1)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(processes, 1);
        buffers ??= s_noBuffers;
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(s_magic);
            var version = processes > 1 ? 4 : buffers.Count > 0 ? 3 : parameters.Any(p => p.Value.Rank > 2) ? 2 : 1;
            writer.Write(version);
            writer.Write(epoch);
            writer.Write(optimizer?.Steps ?? 0);
            writer.Write(optimizer?.StateTensors ?? 0);
            writer.Write(parameters.Count);
            foreach (var parameter in parameters)
            {
                writer.Write(parameter.Name);
                WriteShape(writer, parameter.Value.Shape, version);
                WriteFloats(writer, parameter.Value);
                for (var i = 0; i < (optimizer?.StateTensors ?? 0); i++)
                {
                    WriteFloats(writer, optimizer!.StateOf(parameter)[i]);
                }
            }

            if (version >= 3)
            {
                writer.Write(buffers.Count);
                foreach (var (name, kept) in buffers)
                {
                    writer.Write(name);
                    WriteShape(writer, kept.Shape, version);
                    WriteFloats(writer, kept);
                }
            }

            if (version >= 4)
            {
                writer.Write(processes);
            }
        }

        var contents = buffer.ToArray();
        AtomicFile.Write(path, file =>
        {
            file.Write(contents);
            file.Write(SHA256.HashData(contents));
        });
    }

    /// <summary>
    /// Reads a checkpoint into <paramref name="parameters"/> (and <paramref name="optimizer"/>'s state, and the
    /// <paramref name="buffers"/>, which must be the ones it was saved with). Throws <see cref="InvalidDataException"/>
    /// naming the file and the problem — damaged, truncated, or made for another model — and then leaves every tensor
    /// as it was.
    /// </summary>
    public static Info Load(string path, IReadOnlyList<Parameter> parameters, Optimizer? optimizer, IReadOnlyDictionary<string, Tensor>? buffers = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);
        buffers ??= s_noBuffers;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < s_magic.Length || !bytes.AsSpan(0, s_magic.Length).SequenceEqual(s_magic))
        {
            throw Invalid(path, "it is not a Backprop checkpoint (the file does not start with BPCK)");
        }

        if (bytes.Length < s_magic.Length + 32)
        {
            throw Invalid(path, $"it is truncated: {bytes.Length} bytes, shorter than a checkpoint's header and checksum");
        }

        var contents = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(contents).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
        {
            throw Invalid(path, "its checksum does not match: the file is truncated or damaged");
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, 0, contents.Length), Encoding.UTF8);
        reader.ReadBytes(s_magic.Length);
        var version = reader.ReadInt32();
        if (version is < 1 or > Version)
        {
            throw Invalid(path, $"it has format version {version}; this library reads versions 1 to {Version}");
        }

        var epoch = reader.ReadInt32();
        var steps = reader.ReadInt64();
        var stateTensors = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (count != parameters.Count)
        {
            throw Invalid(path, $"it holds {count} parameters but the model has {parameters.Count}");
        }

        if (optimizer is not null && stateTensors != optimizer.StateTensors)
        {
            throw Invalid(path, $"it holds {stateTensors} optimizer tensors per parameter but {optimizer.GetType().Name} keeps {optimizer.StateTensors}");
        }

        // Read and check everything first; copy only when the whole file is good.
        var values = new List<(Parameter Parameter, float[] Value, float[][] State)>();
        foreach (var parameter in parameters)
        {
            var name = reader.ReadString();
            var shape = ReadShape(reader, version, path);
            if (name != parameter.Name || shape != parameter.Value.Shape)
            {
                throw Invalid(path, $"it holds {name} {shape} where the model has {parameter.Name} {parameter.Value.Shape}");
            }

            var value = ReadFloats(reader, parameter.Value.Length);
            var state = new float[stateTensors][];
            for (var i = 0; i < stateTensors; i++)
            {
                state[i] = ReadFloats(reader, parameter.Value.Length);
            }

            values.Add((parameter, value, state));
        }

        var bufferCount = version >= 3 ? reader.ReadInt32() : 0;
        if (bufferCount != buffers.Count)
        {
            throw Invalid(path, $"it holds {bufferCount} buffers (tensors kept but not trained, such as running averages) but the model has {buffers.Count}{(buffers.Count > 0 ? $": {string.Join(", ", buffers.Keys)}" : "")}");
        }

        var bufferValues = new List<(Tensor Buffer, float[] Value)>();
        for (var i = 0; i < bufferCount; i++)
        {
            var name = reader.ReadString();
            var shape = ReadShape(reader, version, path);
            if (!buffers.TryGetValue(name, out var buffer) || shape != buffer.Shape)
            {
                throw Invalid(path, buffer is null
                    ? $"it holds a buffer {name} {shape} the model does not have (its buffers: {string.Join(", ", buffers.Keys)})"
                    : $"it holds the buffer {name} {shape} where the model's is {buffer.Shape}");
            }

            bufferValues.Add((buffer, ReadFloats(reader, buffer.Length)));
        }

        var processes = version >= 4 ? reader.ReadInt32() : 1;

        foreach (var (parameter, value, state) in values)
        {
            value.CopyTo(parameter.Value.Span);
            if (optimizer is not null)
            {
                var tensors = optimizer.StateOf(parameter);
                for (var i = 0; i < state.Length; i++)
                {
                    state[i].CopyTo(tensors[i].Span);
                }
            }
        }

        foreach (var (buffer, value) in bufferValues)
        {
            value.CopyTo(buffer.Span);
        }

        if (optimizer is not null)
        {
            optimizer.Steps = steps;
        }

        return new Info(epoch, steps, processes);
    }

    private static void WriteShape(BinaryWriter writer, TensorShape shape, int version)
    {
        writer.Write(shape.Rank);
        if (version == 1)
        {
            writer.Write(shape.Rows);
            writer.Write(shape.Columns);
            return;
        }

        foreach (var length in shape.ToArray())
        {
            writer.Write(length);
        }
    }

    private static TensorShape ReadShape(BinaryReader reader, int version, string path)
    {
        var rank = reader.ReadInt32();
        if (rank is < 1 or > TensorShape.MaxRank)
        {
            throw Invalid(path, $"a tensor's rank reads {rank}: the file is not a checkpoint this library wrote");
        }

        if (version == 1)
        {
            var (rows, columns) = (reader.ReadInt32(), reader.ReadInt32());
            return rank == 1 ? TensorShape.Vector(columns) : TensorShape.Matrix(rows, columns);
        }

        Span<int> lengths = stackalloc int[rank];
        for (var axis = 0; axis < rank; axis++)
        {
            lengths[axis] = reader.ReadInt32();
        }

        return new TensorShape(lengths);
    }

    private static void WriteFloats(BinaryWriter writer, Tensor tensor) => writer.Write(MemoryMarshal.AsBytes(tensor.Span));

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length)
        {
            throw new EndOfStreamException();
        }

        return values;
    }

    private static InvalidDataException Invalid(string path, string problem) => new($"Checkpoint '{path}' cannot be loaded: {problem}.");
}
