using System;

namespace Backprop;

/// <summary>
/// Tensor operations for neural-network code, each with its derivative rule (<see cref="DerivativeRuleAttribute"/>), so
/// a <see cref="DifferentiableAttribute"/> method can use them and get its backward pass written by the generator.
/// Write <c>using static Backprop.Nn;</c> to call them as <c>Relu(X * W1 + b1)</c>.
/// </summary>
/// <remarks>
/// Outputs come from the open <see cref="Workspace"/> scope (or are allocated when none is open). Every rule adds
/// into the adjoints it is given and skips an adjoint that is null. Shape errors name the operation and both shapes.
/// </remarks>
public static partial class Nn
{
    /// <summary>
    /// Images x [N × C × H × W] (any rank) as rows [N × C·H·W], for a linear head after convolutions. In
    /// <see cref="DifferentiableAttribute"/> code use this rather than <see cref="Tensor.Flatten"/>: it copies into the
    /// workspace (so the gradient has a tensor of its own, and a warm step allocates nothing), and has a rule.
    /// </summary>
    [DerivativeRule(nameof(FlattenBackward))]
    public static Tensor Flatten(Tensor x)
    {
        NotNull("Flatten", x, nameof(x));
        var result = Workspace.Uninitialized(TensorShape.Matrix(x.Rows, x.Columns));
        x.Span.CopyTo(result.Span);
        TraceIfActive("Flatten", result, x);
        return result;
    }

    /// <summary>Rule of <see cref="Flatten"/>: dx += dResult, element for element (the same order, another shape).</summary>
    public static void FlattenBackward(Tensor x, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckAdjoint("FlattenBackward", result, dResult, nameof(dResult));
        CheckAdjoint("FlattenBackward", x, dx, nameof(dx));
        if (dx is not null)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(dx.Span, dResult.Span, dx.Span);
        }
    }

    /// <summary>
    /// The columns of a [m × p] beside those of b [m × q]: [m × (p + q)] — two hidden states side by side (a
    /// bidirectional layer's), or an input beside a state.
    /// </summary>
    /// <exception cref="ArgumentException">a or b is not a matrix, or their rows differ (the message names both shapes).</exception>
    [DerivativeRule(nameof(ConcatColumnsBackward))]
    public static Tensor ConcatColumns(Tensor a, Tensor b)
    {
        NotNull("ConcatColumns", a, nameof(a));
        NotNull("ConcatColumns", b, nameof(b));
        if (a.Rank != 2 || b.Rank != 2 || a.Rows != b.Rows)
        {
            throw new ArgumentException($"ConcatColumns: a {a.Shape} and b {b.Shape} must be matrices with the same number of rows.");
        }

        var result = Workspace.Uninitialized(TensorShape.Matrix(a.Rows, a.Columns + b.Columns));
        for (var row = 0; row < a.Rows; row++)
        {
            var destination = result.Row(row);
            a.Row(row).CopyTo(destination);
            b.Row(row).CopyTo(destination[a.Columns..]);
        }

        return Traced("ConcatColumns", result, a, b);
    }

    /// <summary>Rule of <see cref="ConcatColumns"/>: da += dResult's first p columns, db += the rest.</summary>
    public static void ConcatColumnsBackward(Tensor a, Tensor b, Tensor result, Tensor dResult, Tensor? da, Tensor? db)
    {
        CheckAdjoint("ConcatColumnsBackward", result, dResult, nameof(dResult));
        CheckAdjoint("ConcatColumnsBackward", a, da, nameof(da));
        CheckAdjoint("ConcatColumnsBackward", b, db, nameof(db));
        for (var row = 0; row < result.Rows; row++)
        {
            var gradient = dResult.Row(row);
            if (da is not null)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(da.Row(row), gradient[..a.Columns], da.Row(row));
            }

            if (db is not null)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(db.Row(row), gradient[a.Columns..], db.Row(row));
            }
        }
    }

    /// <summary>
    /// Columns <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 of a matrix x [m × n]:
    /// [m × count] — one gate's share of an LSTM's fused product, one head's features.
    /// </summary>
    /// <exception cref="ArgumentException">x is not a matrix.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The columns asked for are not all within x (the message names x's shape).</exception>
    [DerivativeRule(nameof(SliceColumnsBackward))]
    public static Tensor SliceColumns(Tensor x, int start, int count)
    {
        CheckColumns("SliceColumns", x, start, count);
        var result = Workspace.Uninitialized(TensorShape.Matrix(x.Rows, count));
        for (var row = 0; row < x.Rows; row++)
        {
            x.Row(row).Slice(start, count).CopyTo(result.Row(row));
        }

        TraceIfActive("SliceColumns", result, x, start, count);
        return result;
    }

    /// <summary>Rule of <see cref="SliceColumns"/>: dResult is added into those columns of dx; the others get nothing.</summary>
    public static void SliceColumnsBackward(Tensor x, int start, int count, Tensor result, Tensor dResult, Tensor? dx)
    {
        CheckColumns("SliceColumnsBackward", x, start, count);
        CheckAdjoint("SliceColumnsBackward", result, dResult, nameof(dResult));
        CheckAdjoint("SliceColumnsBackward", x, dx, nameof(dx));
        if (dx is null)
        {
            return;
        }

        for (var row = 0; row < x.Rows; row++)
        {
            var destination = dx.Row(row).Slice(start, count);
            System.Numerics.Tensors.TensorPrimitives.Add(destination, dResult.Row(row), destination);
        }
    }

    private static void CheckColumns(string operation, Tensor x, int start, int count)
    {
        NotNull(operation, x, nameof(x));
        if (x.Rank != 2)
        {
            throw new ArgumentException($"{operation}: x {x.Shape} must be a matrix.", nameof(x));
        }

        if (start < 0 || count < 1 || start > x.Columns - count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"{operation}: columns {start} to {start + count - 1} ({count} from {start}) are not all within x {x.Shape}.");
        }
    }

    internal static void CheckSameShape(string operation, Tensor a, Tensor b)
    {
        if (!a.HasShapeOf(b))
        {
            throw new ArgumentException($"{operation}: the shapes {a.Shape} and {b.Shape} must be equal.");
        }
    }

    /// <summary>Checks that an adjoint, when given, has the shape of its value.</summary>
    internal static void CheckAdjoint(string operation, Tensor value, Tensor? adjoint, string name)
    {
        if (adjoint is not null && !adjoint.HasShapeOf(value))
        {
            throw new ArgumentException($"{operation}: the adjoint {name} is {adjoint.Shape} but its value is {value.Shape}; they must be equal.");
        }
    }

    /// <summary>A rule's residual must be what its forward companion handed out for this call: shaped like <paramref name="value"/>.</summary>
    internal static void CheckResidual(string operation, string forward, Tensor value, Tensor? residual, string name)
    {
        if (residual is null || !residual.HasShapeOf(value))
        {
            throw new ArgumentException($"{operation}: the residual {name} is {(residual is null ? "null" : residual.Shape.ToString())} but must be shaped like {value.Shape}: pass the {name} that {forward} handed out for this call.");
        }
    }

    private static Tensor Like(Tensor shape) => Workspace.Uninitialized(shape.Shape);

    private static ArgumentNullException Missing(string operation, string name) => new(name, $"{operation}: {name} is null.");

    private static void NotNull(string operation, Tensor? a, string name)
    {
        if (a is null)
        {
            throw Missing(operation, name);
        }
    }
}
