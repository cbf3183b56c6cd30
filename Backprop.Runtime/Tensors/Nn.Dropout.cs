using System.Numerics.Tensors;

namespace Backprop;

public static partial class Nn
{
    /// <summary>Inverted dropout of <paramref name="x"/> by <paramref name="layer"/> (identity when the layer is in evaluation mode).</summary>
    [DerivativeRule(nameof(DropoutBackward))]
    public static Tensor Dropout(Tensor x, DropoutLayer layer)
    {
        NotNull("Dropout", x, nameof(x));
        var result = Like(x);
        if (!layer.Training || layer.Rate == 0f)
        {
            x.Span.CopyTo(result.Span);
            TraceIfActive("Identity", result, x);
            return result;
        }

        TensorPrimitives.Multiply(x.Span, layer.NewMask(x).Span.Slice(0, x.Length), result.Span);
        return result;
    }

    /// <summary>Rule of <see cref="Dropout"/>: dx += dResult ⊙ mask (the same mask the forward pass drew).</summary>
    public static void DropoutBackward(Tensor x, DropoutLayer layer, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckAdjoint("DropoutBackward", result, dResult, nameof(dResult));
        CheckAdjoint("DropoutBackward", x, dx, nameof(dx));
        if (dx is null)
        {
            return;
        }

        if (!layer.Training || layer.Rate == 0f)
        {
            TensorPrimitives.Add(dx.Span, dResult.Span, dx.Span);
            return;
        }

        TensorPrimitives.MultiplyAdd(dResult.Span, layer.Mask(x.Length), dx.Span, dx.Span);
    }
}
