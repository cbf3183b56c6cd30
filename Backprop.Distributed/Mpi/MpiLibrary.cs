using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Distributed.Mpi;

/// <summary>
/// The MPI C library, loaded at run time: the few functions data-parallel training needs, as function pointers, and the
/// handles (the world communicator, float/double/long datatypes, sum/min/max) of the library's family.
/// </summary>
/// <remarks>
/// <para>
/// Which library: <c>BACKPROP_MPI_LIBRARY</c> when set (a file name or path); otherwise the family whose launcher started
/// this process (Open MPI's <c>mpirun</c> sets <c>OMPI_COMM_WORLD_SIZE</c>, MPICH's Hydra sets <c>PMI_RANK</c>), and
/// without a launcher (a single process) Open MPI, then MPICH. A library of the other family than its launcher would not
/// find the launcher, so the launcher's family is tried first.
/// </para>
/// <para>
/// Handles are passed as <see cref="nint"/> for both families. MPICH's are C <c>int</c>s: the System V AMD64 and AAPCS64
/// calling conventions pass an <c>int</c> argument in the low half of a 64-bit register (or stack slot) and the callee
/// ignores the upper half, so one signature serves both. Those are the two ABIs this binding supports (Linux and macOS
/// on x64 and Arm64); <see cref="Load"/> refuses the others.
/// </para>
/// </remarks>
internal sealed unsafe class MpiLibrary
{
    /// <summary><c>MPI_THREAD_FUNNELED</c>: only the thread that initialised MPI calls it (the kernels' worker threads never do).</summary>
    public const int ThreadFunneled = 1;

    private const int MaxLibraryVersionString = 8192; // MPICH's MPI_MAX_LIBRARY_VERSION_STRING, the larger of the two
    private const int MaxErrorString = 1024;          // at least both families' MPI_MAX_ERROR_STRING (256, 512)

    private MpiLibrary(nint handle, string name, MpiFamily family)
    {
        Name = name;
        Family = family;
        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Function(handle, name, "MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)Function(handle, name, "MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Function(handle, name, "MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)Function(handle, name, "MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)Function(handle, name, "MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Function(handle, name, "MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Function(handle, name, "MPI_Comm_set_errhandler");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Function(handle, name, "MPI_Allreduce");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Function(handle, name, "MPI_Bcast");
        Barrier = (delegate* unmanaged<nint, int>)Function(handle, name, "MPI_Barrier");
        Abort = (delegate* unmanaged<nint, int, int>)Function(handle, name, "MPI_Abort");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Function(handle, name, "MPI_Error_string");
        GetLibraryVersion = (delegate* unmanaged<byte*, int*, int>)Function(handle, name, "MPI_Get_library_version");

        if (family == MpiFamily.OpenMpi)
        {
            CommWorld = Function(handle, name, "ompi_mpi_comm_world");
            Float = Function(handle, name, "ompi_mpi_float");
            Double = Function(handle, name, "ompi_mpi_double");
            LongLong = Function(handle, name, "ompi_mpi_long_long_int");
            Sum = Function(handle, name, "ompi_mpi_op_sum");
            Min = Function(handle, name, "ompi_mpi_op_min");
            Max = Function(handle, name, "ompi_mpi_op_max");
            ErrorsReturn = Function(handle, name, "ompi_mpi_errors_return");
            InPlace = 1;
        }
        else
        {
            // mpich/mpi.h (MPICH 4.0; the same values since MPICH2 1.0 and in every MPICH-ABI library)
            CommWorld = 0x44000000;
            Float = 0x4c00040a;
            Double = 0x4c00080b;
            LongLong = 0x4c000809;
            Max = 0x58000001;
            Min = 0x58000002;
            Sum = 0x58000003;
            ErrorsReturn = 0x54000001;
            InPlace = -1;
        }
    }

    /// <summary>The file that was loaded (<c>libmpi.so.40</c>, <c>libmpich.so.12</c>, or the path given).</summary>
    public string Name { get; }

    /// <summary>Open MPI or the MPICH family.</summary>
    public MpiFamily Family { get; }

    public delegate* unmanaged<int*, byte***, int, int*, int> InitThread { get; }

    public delegate* unmanaged<int*, int> Initialized { get; }

    public delegate* unmanaged<int*, int> Finalized { get; }

    public delegate* unmanaged<int> Finalize { get; }

    public delegate* unmanaged<nint, int*, int> CommRank { get; }

    public delegate* unmanaged<nint, int*, int> CommSize { get; }

    public delegate* unmanaged<nint, nint, int> CommSetErrhandler { get; }

    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }

    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

    public delegate* unmanaged<nint, int> Barrier { get; }

    public delegate* unmanaged<nint, int, int> Abort { get; }

    public delegate* unmanaged<int, byte*, int*, int> ErrorString { get; }

    public delegate* unmanaged<byte*, int*, int> GetLibraryVersion { get; }

    /// <summary><c>MPI_COMM_WORLD</c>.</summary>
    public nint CommWorld { get; }

    /// <summary><c>MPI_FLOAT</c>.</summary>
    public nint Float { get; }

    /// <summary><c>MPI_DOUBLE</c>.</summary>
    public nint Double { get; }

    /// <summary><c>MPI_LONG_LONG_INT</c>.</summary>
    public nint LongLong { get; }

    /// <summary><c>MPI_SUM</c>.</summary>
    public nint Sum { get; }

    /// <summary><c>MPI_MIN</c>.</summary>
    public nint Min { get; }

    /// <summary><c>MPI_MAX</c>.</summary>
    public nint Max { get; }

    /// <summary><c>MPI_ERRORS_RETURN</c>: a failed call returns its error code instead of aborting the job.</summary>
    public nint ErrorsReturn { get; }

    /// <summary><c>MPI_IN_PLACE</c>.</summary>
    public nint InPlace { get; }

    /// <summary>Loads the MPI library (see the remarks on the class for which one).</summary>
    /// <exception cref="MpiNotFoundException">None could be loaded, or this platform's calling convention is not one the binding supports; the message says what to install or set.</exception>
    public static MpiLibrary Load()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            throw new MpiNotFoundException($"Backprop.Distributed binds MPI on Linux and macOS, x64 and Arm64; this is {RuntimeInformation.OSDescription} on {RuntimeInformation.ProcessArchitecture}.");
        }

        var tried = new List<string>();
        foreach (var name in Candidates())
        {
            if (!NativeLibrary.TryLoad(name, out var handle))
            {
                tried.Add(name);
                continue;
            }

            var family = NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out _) ? MpiFamily.OpenMpi : MpiFamily.Mpich;
            if (!NativeLibrary.TryGetExport(handle, "MPI_Init_thread", out _))
            {
                tried.Add($"{name} (loaded, but it has no MPI_Init_thread: not an MPI library)");
                continue;
            }

            return new MpiLibrary(handle, name, family);
        }

        var overridden = Environment.GetEnvironmentVariable("BACKPROP_MPI_LIBRARY");
        throw new MpiNotFoundException(
            $"No MPI library could be loaded (tried {string.Join(", ", tried)}). "
            + (string.IsNullOrEmpty(overridden)
                ? "Install Open MPI (apt-get install openmpi-bin libopenmpi-dev) or MPICH (apt-get install mpich), or set BACKPROP_MPI_LIBRARY to the library's path."
                : "BACKPROP_MPI_LIBRARY names a file that is not there or not a library this process can load (it must match the process's architecture)."));
    }

    /// <summary>The libraries to try, in order.</summary>
    internal static IEnumerable<string> Candidates()
    {
        var overridden = Environment.GetEnvironmentVariable("BACKPROP_MPI_LIBRARY");
        if (!string.IsNullOrEmpty(overridden))
        {
            return [overridden];
        }

        string[] openMpi = OperatingSystem.IsMacOS() ? ["libmpi.40.dylib", "libmpi.dylib"] : ["libmpi.so.40", "libmpi.so"];
        string[] mpich = OperatingSystem.IsMacOS() ? ["libmpich.12.dylib", "libmpi.12.dylib"] : ["libmpich.so.12", "libmpi.so.12", "libmpich.so"];
        var launchedByMpich = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is null
            && (Environment.GetEnvironmentVariable("PMI_RANK") is not null || Environment.GetEnvironmentVariable("PMI_SIZE") is not null);
        return launchedByMpich ? [.. mpich, .. openMpi] : [.. openMpi, .. mpich];
    }

    /// <summary>The library's own description of itself (<c>MPI_Get_library_version</c>), first line; callable before initialisation.</summary>
    public string Version()
    {
        var text = new byte[MaxLibraryVersionString];
        int length;
        fixed (byte* p = text)
        {
            if (GetLibraryVersion(p, &length) != 0)
            {
                return Name;
            }
        }

        var version = Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length)).TrimEnd('\0', '\n', ' ');
        var end = version.IndexOfAny([',', '\n']);
        return end > 0 ? version[..end] : version;
    }

    /// <summary>Throws <see cref="MpiException"/> naming <paramref name="call"/> with the library's text for <paramref name="code"/> unless it is MPI_SUCCESS.</summary>
    public void Check(int code, string call)
    {
        if (code == 0)
        {
            return;
        }

        var text = new byte[MaxErrorString];
        int length;
        string description;
        fixed (byte* p = text)
        {
            description = ErrorString(code, p, &length) == 0
                ? Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length)).TrimEnd('\0')
                : "(the library has no text for this code)";
        }

        throw new MpiException(call, code, description);
    }

    private static nint Function(nint handle, string library, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var address)
            ? address
            : throw new MpiNotFoundException($"{library} has no '{name}': it is not a complete MPI library, or not one of the families Backprop.Distributed knows (Open MPI, MPICH).");
}
