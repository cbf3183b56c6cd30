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
    /// Below this many multiply-adds (m·n·k, 8.4M) a product runs on one core. Alone, products from about 2M up run faster
    /// on two (the fork/join costs a few microseconds; 128×256×128 = 4.2M took 31 µs on two cores of an AMD EPYC Zen 5
    /// against 43 on one), but in training what a product writes is read next by the element-wise passes and the
    /// optimizer on the calling thread, and a share of C written on the other core must come back from that core's cache.
    /// With the MLP's products at batch 32 (6.4M) on one core, and Adam's update of their weights beside them
    /// (<see cref="Tensor.WrittenAcrossCores"/>), two threads train as fast as one (99,555–102,849 samples/s against
    /// 86,068–95,578 with the products split; one thread 100,940–101,573; Zen 5, four rounds alternating in one process);
    /// at batch 128 and 512 the same as before, within the machine's noise.
    /// </summary>
    public const long ParallelThreshold = 1L << 23;

    /// <summary>
    /// Largest operand every share of a split product reads (floats, 4 MiB) that each thread packs whole for itself before
    /// claiming columns (rows) of C as it finishes: the MLP's products and squares up to 1024³. Larger ones keep equal
    /// shares, each packing what it reads block by block, whose repeated packing is then a small part of the work.
    /// </summary>
    public const int SharedOperandLimit = 1 << 20;

    /// <summary><paramref name="value"/> rounded up to a whole number of panels (or tiles) of <paramref name="multiple"/>.</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
