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
