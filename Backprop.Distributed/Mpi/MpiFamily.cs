namespace Backprop.Distributed.Mpi;

/// <summary>
/// The two binary interfaces of MPI libraries: they agree on function names and signatures but not on what a handle
/// (a communicator, a datatype, an operation) is, nor on the value of <c>MPI_IN_PLACE</c>.
/// </summary>
internal enum MpiFamily
{
    /// <summary>Open MPI: a handle is the address of a global object the library exports (<c>ompi_mpi_comm_world</c>); <c>MPI_IN_PLACE</c> is 1.</summary>
    OpenMpi,

    /// <summary>MPICH and its derivatives (Intel MPI, MVAPICH): a handle is a 32-bit integer constant of <c>mpi.h</c>; <c>MPI_IN_PLACE</c> is -1.</summary>
    Mpich,
}
