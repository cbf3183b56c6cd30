using System.Runtime.Intrinsics;

namespace Backprop.Kernels.Common;

/// <summary>The element math of a forward activation that TensorPrimitives lacks: y = f(x), at every width.</summary>
internal interface IUnaryOperator
{
    float Invoke(float x);

    Vector512<float> Invoke(Vector512<float> x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector128<float> Invoke(Vector128<float> x);
}
