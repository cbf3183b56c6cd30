using System;
using Backprop.Distributed.Mpi;

namespace Backprop.Distributed;

/// <summary>
/// The processes of an MPI job (<c>MPI_COMM_WORLD</c>): this process's rank, their number, and the collective
/// operations data-parallel training uses — a sum over every process (allreduce), a broadcast from one, a barrier.
/// Start it once per process with <see cref="Start"/> and dispose it at the end (<c>MPI_Finalize</c>).
/// </summary>
/// <remarks>
/// <para>
/// Every collective must be called by every process, in the same order, with the same length: MPI cannot tell a
/// process that skipped one from a slow one, and the job waits. A process that dies or exits without disposing its
/// world makes the launcher (<c>mpirun</c>, <c>mpiexec</c>) end the others; call <see cref="Abort"/> to end the job on
/// an error only one process saw.
/// </para>
/// <para>
/// Only the thread that called <see cref="Start"/> may use it (MPI is initialised with <c>MPI_THREAD_FUNNELED</c>; the
/// kernels' worker threads never call MPI). Failed calls throw <see cref="MpiException"/> with the library's message
/// (the world's error handler is <c>MPI_ERRORS_RETURN</c>).
/// </para>
/// </remarks>
public sealed unsafe class MpiWorld : IDisposable
{
    private static MpiWorld? s_started;
    private readonly MpiLibrary _mpi;
    private readonly int _thread;
    private bool _disposed;

    private MpiWorld(MpiLibrary mpi, int rank, int size)
    {
        _mpi = mpi;
        Rank = rank;
        Size = size;
        Library = mpi.Version();
        _thread = Environment.CurrentManagedThreadId;
    }

    /// <summary>This process's number, 0 to <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>How many processes the job has.</summary>
    public int Size { get; }

    /// <summary>
    /// How many of the job's processes run on this machine, as the launcher tells them (Open MPI's
    /// <c>OMPI_COMM_WORLD_LOCAL_SIZE</c>, MPICH's <c>MPI_LOCALNRANKS</c>); <see cref="Size"/> when it does not. Divide the
    /// machine's cores among them.
    /// </summary>
    public int LocalSize =>
        int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_LOCAL_SIZE") ?? Environment.GetEnvironmentVariable("MPI_LOCALNRANKS"), out var local) && local is > 0
            ? Math.Min(local, Size)
            : Size;

    /// <summary>True on rank 0, the process that prints, saves checkpoints and broadcasts the initial weights.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>The MPI library in use, as it describes itself (<c>Open MPI v4.1.4</c>, <c>MPICH Version: 4.0.2</c>).</summary>
    public string Library { get; }

    /// <summary>
    /// Loads the MPI library and initialises it (once per process: MPI cannot be initialised again after it was
    /// finalised). Run under a launcher (<c>mpirun -np 2 dotnet app.dll</c>); started on its own, a process is a job of one.
    /// </summary>
    /// <exception cref="MpiNotFoundException">No MPI library is installed; the message says what to install.</exception>
    /// <exception cref="MpiException">The library failed to initialise (its message says why).</exception>
    /// <exception cref="InvalidOperationException">MPI was already started in this process.</exception>
    public static MpiWorld Start()
    {
        if (s_started is not null)
        {
            throw new InvalidOperationException("MpiWorld.Start was already called in this process: MPI is initialised once per process. Keep the MpiWorld it returned.");
        }

        var mpi = MpiLibrary.Load();
        int initialized;
        mpi.Check(mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized != 0)
        {
            throw new InvalidOperationException("MPI was initialised in this process by another library; Backprop.Distributed initialises it itself.");
        }

        int provided;
        mpi.Check(mpi.InitThread(null, null, MpiLibrary.ThreadFunneled, &provided), "MPI_Init_thread");
        mpi.Check(mpi.CommSetErrhandler(mpi.CommWorld, mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        int rank, size;
        mpi.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        mpi.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        return s_started = new MpiWorld(mpi, rank, size);
    }

    /// <summary>Replaces <paramref name="values"/> on every process by their element-wise sum over all processes (<c>MPI_Allreduce</c>, in place).</summary>
    public void Sum(Span<float> values)
    {
        Enter();
        fixed (float* p = values)
        {
            _mpi.Check(_mpi.Allreduce((void*)_mpi.InPlace, p, values.Length, _mpi.Float, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce");
        }
    }

    /// <summary>Replaces <paramref name="values"/> on every process by their element-wise sum over all processes, in double precision.</summary>
    public void Sum(Span<double> values)
    {
        Enter();
        fixed (double* p = values)
        {
            _mpi.Check(_mpi.Allreduce((void*)_mpi.InPlace, p, values.Length, _mpi.Double, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce");
        }
    }

    /// <summary>Replaces <paramref name="values"/> by their element-wise minimum over all processes.</summary>
    public void Min(Span<long> values) => Reduce(values, _mpi.Min);

    /// <summary>Replaces <paramref name="values"/> by their element-wise maximum over all processes.</summary>
    public void Max(Span<long> values) => Reduce(values, _mpi.Max);

    /// <summary>Copies <paramref name="values"/> of process <paramref name="root"/> into the same span of every other process (<c>MPI_Bcast</c>).</summary>
    public void Broadcast(Span<float> values, int root = 0)
    {
        Enter();
        CheckRoot(root);
        fixed (float* p = values)
        {
            _mpi.Check(_mpi.Bcast(p, values.Length, _mpi.Float, root, _mpi.CommWorld), "MPI_Bcast");
        }
    }

    /// <summary>Copies <paramref name="values"/> of process <paramref name="root"/> into the same span of every other process.</summary>
    public void Broadcast(Span<long> values, int root = 0)
    {
        Enter();
        CheckRoot(root);
        fixed (long* p = values)
        {
            _mpi.Check(_mpi.Bcast(p, values.Length, _mpi.LongLong, root, _mpi.CommWorld), "MPI_Bcast");
        }
    }

    /// <summary>Returns once every process has called it (<c>MPI_Barrier</c>).</summary>
    public void Barrier()
    {
        Enter();
        _mpi.Check(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");
    }

    /// <summary>
    /// Ends every process of the job with <paramref name="exitCode"/> (<c>MPI_Abort</c>): for an error one process saw
    /// and the others cannot know of, which would otherwise leave them waiting in their next collective. Does not return.
    /// </summary>
    public void Abort(int exitCode)
    {
        _mpi.Abort(_mpi.CommWorld, exitCode);
        Environment.Exit(exitCode); // MPI_Abort ends this process; should a library return, end it here.
    }

    /// <summary>Finalises MPI (<c>MPI_Finalize</c>): every process must call it before it exits normally.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Enter();
        _disposed = true;
        int finalized;
        if (_mpi.Finalized(&finalized) == 0 && finalized == 0)
        {
            _mpi.Check(_mpi.Finalize(), "MPI_Finalize");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"rank {Rank} of {Size} ({Library})";

    private void Reduce(Span<long> values, nint operation)
    {
        Enter();
        fixed (long* p = values)
        {
            _mpi.Check(_mpi.Allreduce((void*)_mpi.InPlace, p, values.Length, _mpi.LongLong, operation, _mpi.CommWorld), "MPI_Allreduce");
        }
    }

    private void CheckRoot(int root)
    {
        if ((uint)root >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"The job has {Size} processes (ranks 0 to {Size - 1}).");
        }
    }

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Environment.CurrentManagedThreadId != _thread)
        {
            throw new InvalidOperationException($"MpiWorld is used from thread {Environment.CurrentManagedThreadId} but was started on thread {_thread}: MPI is initialised for the starting thread only (MPI_THREAD_FUNNELED).");
        }
    }
}
