using System;
using System.Buffers;
using System.Numerics.Tensors;
using Backprop.Kernels;
using Backprop.Kernels.Gemm;

namespace Backprop;

public static partial class Nn
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as PyTorch's <c>conv2d</c>) of images x [N × C × H × W] with kernels
    /// w [O × C × kh × kw] and a bias b [O]: result [N × O × H' × W'], H' = ⌊(H + 2·padding − kh)/stride⌋ + 1. Each image
    /// is unfolded (im2col) and multiplied by the kernels as one matrix product on <see cref="Gemm"/>; the images are
    /// shared out between up to <see cref="Gemm.MaxThreads"/> cores, each product on one core (a product per image is
    /// too small to gain from splitting, measured at the CNN sample's sizes).
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not fit (the message names both), or stride/padding are out of range.</exception>
    [DerivativeRule(nameof(Conv2dBackward))]
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor b, int stride = 1, int padding = 0)
    {
        var window = ConvolutionWindow("Conv2d", x, w, b, stride, padding);
        var (images, outputs) = (x.Shape[0], w.Shape[0]);
        var result = Workspace.Uninitialized(new TensorShape(images, outputs, window.OutputHeight, window.OutputWidth));
        using var correlation = Correlation.Of(window, w.Span);
        ForEachShare(images, Shares(images, ConvolutionWork(window, images, outputs)), (x, b, result, outputs, correlation), static (s, _, first, end) =>
        {
            var (x, b, result, outputs, correlation) = s;
            var columns = ArrayPool<float>.Shared.Rent(correlation.ColumnsLength);
            try
            {
                var positions = correlation.Window.Positions;
                for (var n = first; n < end; n++)
                {
                    var plane = result.Span.Slice(n * result.Columns, result.Columns);
                    for (var o = 0; o < outputs; o++)
                    {
                        plane.Slice(o * positions, positions).Fill(b.Span[o]);
                    }

                    correlation.Add(x.Span.Slice(n * x.Columns, x.Columns), columns, plane);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(columns);
            }
        });

        TraceIfActive("Conv2d", result, x, w);
        return result;
    }

    /// <summary>
    /// Rule of <see cref="Conv2d"/>: per image, dw += dY·columnsᵀ, db += dY's sum over positions, and dx += dY
    /// correlated with the flipped kernels where the window keeps the image's size and there are no more output
    /// channels than input channels (<see cref="Correlation.InputGradientOf"/>), dx += col2im(wᵀ·dY) otherwise. The
    /// unfolded image is made again rather than kept from the forward pass (both in the <see cref="Unfolding"/>'s row
    /// order). Images are shared out as in the forward pass; each share sums its dw and db apart, added in share order
    /// at the end.
    /// </summary>
    public static void Conv2dBackward(Tensor x, Tensor w, Tensor b, int stride, int padding, Tensor result, Tensor dResult, Tensor? dx, Tensor? dw, Tensor? db)
    {
        var window = ConvolutionWindow("Conv2dBackward", x, w, b, stride, padding);
        CheckAdjoint("Conv2dBackward", result, dResult, nameof(dResult));
        CheckAdjoint("Conv2dBackward", x, dx, nameof(dx));
        CheckAdjoint("Conv2dBackward", w, dw, nameof(dw));
        CheckAdjoint("Conv2dBackward", b, db, nameof(db));
        var (images, outputs) = (x.Shape[0], w.Shape[0]);
        var shares = Shares(images, ConvolutionWork(window, images, outputs));
        using var unfolding = Unfolding.Of(window, w.Span);
        // dx of a window that keeps the image's size is a correlation of its own (Correlation.InputGradientOf), which
        // unfolds dY: O·kh·kw rows per image where col2im folds back C·kh·kw. It is taken where O ≤ C; with fewer input
        // channels than outputs the col2im form moves less (measured in docs/performance.md).
        var correlates = dx is not null && window.KeepsSize && outputs <= window.Channels;
        using var inputGradient = correlates ? Correlation.InputGradientOf(window, w.Span) : default;
        using var kernelsTransposed = dx is not null && !correlates ? PackedOperand.Left(unfolding.Kernels(w.Span), window.Patch, outputs, transposed: true) : default;
        // Shares that sum their dw and db apart, each into its own slice of partial: all but the first, or all of them
        // when the unfolding reorders the kernels (their gradient comes out in its order and is added back at the end).
        var apart = unfolding.Reorders ? shares : shares - 1;
        var partial = apart > 0 && (dw is not null || db is not null) ? ArrayPool<float>.Shared.Rent(apart * (w.Length + outputs)) : null;
        try
        {
            ForEachShare(images, shares, (x, w, dx, dw, db, result, dResult, window, outputs, partial, unfolding, kernelsTransposed, inputGradient, correlates), static (s, share, first, end) =>
            {
                var (x, w, dx, dw, db, result, dResult, window, outputs, partial, unfolding, kernelsTransposed, inputGradient, correlates) = s;
                var slot = unfolding.Reorders ? share : share - 1;
                var sums = slot < 0 || partial is null ? default : partial.AsSpan(slot * (w.Length + outputs), w.Length + outputs);
                sums.Clear();
                var columns = ArrayPool<float>.Shared.Rent(Math.Max(window.Patch * window.Positions, inputGradient.ColumnsLength));
                try
                {
                    var kernelGradient = dw is null ? default : slot >= 0 ? sums[..w.Length] : dw.Span;
                    var biasGradient = db is null ? default : slot >= 0 ? sums[w.Length..] : db.Span;
                    for (var n = first; n < end; n++)
                    {
                        var gradient = dResult.Span.Slice(n * result.Columns, result.Columns);
                        var unfolded = columns.AsSpan(0, window.Patch * window.Positions);
                        if (db is not null)
                        {
                            for (var o = 0; o < outputs; o++)
                            {
                                biasGradient[o] += TensorPrimitives.Sum<float>(gradient.Slice(o * window.Positions, window.Positions));
                            }
                        }

                        if (dw is not null)
                        {
                            unfolding.Im2Col(x.Span.Slice(n * x.Columns, x.Columns), unfolded);
                            Gemm.MultiplyOnThisThread(gradient, unfolded, kernelGradient, outputs, window.Patch, window.Positions, transposeB: true, beta: 1f);
                        }

                        if (dx is not null && correlates)
                        {
                            inputGradient.Add(gradient, columns, dx.Span.Slice(n * x.Columns, x.Columns));
                        }
                        else if (dx is not null)
                        {
                            Gemm.MultiplyOnThisThread(kernelsTransposed, gradient, unfolded, window.Positions);
                            unfolding.Col2ImAdd(unfolded, dx.Span.Slice(n * x.Columns, x.Columns));
                        }
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(columns);
                }
            });

            for (var slot = 0; partial is not null && slot < apart; slot++)
            {
                var sums = partial.AsSpan(slot * (w.Length + outputs), w.Length + outputs);
                if (dw is not null)
                {
                    unfolding.AddKernelGradient(sums[..w.Length], dw.Span);
                }

                if (db is not null)
                {
                    TensorPrimitives.Add(db.Span, sums[w.Length..], db.Span);
                }
            }
        }
        finally
        {
            if (partial is not null)
            {
                ArrayPool<float>.Shared.Return(partial);
            }
        }
    }

    /// <summary>A convolution's multiply-adds: what decides whether it is shared out between cores.</summary>
    private static long ConvolutionWork(Window window, int images, int outputs) => (long)images * outputs * window.Patch * window.Positions;

    private static Window ConvolutionWindow(string operation, Tensor x, Tensor w, Tensor b, int stride, int padding)
    {
        NotNull(operation, x, nameof(x));
        NotNull(operation, w, nameof(w));
        NotNull(operation, b, nameof(b));
        if (x.Rank != 4 || w.Rank != 4 || x.Shape[1] != w.Shape[1])
        {
            throw new ArgumentException($"{operation}: images {x.Shape} and kernels {w.Shape} must be [N×C×H×W] and [O×C×kh×kw] with the same C.");
        }

        if (b.Rank != 1 || b.Length != w.Shape[0])
        {
            throw new ArgumentException($"{operation}: the bias {b.Shape} must be a vector of one value per output channel of the kernels {w.Shape}.");
        }

        return CheckWindow(operation, x, new Window(x.Shape[1], x.Shape[2], x.Shape[3], w.Shape[2], w.Shape[3], stride, padding), pooling: false);
    }

    /// <summary>Stride ≥ 1, padding ≥ 0 (for pooling at most half the window, as PyTorch), and at least one output position.</summary>
    private static Window CheckWindow(string operation, Tensor x, Window window, bool pooling)
    {
        if (window.Stride < 1 || window.Padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), $"{operation}: the stride must be at least 1 and the padding at least 0 (stride {window.Stride}, padding {window.Padding}).");
        }

        if (pooling && 2 * window.Padding > Math.Min(window.KernelHeight, window.KernelWidth))
        {
            throw new ArgumentException($"{operation}: padding {window.Padding} is more than half the {window.KernelHeight}×{window.KernelWidth} window: some windows would hold only padding.");
        }

        if (window.OutputHeight < 1 || window.OutputWidth < 1)
        {
            throw new ArgumentException($"{operation}: a {window.KernelHeight}×{window.KernelWidth} window with padding {window.Padding} is larger than the images {x.Shape}.");
        }

        return window;
    }
}
