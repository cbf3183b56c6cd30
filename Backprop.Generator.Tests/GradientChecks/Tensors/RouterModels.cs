using System;
using static Backprop.Nn;

namespace Backprop.Generator.Tests.GradientChecks.Tensors;

/// <summary>Max, Min and Abs of float results in tensor code: routers, the gradient to the input that won.</summary>
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
}
