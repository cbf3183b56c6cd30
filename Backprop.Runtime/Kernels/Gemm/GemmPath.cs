namespace Backprop.Kernels.Gemm;

/// <summary>Which micro-kernel a GEMM runs: the widest the hardware accelerates, or a narrower one for tests.</summary>
internal enum GemmPath
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}
