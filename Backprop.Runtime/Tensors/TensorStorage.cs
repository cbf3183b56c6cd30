using System;
using System.Runtime.InteropServices;

namespace Backprop;

/// <summary>
/// The arrays tensors hold: plain zeroed arrays, except that on Linux an array of 4 MB or more first asks the kernel for
/// transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>) over its 2 MB-aligned interior. A fresh array's memory is
/// mapped on first write, one page fault per 4 KB page, and in the AMD EPYC virtual machines we measure on a fault costs
/// about 15 µs: the first write of Fashion-MNIST's training set (188 MB) took 683–698 ms, and 24 ms on 2 MB pages. The
/// advice only applies where the kernel's THP setting is <c>madvise</c> or <c>always</c>; anywhere else (another
/// system, THP <c>never</c>, a libc without <c>madvise</c>) the array is an ordinary one.
/// </summary>
internal static partial class TensorStorage
{
    /// <summary>Arrays at least this long (4 MB) are advised; a shorter one has at most one whole 2 MB page inside it.</summary>
    public const int HugePageFloats = 1 << 20;

    private const nint HugePageBytes = 1 << 21;
    private const int AdviseHugePages = 14; // MADV_HUGEPAGE, Linux's <sys/mman.h>

    /// <summary>False once <c>madvise</c> could not be called (no such library or entry point): not tried again.</summary>
    private static bool _canAdvise = OperatingSystem.IsLinux();

    /// <summary>A new array of <paramref name="length"/> zeros.</summary>
    public static float[] Zeroed(int length)
    {
        if (length < HugePageFloats || !_canAdvise)
        {
            return new float[length];
        }

        var array = GC.AllocateUninitializedArray<float>(length); // nothing written yet: the advice comes before the first fault
        Advise(array);
        Array.Clear(array); // the memory may be an earlier object's
        return array;
    }

    private static unsafe void Advise(float[] array)
    {
        fixed (float* first = array)
        {
            var start = ((nint)first + HugePageBytes - 1) & ~(HugePageBytes - 1);
            var end = (nint)(first + array.Length) & ~(HugePageBytes - 1);
            if (end <= start)
            {
                return;
            }

            try
            {
                _ = Madvise(start, (nuint)(end - start), AdviseHugePages); // advice: a refusal leaves ordinary pages
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _canAdvise = false;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
