using System;

namespace Backprop.Distributed.Mpi;

/// <summary>An MPI call returned an error: the message names the call and gives the library's own text for the code.</summary>
public sealed class MpiException : Exception
{
    /// <summary>The exception for <paramref name="call"/>, which returned <paramref name="errorCode"/> described by <paramref name="text"/>.</summary>
    public MpiException(string call, int errorCode, string text)
        : base($"{call} failed with MPI error {errorCode}: {text}")
    {
        ErrorCode = errorCode;
    }

    /// <summary>The exception with <paramref name="message"/>.</summary>
    public MpiException(string message)
        : base(message)
    {
    }

    /// <summary>The exception with no message of its own.</summary>
    public MpiException()
    {
    }

    /// <summary>The exception with <paramref name="message"/> and the error that caused it.</summary>
    public MpiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The error code the MPI call returned (0 when the exception did not come from a call).</summary>
    public int ErrorCode { get; }
}
