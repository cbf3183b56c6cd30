namespace Backprop.Kernels.Gemm;

/// <summary>Which micro-kernel a GEMM runs: the widest the hardware accelerates, or a narrower one for tests.</summary>
internal enum GemmPath
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,

    /// <summary>AVX-512 with an 8 × 16 tile, for outputs at most 16 columns wide (the 10-class layer), where 32-wide tiles would be mostly padding.</summary>
    Vector512Narrow,
}
