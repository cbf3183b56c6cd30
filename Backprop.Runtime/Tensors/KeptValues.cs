using System;
using System.Runtime.CompilerServices;

namespace Backprop;

/// <summary>
/// Values a loop's forward pass keeps for its backward pass, which takes them back in reverse order: each iteration
/// pushes what it made, and going back through the iterations, the last first, pops it. A loop inside another loop or a
/// branch pushes once per time its body runs, and its backward pass pops as often, so no count is needed up front.
/// </summary>
/// <typeparam name="T">The kept values' type: a <see cref="Tensor"/>, a float or a double.</typeparam>
/// <remarks>Handed out by <see cref="Workspace.Scope.Keep{T}"/>, empty, and reused by later scopes: valid until its scope closes.</remarks>
public sealed class KeptValues<T>
{
    private T[] _values = new T[4];

    internal KeptValues()
    {
    }

    /// <summary>How many values are kept.</summary>
    public int Count { get; private set; }

    /// <summary>Keeps <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        if (Count == _values.Length)
        {
            Grow();
        }

        _values[Count++] = value;
    }

    /// <summary>Takes back the value kept last.</summary>
    /// <exception cref="InvalidOperationException">Nothing is kept: the pops have outrun the pushes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        if (Count == 0)
        {
            ThrowEmpty();
        }

        return _values[--Count];
    }

    internal void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(_values, 0, Count);
        }

        Count = 0;
    }

    private void Grow() => Array.Resize(ref _values, _values.Length * 2);

    private static void ThrowEmpty() =>
        throw new InvalidOperationException("Nothing is kept to take back: a backward pass took more values than its forward pass kept.");
}
