namespace Backprop.Kernels.Gemm;

/// <summary>
/// Block sizes of the packed GEMM (the GotoBLAS/BLIS scheme), each with its cache reason. The register tile
/// (MR × NR) is chosen per vector width in <see cref="GemmMicroKernel"/>.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>
    /// Depth of one packed block: a B micro-panel of KC × 32 floats is 32 KiB and stays in the 48 KiB L1 data
    /// cache of Zen 5 while the micro-kernel streams an A micro-panel past it.
    /// </summary>
    public const int KC = 256;

    /// <summary>Rows of A packed at once: MC × KC floats = 128 KiB, well inside the 1 MiB L2.</summary>
    public const int MC = 128;

    /// <summary>Columns of B packed at once: KC × NC floats = 2 MiB, a share of L3 the two cores split.</summary>
    public const int NC = 2048;

    /// <summary>
    /// Below this many multiply-adds (m·n·k) one core is faster than two: the fork/join costs a few microseconds.
    /// Chosen with Backprop.Benchmarks' GemmBenchmarks (128×256×128 = 4.2M runs faster on two cores, 64³ does not).
    /// </summary>
    public const long ParallelThreshold = 1L << 21;

    /// <summary>
    /// Largest operand every share of a split product reads (floats, 4 MiB) that each thread packs whole for itself before
    /// claiming columns (rows) of C as it finishes: the MLP's products and squares up to 1024³. Larger ones keep equal
    /// shares, each packing what it reads block by block, whose repeated packing is then a small part of the work.
    /// </summary>
    public const int SharedOperandLimit = 1 << 20;

    /// <summary><paramref name="value"/> rounded up to a whole number of panels (or tiles) of <paramref name="multiple"/>.</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
