using System.Runtime.Intrinsics;

namespace Backprop.Kernels.Common;

/// <summary>
/// The element math of an activation's backward step: given the forward value (x or y) and the output gradient dy,
/// the input gradient's contribution <c>dy · f'</c>. Instance methods, so an operator can carry
/// a parameter (LeakyReLU's slope, softmax's row dot product); the drivers take it by value and the JIT inlines it. Conventions for every kernel in this folder: sources, then
/// arguments, then destination; gradients are named d + the value (dy, dx).
/// </summary>
internal interface IBinaryGradientOperator
{
    float Invoke(float value, float dy);

    Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy);

    Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy);

    Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy);
}
