using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Backprop.Kernels.Common;

namespace Backprop;

public static partial class Activations
{
    /// <summary>
    /// Row-wise softmax of a [rows, columns] matrix, stable for large values: each row is shifted by its maximum
    /// before the exponential, so y = e^(x − max) / Σ e^(x − max).
    /// </summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int columns)
    {
        var rows = SoftmaxRows("Softmax", x.Length, y.Length, columns);
        for (var row = 0; row < rows; row++)
        {
            var source = x.Slice(row * columns, columns);
            TensorPrimitives.Subtract(source, TensorPrimitives.Max(source), y.Slice(row * columns, columns));
        }

        // One exponential over the whole matrix: narrow rows (10 classes) would waste most of a vector each.
        SpanMath.Exp(y, y);
        for (var row = 0; row < rows; row++)
        {
            var destination = y.Slice(row * columns, columns);
            TensorPrimitives.Multiply(destination, 1f / TensorPrimitives.Sum<float>(destination), destination);
        }
    }

    /// <summary>dx += y ⊙ (dy − (dy · y)) row by row, from the forward output y.</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns)
    {
        var rows = SoftmaxRows("SoftmaxBackward", y.Length, dy.Length, columns);
        if (dx.Length != y.Length)
        {
            throw new ArgumentException($"SoftmaxBackward: y has {y.Length} elements but dx has {dx.Length}; they must match.");
        }

        for (var row = 0; row < rows; row++)
        {
            var values = y.Slice(row * columns, columns);
            var gradient = dy.Slice(row * columns, columns);
            GradientDriver.Accumulate("SoftmaxBackward", values, gradient, dx.Slice(row * columns, columns),
                new SoftmaxGradientOperator(TensorPrimitives.Dot(values, gradient)));
        }
    }

    private static int SoftmaxRows(string operation, int length, int otherLength, int columns)
    {
        if (columns <= 0 || length % columns != 0 || otherLength != length)
        {
            throw new ArgumentException($"{operation}: {length} and {otherLength} elements are not two [rows × {columns}] matrices of one shape.");
        }

        return length / columns;
    }
}

/// <summary>y · (dy − dot), where dot = Σ dy·y over the row.</summary>
internal readonly struct SoftmaxGradientOperator(float dot) : IBinaryGradientOperator
{
    public float Invoke(float value, float dy) => value * (dy - dot);

    public Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy) => value * (dy - Vector512.Create(dot));

    public Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy) => value * (dy - Vector256.Create(dot));

    public Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy) => value * (dy - Vector128.Create(dot));
}
