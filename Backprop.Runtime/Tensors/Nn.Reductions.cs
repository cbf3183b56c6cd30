using System;
using System.Numerics.Tensors;

namespace Backprop;

public static partial class Nn
{
    /// <summary>The sum of every element.</summary>
    [DerivativeRule(nameof(SumBackward))]
    public static float Sum(Tensor a)
    {
        NotNull("Sum", a, nameof(a));
        return TensorPrimitives.Sum<float>(a.Span);
    }

    /// <summary>Rule of <see cref="Sum"/>: da += dResult everywhere.</summary>
    public static void SumBackward(Tensor a, float result, float dResult, Tensor? da)
    {
        CheckAdjoint("SumBackward", a, da, nameof(da));
        if (da is not null)
        {
            TensorPrimitives.Add(da.Span, dResult, da.Span);
        }
    }

    /// <summary>Σ a², e.g. for an L2 penalty (the lecture notes' ½λ‖W‖² is <c>0.5f * lambda * SumOfSquares(W)</c>).</summary>
    [DerivativeRule(nameof(SumOfSquaresBackward))]
    public static float SumOfSquares(Tensor a)
    {
        NotNull("SumOfSquares", a, nameof(a));
        return TensorPrimitives.SumOfSquares<float>(a.Span);
    }

    /// <summary>Rule of <see cref="SumOfSquares"/>: da += 2a·dResult.</summary>
    public static void SumOfSquaresBackward(Tensor a, float result, float dResult, Tensor? da)
    {
        CheckAdjoint("SumOfSquaresBackward", a, da, nameof(da));
        if (da is not null)
        {
            TensorPrimitives.MultiplyAdd(a.Span, 2f * dResult, da.Span, da.Span);
        }
    }

    /// <summary>The sum of each row of a [m×n] matrix: a vector of length m.</summary>
    [DerivativeRule(nameof(RowSumsBackward))]
    public static Tensor RowSums(Tensor a)
    {
        NotNull("RowSums", a, nameof(a));
        var result = Workspace.Uninitialized(TensorShape.Vector(a.Rows));
        var sums = result.Span;
        for (var row = 0; row < a.Rows; row++)
        {
            sums[row] = TensorPrimitives.Sum<float>(a.Row(row));
        }

        return result;
    }

    /// <summary>Rule of <see cref="RowSums"/>: row i of da receives dResult[i] in every column.</summary>
    public static void RowSumsBackward(Tensor a, Tensor result, Tensor dResult, Tensor? da)
    {
        CheckAdjoint("RowSumsBackward", result, dResult, nameof(dResult));
        CheckAdjoint("RowSumsBackward", a, da, nameof(da));
        if (da is null)
        {
            return;
        }

        var gradient = dResult.Span;
        for (var row = 0; row < a.Rows; row++)
        {
            var destination = da.Row(row);
            TensorPrimitives.Add(destination, gradient[row], destination);
        }
    }

    /// <summary>The sum of each column of a [m×n] matrix: a vector of length n (what a bias's gradient is).</summary>
    [DerivativeRule(nameof(ColumnSumsBackward))]
    public static Tensor ColumnSums(Tensor a)
    {
        NotNull("ColumnSums", a, nameof(a));
        var result = Workspace.Zeros(TensorShape.Vector(a.Columns));
        var sums = result.Span;
        for (var row = 0; row < a.Rows; row++)
        {
            TensorPrimitives.Add(sums, a.Row(row), sums);
        }

        return result;
    }

    /// <summary>Rule of <see cref="ColumnSums"/>: every row of da receives dResult.</summary>
    public static void ColumnSumsBackward(Tensor a, Tensor result, Tensor dResult, Tensor? da)
    {
        CheckAdjoint("ColumnSumsBackward", result, dResult, nameof(dResult));
        CheckAdjoint("ColumnSumsBackward", a, da, nameof(da));
        if (da is null)
        {
            return;
        }

        for (var row = 0; row < a.Rows; row++)
        {
            var destination = da.Row(row);
            TensorPrimitives.Add(destination, dResult.Span, destination);
        }
    }

    /// <summary>
    /// The column of each row's largest element (the first on ties) into <paramref name="indices"/> — a class
    /// prediction. Integer-valued, so it has no derivative.
    /// </summary>
    public static void ArgMax(Tensor a, Span<int> indices)
    {
        NotNull("ArgMax", a, nameof(a));
        if (indices.Length != a.Rows)
        {
            throw new ArgumentException($"ArgMax: {a.Shape} has {a.Rows} rows but indices has {indices.Length} elements.", nameof(indices));
        }

        for (var row = 0; row < a.Rows; row++)
        {
            indices[row] = TensorPrimitives.IndexOfMax<float>(a.Row(row));
        }
    }
}
