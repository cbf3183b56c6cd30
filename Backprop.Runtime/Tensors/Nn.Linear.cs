using System;
using System.Numerics.Tensors;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Nn
{
    /// <summary>The matrix product a·b of a [m×k] and b [k×n] (a vector is one row). Also <c>a * b</c>.</summary>
    [DerivativeRule(nameof(MatMulBackward))]
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        NotNull("MatMul", a, nameof(a));
        NotNull("MatMul", b, nameof(b));
        if (a.Rank > 2 || b.Rank > 2)
        {
            throw new ArgumentException($"MatMul: {a.Shape} · {b.Shape}: MatMul multiplies vectors and matrices; Flatten a batch of images to [N × C·H·W] first.");
        }

        if (a.Columns != b.Rows)
        {
            throw new ArgumentException($"MatMul: {a.Shape} · {b.Shape}: the columns of the first ({a.Columns}) must equal the rows of the second ({b.Rows}).");
        }

        var result = Workspace.Uninitialized(TensorShape.Matrix(a.Rows, b.Columns));
        Gemm.Multiply(a.Span, b.Span, result.Span, a.Rows, b.Columns, a.Columns);
        TraceIfActive("MatMul", result, a, b);
        return result;
    }

    /// <summary>
    /// Rule of <see cref="MatMul"/>: da += dResult·bᵀ, db += aᵀ·dResult — two products, no transpose materialised; into a
    /// fresh adjoint the product is written (β = 0), not added.
    /// </summary>
    public static void MatMulBackward(Tensor a, Tensor b, Tensor result, Tensor dResult, [WritesFirst] Tensor? da, [WritesFirst] Tensor? db)
    {
        CheckAdjoint("MatMulBackward", result, dResult, nameof(dResult));
        CheckAdjoint("MatMulBackward", a, da, nameof(da));
        CheckAdjoint("MatMulBackward", b, db, nameof(db));
        if (da is not null)
        {
            Gemm.Multiply(dResult.Span, b.Span, da.Span, a.Rows, a.Columns, b.Columns, transposeB: true, beta: da.TakeFresh() ? 0f : 1f);
        }

        if (db is not null)
        {
            var fresh = db.TakeFresh();
            Gemm.Multiply(a.Span, dResult.Span, db.Span, b.Rows, b.Columns, a.Rows, transposeA: true, beta: fresh ? 0f : 1f);
            db.WrittenAcrossCores = (db.WrittenAcrossCores && !fresh) || Gemm.SplitsAcrossCores(b.Rows, b.Columns, a.Rows);
        }
    }

    /// <summary>
    /// a + b element by element; when one is a vector and the other a matrix with as many columns, the vector is added
    /// to every row (the bias broadcast). Also <c>a + b</c>.
    /// </summary>
    [DerivativeRule(nameof(AddBackward))]
    public static Tensor Add(Tensor a, Tensor b) => Traced("Add", Combine("Add", a, b, 1f), a, b);

    /// <summary>
    /// Rule of <see cref="Add"/>: each input receives dResult (the distributor); a broadcast vector receives its column
    /// sums. An adjoint that is dResult itself (<see cref="Workspace.PassedThrough"/>) already holds its share.
    /// </summary>
    public static void AddBackward(Tensor a, Tensor b, Tensor result, Tensor dResult, [SharesGradient] Tensor? da, [SharesGradient] Tensor? db)
    {
        Distribute("AddBackward", a, dResult, ReferenceEquals(da, dResult) ? null : da, 1f);
        Distribute("AddBackward", b, dResult, ReferenceEquals(db, dResult) ? null : db, 1f);
    }

    /// <summary>a − b element by element, with the same broadcast as <see cref="Add"/>. Also <c>a - b</c>.</summary>
    [DerivativeRule(nameof(SubtractBackward))]
    public static Tensor Subtract(Tensor a, Tensor b) => Traced("Subtract", Combine("Subtract", a, b, -1f), a, b);

    /// <summary>
    /// Rule of <see cref="Subtract"/>: da += dResult, db −= dResult (column sums for a broadcast vector). A da that is
    /// dResult itself (<see cref="Workspace.PassedThrough"/>) already holds its share.
    /// </summary>
    public static void SubtractBackward(Tensor a, Tensor b, Tensor result, Tensor dResult, [SharesGradient] Tensor? da, Tensor? db)
    {
        Distribute("SubtractBackward", a, dResult, ReferenceEquals(da, dResult) ? null : da, 1f);
        if (ReferenceEquals(db, dResult))
        {
            throw new ArgumentException("SubtractBackward: db cannot share dResult's tensor (it receives −dResult).", nameof(db));
        }

        Distribute("SubtractBackward", b, dResult, db, -1f);
    }

    /// <summary>The element-wise (Hadamard) product of two tensors of one shape.</summary>
    [DerivativeRule(nameof(MultiplyBackward))]
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        CheckSameShape("Multiply", a, b);
        var result = Like(a);
        TensorPrimitives.Multiply(a.Span, b.Span, result.Span);
        TraceIfActive("Multiply", result, a, b);
        return result;
    }

    /// <summary>Rule of <see cref="Multiply"/>, the switcher: da += dResult ⊙ b, db += dResult ⊙ a.</summary>
    public static void MultiplyBackward(Tensor a, Tensor b, Tensor result, Tensor dResult, Tensor? da, Tensor? db)
    {
        CheckAdjoint("MultiplyBackward", result, dResult, nameof(dResult));
        CheckAdjoint("MultiplyBackward", a, da, nameof(da));
        CheckAdjoint("MultiplyBackward", b, db, nameof(db));
        if (da is not null)
        {
            TensorPrimitives.MultiplyAdd(dResult.Span, b.Span, da.Span, da.Span);
        }

        if (db is not null)
        {
            TensorPrimitives.MultiplyAdd(dResult.Span, a.Span, db.Span, db.Span);
        }
    }

    /// <summary>s · a. Also <c>s * a</c> and <c>a * s</c>.</summary>
    [DerivativeRule(nameof(ScaleBackward))]
    public static Tensor Scale(Tensor a, float s)
    {
        NotNull("Scale", a, nameof(a));
        var result = Like(a);
        TensorPrimitives.Multiply(a.Span, s, result.Span);
        TraceIfActive("Scale", result, a, s);
        return result;
    }

    /// <summary>Rule of <see cref="Scale"/>: da += s·dResult, ds += Σ dResult ⊙ a.</summary>
    public static void ScaleBackward(Tensor a, float s, Tensor result, Tensor dResult, Tensor? da, ref float ds)
    {
        CheckAdjoint("ScaleBackward", result, dResult, nameof(dResult));
        CheckAdjoint("ScaleBackward", a, da, nameof(da));
        if (da is not null)
        {
            TensorPrimitives.MultiplyAdd(dResult.Span, s, da.Span, da.Span);
        }

        ds += TensorPrimitives.Dot(dResult.Span, a.Span);
    }

    /// <summary>alpha·x + y, the BLAS axpy, as a new tensor.</summary>
    [DerivativeRule(nameof(AxpyBackward))]
    public static Tensor Axpy(float alpha, Tensor x, Tensor y)
    {
        CheckSameShape("Axpy", x, y);
        var result = Like(x);
        TensorPrimitives.MultiplyAdd(x.Span, alpha, y.Span, result.Span);
        return result;
    }

    /// <summary>Rule of <see cref="Axpy"/>: dalpha += Σ dResult ⊙ x, dx += alpha·dResult, dy += dResult.</summary>
    public static void AxpyBackward(float alpha, Tensor x, Tensor y, Tensor result, Tensor dResult, ref float dalpha, Tensor? dx, Tensor? dy)
    {
        CheckAdjoint("AxpyBackward", result, dResult, nameof(dResult));
        CheckAdjoint("AxpyBackward", x, dx, nameof(dx));
        CheckAdjoint("AxpyBackward", y, dy, nameof(dy));
        dalpha += TensorPrimitives.Dot(dResult.Span, x.Span);
        if (dx is not null)
        {
            TensorPrimitives.MultiplyAdd(dResult.Span, alpha, dx.Span, dx.Span);
        }

        if (dy is not null)
        {
            TensorPrimitives.Add(dy.Span, dResult.Span, dy.Span);
        }
    }

    private static Tensor Combine(string operation, Tensor a, Tensor b, float sign)
    {
        NotNull(operation, a, nameof(a));
        NotNull(operation, b, nameof(b));
        if (a.HasShapeOf(b))
        {
            var same = Like(a);
            if (sign > 0)
            {
                SpanMath.Add(a.Span, b.Span, same.Span);
            }
            else
            {
                SpanMath.Subtract(a.Span, b.Span, same.Span);
            }

            return same;
        }

        var (matrix, vector) = a.Rank == 2 && b.Rank == 1 ? (a, b) : (b, a);
        if (matrix.Rank != 2 || vector.Rank != 1 || vector.Columns != matrix.Columns)
        {
            throw new ArgumentException($"{operation}: the shapes {a.Shape} and {b.Shape} must be equal, or one must be a vector as long as the other's rows (a bias).");
        }

        var result = Like(matrix);
        var bias = vector.Span;
        for (var row = 0; row < matrix.Rows; row++)
        {
            var source = matrix.Row(row);
            var destination = result.Row(row);
            if (sign > 0)
            {
                SpanMath.Add(source, bias, destination);
            }
            else if (ReferenceEquals(matrix, a))
            {
                SpanMath.Subtract(source, bias, destination);
            }
            else
            {
                SpanMath.Subtract(bias, source, destination);
            }
        }

        return result;
    }

    /// <summary>adjoint += sign·dResult, summed over rows when the input was a broadcast vector.</summary>
    private static void Distribute(string operation, Tensor input, Tensor dResult, Tensor? adjoint, float sign)
    {
        if (adjoint is null)
        {
            return;
        }

        CheckAdjoint(operation, input, adjoint, "adjoint");
        if (input.HasShapeOf(dResult))
        {
            SpanMath.AddScaled(dResult.Span, sign, adjoint.Span);
            return;
        }

        var destination = adjoint.Span;
        for (var row = 0; row < dResult.Rows; row++)
        {
            SpanMath.AddScaled(dResult.Row(row), sign, destination);
        }
    }
}
