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
