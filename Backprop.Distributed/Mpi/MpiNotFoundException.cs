using System;

namespace Backprop.Distributed.Mpi;

/// <summary>No MPI library could be loaded: the message names what was tried and what to install.</summary>
public sealed class MpiNotFoundException : Exception
{
    /// <summary>The exception with <paramref name="message"/>.</summary>
    public MpiNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>The exception with no message of its own.</summary>
    public MpiNotFoundException()
        : this("No MPI library could be loaded. Install Open MPI (apt-get install openmpi-bin libopenmpi-dev) or MPICH (apt-get install mpich).")
    {
    }

    /// <summary>The exception with <paramref name="message"/> and the error that caused it.</summary>
    public MpiNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
