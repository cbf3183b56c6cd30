using System.Runtime.Intrinsics;

namespace Backprop.Kernels.Common;

/// <summary>
/// The element math of an activation's backward step: given the forward value (x or y) and the output gradient dy,
/// the input gradient's contribution <c>dy · f'</c>. Conventions for every kernel in this folder: sources, then
/// arguments, then destination; gradients are named d + the value (dy, dx).
/// </summary>
internal interface IBinaryGradientOperator
{
    static abstract float Invoke(float value, float dy);

    static abstract Vector512<float> Invoke(Vector512<float> value, Vector512<float> dy);

    static abstract Vector256<float> Invoke(Vector256<float> value, Vector256<float> dy);

    static abstract Vector128<float> Invoke(Vector128<float> value, Vector128<float> dy);
}
