using Backprop;
using FashionMnist;

namespace FashionMnistAttention;

/// <summary>
/// Images cut into tokens for the transformer: each 28×28 image becomes 49 patches of 4×4 pixels in reading order, and
/// each patch's 16 pixels are followed by the one-hot code of its position (49 values). The embedding's linear map then
/// learns a vector per position beside its map of the pixels: a learned positional embedding, added, as ViT's.
/// </summary>
public static class Patches
{
    /// <summary>Side of a patch, in pixels.</summary>
    public const int Side = 4;

    /// <summary>Patches per image: 7 × 7.</summary>
    public const int Count = (Dataset.Side / Side) * (Dataset.Side / Side);

    /// <summary>Features per token: the patch's pixels, then its position one-hot.</summary>
    public const int Features = (Side * Side) + Count;

    /// <summary>Flat images [N × 784] as tokens [N × 49 × 65].</summary>
    public static Tensor Make(Tensor images)
    {
        var tokens = Tensor.Zeros(images.Rows, Count, Features);
        var pixels = images.Span;
        var output = tokens.Span;
        const int perRow = Dataset.Side / Side;
        for (var n = 0; n < images.Rows; n++)
        {
            for (var patch = 0; patch < Count; patch++)
            {
                var token = output.Slice(((n * Count) + patch) * Features, Features);
                var (top, left) = (patch / perRow * Side, patch % perRow * Side);
                for (var y = 0; y < Side; y++)
                {
                    pixels.Slice((n * images.Columns) + ((top + y) * Dataset.Side) + left, Side).CopyTo(token.Slice(y * Side, Side));
                }

                token[(Side * Side) + patch] = 1f;
            }
        }

        return tokens;
    }

    /// <summary>The data set with its images as tokens.</summary>
    public static Dataset Tokenize(Dataset data) => data.With(Make(data.TrainImages), Make(data.TestImages));
}
