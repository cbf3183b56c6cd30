using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Backprop;

/// <summary>
/// A model's weights in the formats other tools read: numpy's <c>.npz</c> (<c>numpy.load</c>) and Hugging Face's
/// safetensors (<c>safetensors.torch.load_file</c>). Each tensor is stored under its parameter's name (<c>W1</c>,
/// <c>Input.W</c> for a sub-module's), float32 little-endian, with its shape (every axis, as numpy and PyTorch keep
/// it). Loading validates the whole file — every name, dtype and shape, and that the data is all there — before it
/// changes any parameter; a problem is an <see cref="InvalidDataException"/> naming the file, the tensor and what is wrong.
/// </summary>
/// <remarks>
/// Only the weights travel: for an exact resume with the optimizer's state use <see cref="Checkpoint"/>.
/// </remarks>
public static class Weights
{
    /// <summary>Writes every parameter to a numpy <c>.npz</c> archive (one <c>name.npy</c> per tensor).</summary>
    public static void SaveNpz(string path, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var parameter in parameters)
            {
                using var entry = zip.CreateEntry(parameter.Name + ".npy", CompressionLevel.NoCompression).Open();
                WriteNpy(entry, parameter.Value);
            }
        });
    }

    /// <summary>Reads a numpy <c>.npz</c> archive into <paramref name="parameters"/>, matching tensors by name.</summary>
    public static void LoadNpz(string path, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);
        var found = new Dictionary<string, (int[] Shape, float[] Data)>(StringComparer.Ordinal);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)))
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                found[entry.FullName[..^4]] = ReadNpy(path, entry.FullName[..^4], buffer.ToArray());
            }
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw Invalid(path, $"it is not a readable .npz (zip) archive ({e.Message})");
        }

        Assign(path, parameters, found);
    }

    /// <summary>Writes every parameter to a safetensors file.</summary>
    public static void SaveSafetensors(string path, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            long offset = 0;
            foreach (var parameter in parameters)
            {
                writer.WriteStartObject(parameter.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (var dimension in Shape(parameter.Value))
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += parameter.Value.Length * sizeof(float);
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        // The header is padded with spaces to a multiple of 8 bytes, as the reference implementation does.
        var header = json.ToArray().ToList();
        while (header.Count % 8 != 0)
        {
            header.Add((byte)' ');
        }

        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)header.Count));
            stream.Write(header.ToArray());
            foreach (var parameter in parameters)
            {
                stream.Write(MemoryMarshal.AsBytes(parameter.Value.Span));
            }
        });
    }

    /// <summary>Reads a safetensors file into <paramref name="parameters"/>, matching tensors by name.</summary>
    public static void LoadSafetensors(string path, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw Invalid(path, $"it has {bytes.Length} bytes: a safetensors file starts with an 8-byte header length");
        }

        var headerLength = BitConverter.ToUInt64(bytes, 0);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw Invalid(path, $"its header claims {headerLength} bytes but the file has {bytes.Length - 8} after the length: it is truncated or not safetensors");
        }

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"its header is not JSON ({e.Message})");
        }

        var dataStart = 8 + (int)headerLength;
        var found = new Dictionary<string, (int[] Shape, float[] Data)>(StringComparer.Ordinal);
        using (header)
        {
            foreach (var tensor in header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
            {
                var name = tensor.Name;
                if (!tensor.Value.TryGetProperty("dtype", out var dtype) || dtype.GetString() != "F32")
                {
                    throw Invalid(path, $"tensor '{name}' has dtype {(tensor.Value.TryGetProperty("dtype", out var d) ? d.ToString() : "(none)")}; Backprop's tensors are F32");
                }

                var shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var offsets = tensor.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var count = shape.Aggregate(1L, (a, b) => a * b);
                if (offsets.Length != 2 || offsets[1] - offsets[0] != count * sizeof(float) || dataStart + offsets[1] > bytes.Length || offsets[0] < 0)
                {
                    throw Invalid(path, $"tensor '{name}' of shape ({string.Join(", ", shape)}) has data offsets [{string.Join(", ", offsets)}], which do not hold {count} floats inside the file");
                }

                var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataStart + (int)offsets[0], (int)(count * sizeof(float)))).ToArray();
                found[name] = (shape, data);
            }
        }

        Assign(path, parameters, found);
    }

    /// <summary>Checks every parameter against the file, then (only then) copies the values in.</summary>
    private static void Assign(string path, IReadOnlyList<Parameter> parameters, Dictionary<string, (int[] Shape, float[] Data)> found)
    {
        foreach (var parameter in parameters)
        {
            if (!found.TryGetValue(parameter.Name, out var tensor))
            {
                throw Invalid(path, $"it has no tensor '{parameter.Name}' (it has {(found.Count == 0 ? "none" : string.Join(", ", found.Keys))})");
            }

            var expected = Shape(parameter.Value);
            if (!tensor.Shape.SequenceEqual(expected))
            {
                throw Invalid(path, $"tensor '{parameter.Name}' is ({string.Join(", ", tensor.Shape)}) but the model's is ({string.Join(", ", expected)})");
            }
        }

        foreach (var parameter in parameters)
        {
            found[parameter.Name].Data.CopyTo(parameter.Value.Span);
        }
    }

    private static int[] Shape(Tensor tensor) => tensor.Shape.ToArray();

    /// <summary>numpy's .npy v1.0: magic, version, a Python-literal header padded to 64 bytes, then the data.</summary>
    private static void WriteNpy(Stream stream, Tensor tensor)
    {
        var lengths = tensor.Shape.ToArray();
        var shape = lengths.Length == 1 ? $"({lengths[0]},)" : $"({string.Join(", ", lengths)})";
        var dictionary = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        var unpadded = 10 + dictionary.Length + 1;
        var header = dictionary + new string(' ', ((unpadded + 63) / 64 * 64) - unpadded) + "\n";
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(MemoryMarshal.AsBytes(tensor.Span));
    }

    private static (int[] Shape, float[] Data) ReadNpy(string path, string name, byte[] bytes)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw Invalid(path, $"'{name}.npy' is not a .npy array (no \\x93NUMPY magic)");
        }

        var (headerLength, headerStart) = bytes[6] == 1 ? (BitConverter.ToUInt16(bytes, 8), 10) : ((int)BitConverter.ToUInt32(bytes, 8), 12);
        if (headerStart + headerLength > bytes.Length)
        {
            throw Invalid(path, $"'{name}.npy' is truncated inside its header");
        }

        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        if (!header.Contains("'descr': '<f4'", StringComparison.Ordinal))
        {
            throw Invalid(path, $"tensor '{name}' is not little-endian float32 ('<f4'): its header is {header.Trim()}");
        }

        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw Invalid(path, $"tensor '{name}' is stored in Fortran (column-major) order; save it in C order");
        }

        var shapeText = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        shapeText = shapeText[..shapeText.IndexOf(')', StringComparison.Ordinal)];
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart != count * sizeof(float))
        {
            throw Invalid(path, $"tensor '{name}' of shape ({string.Join(", ", shape)}) needs {count * sizeof(float)} bytes of data but has {bytes.Length - dataStart}");
        }

        return (shape, MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataStart)).ToArray());
    }

    private static InvalidDataException Invalid(string path, string problem) => new($"{path}: {problem}.");
}
