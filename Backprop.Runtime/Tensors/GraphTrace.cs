using System;
using System.Collections.Generic;

namespace Backprop;

/// <summary>One operation a traced forward pass performed: what it was, the tensors it read, the one it made.</summary>
/// <param name="Operation">The <see cref="Nn"/> operation's name (<c>MatMul</c>, <c>Add</c>, <c>Relu</c>, …).</param>
/// <param name="Inputs">The tensors it read, in its parameters' order.</param>
/// <param name="Result">The tensor it returned.</param>
/// <param name="Argument">Its number argument where it has one: <c>Scale</c>'s factor, <c>LeakyRelu</c>'s slope, <c>Elu</c>'s alpha.</param>
public sealed record TracedOperation(string Operation, IReadOnlyList<Tensor> Inputs, Tensor Result, float? Argument = null)
{
    /// <summary>For <c>SliceColumns</c>: the first column it took and how many.</summary>
    public (int Start, int Count)? Columns { get; init; }
}

/// <summary>
/// Records the <see cref="Nn"/> operations this thread performs while it is open — the graph of a forward pass, as
/// exporters such as <c>Backprop.Onnx</c> need it. The operations run as usual; recording costs one thread-local read
/// per operation when no trace is open.
/// </summary>
/// <remarks>
/// A trace sees what ran: a loop over layers is recorded unrolled and a branch as the arm taken (like
/// <c>torch.jit.trace</c>). Operations outside <see cref="Nn"/>'s element-wise, linear and activation families and
/// <c>ConcatColumns</c>/<c>SliceColumns</c> (reductions, losses, dropout in training) are not recorded; an exporter
/// reports a tensor it cannot account for.
/// </remarks>
public sealed class GraphTrace : IDisposable
{
    [ThreadStatic]
    private static GraphTrace? t_current;

    private readonly List<TracedOperation> _operations = [];

    private GraphTrace()
    {
    }

    /// <summary>What was recorded so far, in the order it ran.</summary>
    public IReadOnlyList<TracedOperation> Operations => _operations;

    internal static bool Active => t_current is not null;

    /// <summary>Starts recording this thread's operations until the trace is disposed.</summary>
    /// <exception cref="InvalidOperationException">A trace is already open on this thread.</exception>
    public static GraphTrace Start()
    {
        if (t_current is not null)
        {
            throw new InvalidOperationException("GraphTrace.Start: a trace is already open on this thread; dispose it first.");
        }

        return t_current = new GraphTrace();
    }

    /// <summary>Stops recording.</summary>
    public void Dispose()
    {
        if (ReferenceEquals(t_current, this))
        {
            t_current = null;
        }
    }

    internal static void Record(string operation, Tensor result, Tensor input, float? argument = null) =>
        t_current?._operations.Add(new TracedOperation(operation, [input], result, argument));

    internal static void Record(string operation, Tensor result, Tensor input, int start, int count) =>
        t_current?._operations.Add(new TracedOperation(operation, [input], result) { Columns = (start, count) });

    internal static void Record(string operation, Tensor result, Tensor first, Tensor second) =>
        t_current?._operations.Add(new TracedOperation(operation, [first, second], result));
}
