using System;
using System.IO;
using System.IO.Compression;
using System.Numerics;
using Backprop;

namespace FashionMnist;

/// <summary>Reads the IDX files of (Fashion-)MNIST, gzip-compressed (<c>.gz</c>) or not, rejecting anything malformed with the file and the problem named.</summary>
public static class IdxFile
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>
    /// Images as a [count × rows·columns] matrix of pixels scaled to [0, 1] (each byte / 255), converted a chunk at a
    /// time as the file is decompressed (<see cref="ReadPayload"/>): the bytes are never held whole.
    /// </summary>
    public static Tensor ReadImages(string path) => Read(path, (stream, capacity) =>
    {
        var header = new byte[16];
        var got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        var count = Header(path, header.AsSpan(0, got), ImagesMagic, "images");
        if (got < 16)
        {
            throw Invalid(path, "the header is truncated");
        }

        var rows = BigEndian(header, 8);
        var columns = BigEndian(header, 12);
        if (rows != 28 || columns != 28)
        {
            throw Invalid(path, $"the images are {rows}×{columns}; Fashion-MNIST's are 28×28");
        }

        var announced = $"{count} images";
        CheckFits(path, capacity, 16, (long)count * rows * columns, announced);
        var images = Tensor.Matrix(count, rows * columns);
        ReadPayload(path, stream, 16, images.Length, announced, (bytes, offset) => Scale(bytes, images.Span.Slice(offset, bytes.Length)));
        return images;
    });

    /// <summary>Each byte / 255 (exact conversion, then the division's own rounding), a vector at a time.</summary>
    private static void Scale(ReadOnlySpan<byte> bytes, Span<float> scaled)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var divisor = new Vector<float>(255f);
            for (; i <= bytes.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(bytes[i..]), out var low, out var high);
                Vector.Widen(low, out var first, out var second);
                Vector.Widen(high, out var third, out var fourth);
                (Vector.ConvertToSingle(first) / divisor).CopyTo(scaled[i..]);
                (Vector.ConvertToSingle(second) / divisor).CopyTo(scaled[(i + Vector<uint>.Count)..]);
                (Vector.ConvertToSingle(third) / divisor).CopyTo(scaled[(i + (2 * Vector<uint>.Count))..]);
                (Vector.ConvertToSingle(fourth) / divisor).CopyTo(scaled[(i + (3 * Vector<uint>.Count))..]);
            }
        }

        for (; i < bytes.Length; i++)
        {
            scaled[i] = bytes[i] / 255f;
        }
    }

    /// <summary>Labels 0–9, one per image.</summary>
    public static byte[] ReadLabels(string path) => Read(path, (stream, capacity) =>
    {
        var header = new byte[8];
        var count = Header(path, header.AsSpan(0, stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false)), LabelsMagic, "labels");
        var announced = $"{count} labels";
        CheckFits(path, capacity, 8, count, announced);
        var labels = new byte[count];
        ReadPayload(path, stream, 8, count, announced, (bytes, offset) => bytes.CopyTo(labels.AsSpan(offset)));
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 9)
            {
                throw Invalid(path, $"label {i} is {labels[i]}; Fashion-MNIST's labels are 0–9");
            }
        }

        return labels;
    });

    /// <summary>
    /// Reads the file through <paramref name="read"/>, decompressing a <c>.gz</c> file on the way: the items go straight
    /// into an array of the size the header announces (no growing buffer, no copies; the training set's 47 MB of pixels
    /// were copied three times before). <paramref name="read"/> is also given the most bytes the file can hold: its
    /// length, or 1,032 times it for a gzip file (deflate's largest ratio), so a header announcing more is refused
    /// before anything that large is allocated.
    /// </summary>
    private static T Read<T>(string path, Func<Stream, long, T> read)
    {
        try
        {
            using var file = File.OpenRead(path);
            var compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            using var stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            return read(stream, compressed ? file.Length * 1032 : file.Length);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal)) // this file's own checks name it first
        {
            throw Invalid(path, $"it is not a valid gzip file ({e.Message})");
        }
        catch (EndOfStreamException)
        {
            throw Invalid(path, "the gzip stream ends early: the file is truncated");
        }
    }

    /// <summary>What takes the items a chunk at a time: the chunk's bytes and the offset of its first one.</summary>
    private delegate void ChunkReader(ReadOnlySpan<byte> bytes, int offset);

    /// <summary>
    /// The <paramref name="length"/> bytes after the header, handed to <paramref name="take"/> 64 KB at a time as the
    /// stream yields them; a file that ends before them, or has bytes after them, is refused saying how long it is.
    /// </summary>
    private static void ReadPayload(string path, Stream stream, int header, int length, string announced, ChunkReader take)
    {
        var chunk = new byte[Math.Min(length, 1 << 16)];
        for (var done = 0; done < length;)
        {
            var wanted = Math.Min(chunk.Length, length - done);
            var read = stream.ReadAtLeast(chunk.AsSpan(0, wanted), wanted, throwOnEndOfStream: false);
            take(chunk.AsSpan(0, read), done);
            done += read;
            if (read < wanted)
            {
                throw Invalid(path, $"the header announces {announced} ({header + (long)length} bytes) but the file has {header + (long)done} bytes: it is truncated");
            }
        }

        if (Remaining(stream) is > 0 and var extra)
        {
            throw Invalid(path, $"the header announces {announced} ({header + (long)length} bytes) but the file has {header + length + extra} bytes");
        }
    }

    /// <summary>Refuses a header that announces more bytes than the file can hold (<see cref="Read{T}"/>).</summary>
    private static void CheckFits(string path, long capacity, int header, long length, string announced)
    {
        if (header + length > capacity)
        {
            throw Invalid(path, $"the header announces {announced} ({header + length} bytes) but the file can hold at most {capacity} bytes: it is truncated, or the header is wrong");
        }
    }

    /// <summary>How many bytes are left in the stream (read and dropped).</summary>
    private static long Remaining(Stream stream)
    {
        var buffer = new byte[81920];
        long total = 0;
        for (int read; (read = stream.Read(buffer)) > 0;)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Checks the magic number and returns the item count.</summary>
    private static int Header(string path, ReadOnlySpan<byte> data, int expectedMagic, string kind)
    {
        if (data.Length < 8)
        {
            throw Invalid(path, "it is shorter than an IDX header");
        }

        var magic = BigEndian(data, 0);
        if (magic != expectedMagic)
        {
            throw Invalid(path, $"its magic number is 0x{magic:X8}, not 0x{expectedMagic:X8} (IDX {kind})");
        }

        var count = BigEndian(data, 4);
        if (count <= 0)
        {
            throw Invalid(path, $"it announces {count} {kind}");
        }

        return count;
    }

    private static int BigEndian(ReadOnlySpan<byte> data, int offset) =>
        (data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3];

    private static InvalidDataException Invalid(string path, string problem) => new($"{path}: {problem}.");
}
