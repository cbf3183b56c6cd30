using System;
using System.IO;
using System.IO.Compression;

namespace FashionMnist;

/// <summary>Reads the IDX files of (Fashion-)MNIST, gzip-compressed (<c>.gz</c>) or not, rejecting anything malformed with the file and the problem named.</summary>
public static class IdxFile
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>Images as bytes, one row of rows·columns pixels per image.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        var data = Contents(path);
        var count = Header(path, data, ImagesMagic, "images");
        if (data.Length < 16)
        {
            throw Invalid(path, "the header is truncated");
        }

        var rows = BigEndian(data, 8);
        var columns = BigEndian(data, 12);
        if (rows != 28 || columns != 28)
        {
            throw Invalid(path, $"the images are {rows}×{columns}; Fashion-MNIST's are 28×28");
        }

        var expected = 16L + ((long)count * rows * columns);
        if (data.Length != expected)
        {
            throw Invalid(path, $"the header announces {count} images ({expected} bytes) but the file has {data.Length} bytes{(data.Length < expected ? ": it is truncated" : "")}");
        }

        return (data.AsSpan(16).ToArray(), count, rows, columns);
    }

    /// <summary>Labels 0–9, one per image.</summary>
    public static byte[] ReadLabels(string path)
    {
        var data = Contents(path);
        var count = Header(path, data, LabelsMagic, "labels");
        if (data.Length != 8L + count)
        {
            throw Invalid(path, $"the header announces {count} labels but the file has {data.Length - 8} label bytes{(data.Length < 8L + count ? ": it is truncated" : "")}");
        }

        for (var i = 8; i < data.Length; i++)
        {
            if (data[i] > 9)
            {
                throw Invalid(path, $"label {i - 8} is {data[i]}; Fashion-MNIST's labels are 0–9");
            }
        }

        return data.AsSpan(8).ToArray();
    }

    /// <summary>The file's bytes: decompressed for a <c>.gz</c> file, as they are otherwise.</summary>
    private static byte[] Contents(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Decompress(path) : File.ReadAllBytes(path);

    private static byte[] Decompress(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, $"it is not a valid gzip file ({e.Message})");
        }
        catch (EndOfStreamException)
        {
            throw Invalid(path, "the gzip stream ends early: the file is truncated");
        }
    }

    /// <summary>Checks the magic number and returns the item count.</summary>
    private static int Header(string path, byte[] data, int expectedMagic, string kind)
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

    private static int BigEndian(byte[] data, int offset) =>
        (data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3];

    private static InvalidDataException Invalid(string path, string problem) => new($"{path}: {problem}.");
}
