using System.Numerics.Tensors;

namespace Backprop;

public static partial class Nn
{
    /// <summary>Inverted dropout of <paramref name="x"/> by <paramref name="layer"/> (identity when the layer is in evaluation mode).</summary>
    [DerivativeRule(nameof(DropoutBackward), Forward = nameof(DropoutForward))]
    public static Tensor Dropout(Tensor x, DropoutLayer layer) => Drop(x, layer, keepMask: false, out _);

    /// <summary>
    /// <see cref="Dropout"/>, handing out the mask it applied (1/(1 − rate) where kept, 0 where dropped; all 1 in
    /// evaluation mode): the residual its rule reads. Each call has a mask of its own, so one layer can be used in
    /// several places and in a loop.
    /// </summary>
    public static Tensor DropoutForward(Tensor x, DropoutLayer layer, out Tensor mask)
    {
        var result = Drop(x, layer, keepMask: true, out var kept);
        mask = kept!;
        return result;
    }

    /// <summary>Rule of <see cref="Dropout"/>: dx += dResult ⊙ mask (the mask the forward pass applied).</summary>
    public static void DropoutBackward(Tensor x, DropoutLayer layer, Tensor result, Tensor mask, Tensor dResult, Tensor? dx)
    {
        CheckAdjoint("DropoutBackward", result, dResult, nameof(dResult));
        CheckAdjoint("DropoutBackward", x, dx, nameof(dx));
        CheckResidual("DropoutBackward", nameof(DropoutForward), x, mask, nameof(mask));
        if (dx is not null)
        {
            TensorPrimitives.MultiplyAdd(dResult.Span, mask.Span, dx.Span, dx.Span);
        }
    }

    /// <summary>
    /// The dropout of <paramref name="x"/>, and its mask: always drawn in training mode (the product needs it), in
    /// evaluation mode made (all 1) only when <paramref name="keepMask"/>, for the backward pass.
    /// </summary>
    private static Tensor Drop(Tensor x, DropoutLayer layer, bool keepMask, out Tensor? mask)
    {
        NotNull("Dropout", x, nameof(x));
        System.ArgumentNullException.ThrowIfNull(layer);
        var result = Like(x);
        if (!layer.Training || layer.Rate == 0f)
        {
            mask = keepMask ? Like(x) : null;
            mask?.Fill(1f);
            x.Span.CopyTo(result.Span);
            TraceIfActive("Identity", result, x);
            return result;
        }

        mask = Like(x);
        layer.DrawMask(mask.Span);
        TensorPrimitives.Multiply(x.Span, mask.Span, result.Span);
        return result;
    }
}
