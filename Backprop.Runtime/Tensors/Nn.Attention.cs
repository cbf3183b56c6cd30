using System;

namespace Backprop;

public static partial class Nn
{
    /// <summary>
    /// A linear layer over the last axis, x·W + b, for any rank: tokens [batch × tokens × D] with W [D × E] give
    /// [batch × tokens × E] (PyTorch's <c>linear</c>, with W stored [in × out] as everywhere here). One matrix product.
    /// </summary>
    [DerivativeRule(nameof(LinearBackward))]
    public static Tensor Linear(Tensor x, Tensor w, Tensor b)
    {
        var (rows, inputs, outputs) = LinearShape("Linear", x, w, b);
        var result = Workspace.Uninitialized(x.Shape.WithLength(-1, outputs));
        var output = result.Span;
        var bias = b.Span;
        for (var row = 0; row < rows; row++)
        {
            bias.CopyTo(output.Slice(row * outputs, outputs));
        }

        Gemm.Multiply(x.Span, w.Span, output, rows, outputs, inputs, beta: 1f);
        TraceIfActive("Linear", result, x, w);
        return result;
    }

    /// <summary>Rule of <see cref="Linear"/>: dx += dY·Wᵀ, dW += xᵀ·dY, db += dY's column sums, with every token a row.</summary>
    public static void LinearBackward(Tensor x, Tensor w, Tensor b, Tensor result, Tensor dResult, Tensor? dx, Tensor? dw, Tensor? db)
    {
        var (rows, inputs, outputs) = LinearShape("LinearBackward", x, w, b);
        CheckAdjoint("LinearBackward", result, dResult, nameof(dResult));
        CheckAdjoint("LinearBackward", x, dx, nameof(dx));
        CheckAdjoint("LinearBackward", w, dw, nameof(dw));
        CheckAdjoint("LinearBackward", b, db, nameof(db));
        if (dx is not null)
        {
            Gemm.Multiply(dResult.Span, w.Span, dx.Span, rows, inputs, outputs, transposeB: true, beta: 1f);
        }

        if (dw is not null)
        {
            Gemm.Multiply(x.Span, dResult.Span, dw.Span, inputs, outputs, rows, transposeA: true, beta: 1f);
        }

        if (db is not null)
        {
            var gradient = dResult.Span;
            for (var row = 0; row < rows; row++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(db.Span, gradient.Slice(row * outputs, outputs), db.Span);
            }
        }
    }

    /// <summary>
    /// The matrix product of each pair in a batch: a [B × M × K] · b [B × K × N] = [B × M × N]; with
    /// <paramref name="transposeB"/>, b is [B × N × K] and each product is a·bᵀ (attention's queries · keysᵀ, no
    /// transpose materialised).
    /// </summary>
    [DerivativeRule(nameof(BatchMatMulBackward))]
    public static Tensor BatchMatMul(Tensor a, Tensor b, [NoDiff] bool transposeB = false)
    {
        var (batch, m, k, n) = BatchShape("BatchMatMul", a, b, transposeB);
        var result = Workspace.Uninitialized(new TensorShape(batch, m, n));
        for (var i = 0; i < batch; i++)
        {
            Gemm.Multiply(a.Span.Slice(i * m * k, m * k), b.Span.Slice(i * k * n, k * n), result.Span.Slice(i * m * n, m * n), m, n, k, transposeB: transposeB);
        }

        TraceIfActive("BatchMatMul", result, a, b);
        return result;
    }

    /// <summary>
    /// Rule of <see cref="BatchMatMul"/>, pair by pair: da += dY·bᵀ and db += aᵀ·dY; with transposeB (Y = a·bᵀ),
    /// da += dY·b and db += dYᵀ·a.
    /// </summary>
    public static void BatchMatMulBackward(Tensor a, Tensor b, bool transposeB, Tensor result, Tensor dResult, Tensor? da, Tensor? db)
    {
        var (batch, m, k, n) = BatchShape("BatchMatMulBackward", a, b, transposeB);
        CheckAdjoint("BatchMatMulBackward", result, dResult, nameof(dResult));
        CheckAdjoint("BatchMatMulBackward", a, da, nameof(da));
        CheckAdjoint("BatchMatMulBackward", b, db, nameof(db));
        for (var i = 0; i < batch; i++)
        {
            var left = a.Span.Slice(i * m * k, m * k);
            var right = b.Span.Slice(i * k * n, k * n);
            var gradient = dResult.Span.Slice(i * m * n, m * n);
            if (da is not null)
            {
                Gemm.Multiply(gradient, right, da.Span.Slice(i * m * k, m * k), m, k, n, transposeB: !transposeB, beta: 1f);
            }

            if (db is not null)
            {
                var adjoint = db.Span.Slice(i * k * n, k * n);
                if (transposeB)
                {
                    Gemm.Multiply(gradient, left, adjoint, n, k, m, transposeA: true, beta: 1f);
                }
                else
                {
                    Gemm.Multiply(left, gradient, adjoint, k, n, m, transposeA: true, beta: 1f);
                }
            }
        }
    }

    /// <summary>
    /// Attention scores [batch × queries × keys] with every key after its query set to −∞, so that a following
    /// <see cref="Softmax"/> gives it weight 0: a decoder's causal mask.
    /// </summary>
    [DerivativeRule(nameof(CausalMaskBackward))]
    public static Tensor CausalMask(Tensor scores)
    {
        var (queries, keys) = SquareScores("CausalMask", scores);
        var result = Like(scores);
        var input = scores.Span;
        var output = result.Span;
        for (var row = 0; row < scores.Length / keys; row++)
        {
            var query = row % queries;
            input.Slice(row * keys, query + 1).CopyTo(output.Slice(row * keys, query + 1));
            output.Slice((row * keys) + query + 1, keys - query - 1).Fill(float.NegativeInfinity);
        }

        TraceIfActive("CausalMask", result, scores);
        return result;
    }

    /// <summary>Rule of <see cref="CausalMask"/>: the kept scores pass dResult on; the masked ones receive nothing.</summary>
    public static void CausalMaskBackward(Tensor scores, Tensor result, Tensor dResult, Tensor? dscores)
    {
        var (queries, keys) = SquareScores("CausalMaskBackward", scores);
        CheckAdjoint("CausalMaskBackward", result, dResult, nameof(dResult));
        CheckAdjoint("CausalMaskBackward", scores, dscores, nameof(dscores));
        if (dscores is null)
        {
            return;
        }

        for (var row = 0; row < scores.Length / keys; row++)
        {
            var kept = (row % queries) + 1;
            var adjoint = dscores.Span.Slice(row * keys, kept);
            System.Numerics.Tensors.TensorPrimitives.Add(adjoint, dResult.Span.Slice(row * keys, kept), adjoint);
        }
    }

    /// <summary>
    /// Tokens [batch × tokens × heads·d] as [batch·heads × tokens × d]: each head's slice of the features becomes a
    /// sequence of its own, for <see cref="BatchMatMul"/>. <see cref="MergeHeads"/> undoes it.
    /// </summary>
    [DerivativeRule(nameof(SplitHeadsBackward))]
    public static Tensor SplitHeads(Tensor x, int heads)
    {
        var (batch, tokens, width) = HeadShape("SplitHeads", x, heads);
        var result = Workspace.Uninitialized(new TensorShape(batch * heads, tokens, width));
        MoveHeads(x.Span, result.Span, batch, tokens, heads, width, split: true, add: false);
        TraceIfActive("SplitHeads", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="SplitHeads"/>: each head's gradient goes back to its slice of the features.</summary>
    public static void SplitHeadsBackward(Tensor x, int heads, Tensor result, Tensor dResult, Tensor? dx)
    {
        var (batch, tokens, width) = HeadShape("SplitHeadsBackward", x, heads);
        CheckAdjoint("SplitHeadsBackward", result, dResult, nameof(dResult));
        CheckAdjoint("SplitHeadsBackward", x, dx, nameof(dx));
        if (dx is not null)
        {
            MoveHeads(dResult.Span, dx.Span, batch, tokens, heads, width, split: false, add: true);
        }
    }

    /// <summary>[batch·heads × tokens × d] back to [batch × tokens × heads·d]: the heads side by side again.</summary>
    [DerivativeRule(nameof(MergeHeadsBackward))]
    public static Tensor MergeHeads(Tensor x, int heads)
    {
        NotNull("MergeHeads", x, nameof(x));
        if (x.Rank != 3 || heads < 1 || x.Shape[0] % heads != 0)
        {
            throw new ArgumentException($"MergeHeads: {x.Shape} must be [batch·heads × tokens × d] with a first length divisible by {heads} heads.");
        }

        var (batch, tokens, width) = (x.Shape[0] / heads, x.Shape[1], x.Shape[2]);
        var result = Workspace.Uninitialized(new TensorShape(batch, tokens, heads * width));
        MoveHeads(x.Span, result.Span, batch, tokens, heads, width, split: false, add: false);
        TraceIfActive("MergeHeads", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="MergeHeads"/>: each head's slice of the gradient goes back to its sequence.</summary>
    public static void MergeHeadsBackward(Tensor x, int heads, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckAdjoint("MergeHeadsBackward", result, dResult, nameof(dResult));
        CheckAdjoint("MergeHeadsBackward", x, dx, nameof(dx));
        if (dx is not null)
        {
            MoveHeads(dResult.Span, dx.Span, x.Shape[0] / heads, x.Shape[1], heads, x.Shape[2], split: true, add: true);
        }
    }

    /// <summary>Copies (or adds) between [batch × tokens × heads·d] and [batch·heads × tokens × d], in the direction asked.</summary>
    private static void MoveHeads(ReadOnlySpan<float> source, Span<float> destination, int batch, int tokens, int heads, int width, bool split, bool add)
    {
        for (var n = 0; n < batch; n++)
        {
            for (var t = 0; t < tokens; t++)
            {
                for (var h = 0; h < heads; h++)
                {
                    var merged = (((n * tokens) + t) * heads * width) + (h * width);
                    var separate = ((((n * heads) + h) * tokens) + t) * width;
                    var (from, to) = split ? (merged, separate) : (separate, merged);
                    var target = destination.Slice(to, width);
                    if (add)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(target, source.Slice(from, width), target);
                    }
                    else
                    {
                        source.Slice(from, width).CopyTo(target);
                    }
                }
            }
        }
    }

    private static (int Batch, int Tokens, int Width) HeadShape(string operation, Tensor x, int heads)
    {
        NotNull(operation, x, nameof(x));
        if (x.Rank != 3 || heads < 1 || x.Shape[2] % heads != 0)
        {
            throw new ArgumentException($"{operation}: {x.Shape} must be [batch × tokens × features] with features divisible by {heads} heads.");
        }

        return (x.Shape[0], x.Shape[1], x.Shape[2] / heads);
    }

    private static (int Rows, int Inputs, int Outputs) LinearShape(string operation, Tensor x, Tensor w, Tensor b)
    {
        NotNull(operation, x, nameof(x));
        NotNull(operation, w, nameof(w));
        NotNull(operation, b, nameof(b));
        if (w.Rank != 2 || x.Shape[-1] != w.Rows || b.Rank != 1 || b.Length != w.Columns)
        {
            throw new ArgumentException($"{operation}: x {x.Shape}, W {w.Shape} and b {b.Shape} must be [… × D], [D × E] and [E].");
        }

        return (x.Length / w.Rows, w.Rows, w.Columns);
    }

    private static (int Batch, int M, int K, int N) BatchShape(string operation, Tensor a, Tensor b, bool transposeB)
    {
        NotNull(operation, a, nameof(a));
        NotNull(operation, b, nameof(b));
        var k = a.Rank == 3 ? a.Shape[2] : -1;
        if (a.Rank != 3 || b.Rank != 3 || a.Shape[0] != b.Shape[0] || (transposeB ? b.Shape[2] : b.Shape[1]) != k)
        {
            throw new ArgumentException($"{operation}: {a.Shape} · {(transposeB ? b.Shape + "ᵀ" : b.Shape.ToString())}: both must be [batch × … ] of one batch, the inner lengths equal.");
        }

        return (a.Shape[0], a.Shape[1], k, transposeB ? b.Shape[1] : b.Shape[2]);
    }

    private static (int Queries, int Keys) SquareScores(string operation, Tensor scores)
    {
        NotNull(operation, scores, nameof(scores));
        if (scores.Rank != 3 || scores.Shape[1] != scores.Shape[2])
        {
            throw new ArgumentException($"{operation}: the scores {scores.Shape} must be [batch × queries × keys] with as many keys as queries.");
        }

        return (scores.Shape[1], scores.Shape[2]);
    }
}
