using System;
using System.IO;
using Backprop;

namespace FashionMnist;

/// <summary>Fashion-MNIST as tensors: pixels scaled to [0, 1], then standardised with the training set's statistics.</summary>
public sealed class Dataset
{
    public const string DebianPath = "/usr/share/datasets/fashion-mnist";

    /// <summary>Images are <see cref="Side"/> × <see cref="Side"/> pixels (<see cref="IdxFile"/> refuses other sizes).</summary>
    public const int Side = 28;

    private Dataset(string description, Tensor trainImages, int[] trainLabels, Tensor testImages, int[] testLabels)
    {
        Description = description;
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
    }

    public string Description { get; }

    public Tensor TrainImages { get; }

    public int[] TrainLabels { get; }

    public Tensor TestImages { get; }

    public int[] TestLabels { get; }

    /// <summary>The same images seen as [N × 1 × 28 × 28] (channels, height, width) for a convolutional network: views, not copies.</summary>
    public Dataset AsImages() => With(TrainImages.Reshape(-1, 1, Side, Side), TestImages.Reshape(-1, 1, Side, Side));

    /// <summary>The same labels and description with the images in another form (one row per image, in the same order).</summary>
    /// <exception cref="ArgumentException">A tensor's row count is not its set's image count.</exception>
    public Dataset With(Tensor trainImages, Tensor testImages) =>
        trainImages.Rows != TrainLabels.Length || testImages.Rows != TestLabels.Length
            ? throw new ArgumentException($"Dataset.With: {trainImages.Shape} and {testImages.Shape} must have a row per image ({TrainLabels.Length:N0} and {TestLabels.Length:N0}).")
            : new(Description, trainImages, TrainLabels, testImages, TestLabels);

    /// <summary>From <paramref name="directory"/> if given, else Debian's dataset-fashion-mnist, else the subset bundled with this sample.</summary>
    public static Dataset Load(string? directory)
    {
        string source;
        if (directory is not null)
        {
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"--data {directory}: no such directory.");
            }

            source = $"{directory} (given with --data)";
        }
        else if (File.Exists(Path.Combine(DebianPath, "train-images-idx3-ubyte.gz")))
        {
            directory = DebianPath;
            source = $"the full dataset in {DebianPath} (Debian package dataset-fashion-mnist)";
        }
        else
        {
            directory = Path.Combine(AppContext.BaseDirectory, "data");
            source = $"the small subset bundled with the samples ({directory}); install the Debian package dataset-fashion-mnist, or pass --data DIR, for the full 60,000 images";
        }

        var (trainImages, trainLabels) = Read(directory, "train");
        var (testImages, testLabels) = Read(directory, "t10k");
        var standardizer = Standardizer.Fit(trainImages, perFeature: false);
        standardizer.Apply(trainImages);
        standardizer.Apply(testImages);
        return new Dataset(source, trainImages, trainLabels, testImages, testLabels);
    }

    private static (Tensor Images, int[] Labels) Read(string directory, string prefix)
    {
        var imagesPath = Locate(directory, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Locate(directory, $"{prefix}-labels-idx1-ubyte");

        var images = IdxFile.ReadImages(imagesPath);
        var labels = IdxFile.ReadLabels(labelsPath);
        if (labels.Length != images.Rows)
        {
            throw new InvalidDataException($"{labelsPath}: it has {labels.Length} labels but {imagesPath} has {images.Rows} images; they must match.");
        }

        return (images, Array.ConvertAll(labels, l => (int)l));
    }

    /// <summary>The file <paramref name="name"/>.gz in <paramref name="directory"/>, or <paramref name="name"/> uncompressed.</summary>
    private static string Locate(string directory, string name)
    {
        var compressed = Path.Combine(directory, name + ".gz");
        var plain = Path.Combine(directory, name);
        return File.Exists(compressed) ? compressed
            : File.Exists(plain) ? plain
            : throw new FileNotFoundException($"{compressed}: the file is missing, and so is {name} uncompressed (a Fashion-MNIST directory holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each gzip-compressed as .gz or not).", compressed);
    }
}
