using System;
using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Max, Min, Abs and Clamp of float results in tensor code: routers, the gradient to the input that won.</summary>
public static partial class Routers
{
    [Differentiable]
    public static float Loss(Tensor x, Tensor w, float margin)
    {
        var fit = SumOfSquares(x * w);
        var size = Sum(w);
        var hinge = MathF.Max(fit - margin, 0f);          // one input takes no gradient: one arm
        var smaller = MathF.Min(fit, 2f * size);           // both take gradient: if/else
        return hinge + smaller + MathF.Abs(size - margin); // + or − by the sign
    }

    /// <summary>Clamp with constant bounds (one if) and with bounds that take gradient (an if for each side).</summary>
    [Differentiable]
    public static float Clamped(Tensor x, Tensor w, float top)
    {
        var fit = SumOfSquares(x * w);
        var size = Sum(w);
        return Math.Clamp(fit, 0.5f, 4f) + Math.Clamp(size, top - 3f, top);
    }
}
