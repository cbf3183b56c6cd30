namespace Backprop.Kernels.Gemm;

/// <summary>Which micro-kernel a GEMM runs: the widest the hardware accelerates, or a narrower one for tests.</summary>
internal enum GemmPath
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,

    /// <summary>AVX-512 for outputs at most 16 columns wide (the 10-class layer): <see cref="GemmNarrow"/>, A read in place, 8 × 16 tiles.</summary>
    Vector512Narrow,

    /// <summary>AVX for outputs at most 16 columns wide on machines without AVX-512: <see cref="GemmNarrow"/>, 6 × 16 tiles.</summary>
    Vector256Narrow,

    /// <summary>128-bit vectors for outputs at most 12 columns wide where 128 bits is the widest (Arm, x86 without AVX2): <see cref="GemmNarrow"/>, 3 × 12 tiles.</summary>
    Vector128Narrow,
}
