using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace Backprop;

/// <summary>Limits the size of a step before the optimizer takes it: what keeps one bad batch from throwing a model far off.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient by one factor so that their global norm (the 2-norm of all of them laid end to end) is at
    /// most <paramref name="maxNorm"/>, and returns the norm they had. As PyTorch's <c>clip_grad_norm_</c>: the factor is
    /// maxNorm / (norm + 1e-6), applied only when it is below 1, so the direction of the step is kept.
    /// </summary>
    /// <remarks>
    /// A norm that is not finite (a gradient overflowed or is NaN) is returned and the gradients are left as they are:
    /// scaling by 0 or NaN would hide the fault. Check the result, or let the loss show it.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public static float ByGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0f) || !float.IsFinite(maxNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest gradient norm must be a positive finite number.");
        }

        // Sum the squares in double: hundreds of thousands of float squares lose digits otherwise.
        var squares = 0.0;
        for (var i = 0; i < parameters.Count; i++)
        {
            var norm = TensorPrimitives.Norm<float>(parameters[i].Gradient.Span);
            squares += (double)norm * norm;
        }

        var total = (float)Math.Sqrt(squares);
        var factor = maxNorm / (total + 1e-6f);
        if (float.IsFinite(total) && factor < 1f)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                var gradient = parameters[i].Gradient.Span;
                TensorPrimitives.Multiply(gradient, factor, gradient);
            }
        }

        return total;
    }
}
