using System;
using System.IO;
using System.IO.Compression;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>The sample reads the bundled subset, and rejects malformed, truncated and mismatched files naming the file and the problem.</summary>
public sealed class DataFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"fmnist-{Guid.NewGuid():N}");

    public DataFileTests()
    {
        Directory.CreateDirectory(_directory);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "data"), "*.gz"))
        {
            File.Copy(file, Path.Combine(_directory, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void BundledSubset_Loads_Standardised()
    {
        var data = Dataset.Load(_directory);
        Assert.Equal(3000, data.TrainImages.Rows);
        Assert.Equal(784, data.TrainImages.Columns);
        Assert.Equal(1000, data.TestLabels.Length);
        Assert.All(data.TrainLabels, label => Assert.InRange(label, 0, 9));
        double sum = 0;
        foreach (var v in data.TrainImages.Span)
        {
            sum += v;
        }

        Assert.Equal(0, sum / data.TrainImages.Length, 3);
    }

    [Fact]
    public void TruncatedImages_AreRejectedNamingTheFile()
    {
        var path = Rewrite("t10k-images-idx3-ubyte.gz", bytes => bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => Dataset.Load(_directory));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("it is truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesAfterTheImages_AreRejected_SayingHowMany()
    {
        var path = Rewrite("t10k-images-idx3-ubyte.gz", bytes => [.. bytes, 1, 2, 3]);
        var error = Assert.Throws<InvalidDataException>(() => Dataset.Load(_directory));
        Assert.Equal($"{path}: the header announces 1000 images (784016 bytes) but the file has 784019 bytes.", error.Message);
    }

    [Fact]
    public void TruncatedLabels_AreRejectedNamingTheFile()
    {
        var path = Rewrite("train-labels-idx1-ubyte.gz", bytes => bytes[..100]);
        var error = Assert.Throws<InvalidDataException>(() => Dataset.Load(_directory));
        Assert.Equal($"{path}: the header announces 3000 labels (3008 bytes) but the file has 100 bytes: it is truncated.", error.Message);
    }

    [Fact]
    public void HeaderAnnouncingMoreImagesThanTheFileCanHold_IsRefusedBeforeAllocating()
    {
        var path = Rewrite("train-images-idx3-ubyte.gz", bytes => { (bytes[4], bytes[5], bytes[6], bytes[7]) = (0x02, 0, 0, 0); return bytes; });
        var error = Assert.Throws<InvalidDataException>(() => Dataset.Load(_directory));
        Assert.StartsWith($"{path}: the header announces 33554432 images (26306674704 bytes) but the file can hold at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongMagicNumber_IsRejected()
    {
        var path = Rewrite("train-labels-idx1-ubyte.gz", bytes => { bytes[3] = 0x03; return bytes; });
        var error = Assert.Throws<InvalidDataException>(() => Dataset.Load(_directory));
        Assert.Equal($"{path}: its magic number is 0x00000803, not 0x00000801 (IDX labels).", error.Message);
    }

    [Fact]
    public void MismatchedLabelCount_IsRejected()
    {
        var path = Rewrite("train-labels-idx1-ubyte.gz", bytes => { bytes[7] = 0x10; return bytes[..(8 + 0x0B10)]; });
        var error = Assert.Throws<InvalidDataException>(() => Dataset.Load(_directory));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("has 2832 labels but", error.Message, StringComparison.Ordinal);
        Assert.Contains("has 3000 images; they must match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImagesOfAnotherSize_AreRejected_SayingWhichSize()
    {
        // 14 rows of 56 pixels: the same 784 values per image, laid out as another picture.
        var path = Rewrite("t10k-images-idx3-ubyte.gz", bytes => { (bytes[11], bytes[15]) = (14, 56); return bytes; });
        var error = Assert.Throws<InvalidDataException>(() => Dataset.Load(_directory));
        Assert.StartsWith($"{path}: the images are 14×56; Fashion-MNIST's are 28×28", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsImages_ViewsTheSamePixels_AsOneChannelImages()
    {
        var data = Dataset.Load(_directory);
        var images = data.AsImages();
        Assert.Equal((new Backprop.TensorShape(3000, 1, 28, 28), new Backprop.TensorShape(1000, 1, 28, 28)), (images.TrainImages.Shape, images.TestImages.Shape));
        Assert.Equal(data.TrainImages[5, 3 * 28 + 17], images.TrainImages[5, 0, 3, 17]);
        Assert.Same(data.TestLabels, images.TestLabels);
    }

    [Fact]
    public void NotGzip_IsRejected()
    {
        var path = Path.Combine(_directory, "t10k-labels-idx1-ubyte.gz");
        File.WriteAllText(path, "not a gzip file");
        var error = Assert.Throws<InvalidDataException>(() => Dataset.Load(_directory));
        Assert.StartsWith($"{path}: it is not a valid gzip file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsNamed()
    {
        File.Delete(Path.Combine(_directory, "train-images-idx3-ubyte.gz"));
        var error = Assert.Throws<FileNotFoundException>(() => Dataset.Load(_directory));
        Assert.Contains("train-images-idx3-ubyte.gz: the file is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UncompressedFiles_AreReadToo()
    {
        var compressed = Dataset.Load(_directory);
        foreach (var path in Directory.GetFiles(_directory, "*.gz"))
        {
            using (var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
            using (var output = File.Create(path[..^3]))
            {
                input.CopyTo(output);
            }

            File.Delete(path);
        }

        var plain = Dataset.Load(_directory);
        Assert.Equal(compressed.TrainImages.ToArray(), plain.TrainImages.ToArray());
        Assert.Equal(compressed.TestLabels, plain.TestLabels);
    }

    /// <summary>Decompresses one file, changes its bytes, compresses it again; returns its path.</summary>
    private string Rewrite(string name, Func<byte[], byte[]> change)
    {
        var path = Path.Combine(_directory, name);
        byte[] bytes;
        using (var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            input.CopyTo(buffer);
            bytes = buffer.ToArray();
        }

        var changed = change(bytes);
        using var output = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        output.Write(changed);
        return path;
    }
}
