using System;
using System.Runtime.CompilerServices;

namespace Backprop;

/// <summary>
/// The stack on which generated backward methods save the values a loop overwrites, and the
/// branch and iteration records of loops, so the backward sweep can replay them in reverse.
/// </summary>
/// <remarks>
/// One tape per thread (<see cref="Current"/>), shared by nested calls: every generated method pops
/// exactly what it pushed, so callers and callees interleave safely. Storage grows by doubling and is
/// kept, so after the first call of a given size no call allocates. Generated code is the intended
/// user; the pushes and pops are small enough for the JIT to inline.
/// </remarks>
public sealed class Tape
{
    [ThreadStatic]
    private static Tape? t_current;

    private double[] _doubles = new double[256];
    private float[] _floats = new float[64];
    private int[] _ints = new int[256];
    private int _doubleCount;
    private int _floatCount;
    private int _intCount;

    /// <summary>The calling thread's tape.</summary>
    public static Tape Current => t_current ??= new Tape();

    /// <summary>How many values of each kind are on the tape (all zero between top-level calls).</summary>
    public (int Doubles, int Floats, int Ints) Depth => (_doubleCount, _floatCount, _intCount);

    /// <summary>
    /// How many values of each kind the tape holds before it must grow: at least the most it has held at once, and
    /// less than twice that once it has grown (it starts at 256 doubles, 64 floats and 256 ints, and doubles).
    /// </summary>
    public (int Doubles, int Floats, int Ints) Capacity => (_doubles.Length, _floats.Length, _ints.Length);

    /// <summary>How many values of the generic type <typeparamref name="T"/> are on this thread's tape (zero between top-level calls).</summary>
    public int DepthOf<T>() => Values<T>.Count;

    /// <summary>Saves a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value)
    {
        if (_doubleCount == _doubles.Length)
        {
            Array.Resize(ref _doubles, _doubles.Length * 2);
        }

        _doubles[_doubleCount++] = value;
    }

    /// <summary>Saves a float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float value)
    {
        if (_floatCount == _floats.Length)
        {
            Array.Resize(ref _floats, _floats.Length * 2);
        }

        _floats[_floatCount++] = value;
    }

    /// <summary>Saves an int (an overwritten integer local, or an iteration count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int value)
    {
        if (_intCount == _ints.Length)
        {
            Array.Resize(ref _ints, _ints.Length * 2);
        }

        _ints[_intCount++] = value;
    }

    /// <summary>
    /// Takes room for a loop's saves at once: <paramref name="perIteration"/> doubles for each of <paramref name="iterations"/>
    /// iterations (none when the loop does not run, <paramref name="iterations"/> ≤ 0). The loop writes its saves into the
    /// span in order, as it would push them; its backward loop reads them back from <see cref="PeekDoubles"/>, last first,
    /// and frees them with <see cref="DropDoubles"/>. Writing through a span kept in a local is cheaper than a push.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<double> PushDoubles(int iterations, int perIteration)
    {
        var count = BlockLength(iterations, perIteration);
        if (_doubleCount + count > _doubles.Length)
        {
            GrowDoubles(count);
        }

        var block = _doubles.AsSpan(_doubleCount, count);
        _doubleCount += count;
        return block;
    }

    /// <summary>The block <see cref="PushDoubles"/> took last, with the same arguments; it stays on the tape until <see cref="DropDoubles"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<double> PeekDoubles(int iterations, int perIteration)
    {
        var count = BlockLength(iterations, perIteration);
        if (count > _doubleCount)
        {
            ThrowOutOfStep(count);
        }

        return _doubles.AsSpan(_doubleCount - count, count);
    }

    /// <summary>Frees the last <paramref name="count"/> doubles (a block read back with <see cref="PeekDoubles"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DropDoubles(int count) => _doubleCount -= count;

    private static int BlockLength(int iterations, int perIteration) => iterations > 0 ? checked(iterations * perIteration) : 0;

    /// <summary>Makes room for <paramref name="count"/> more doubles, doubling the storage as often as needed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowDoubles(int count)
    {
        var length = _doubles.Length;
        while (_doubleCount + count > length)
        {
            length = checked(length * 2);
        }

        Array.Resize(ref _doubles, length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOutOfStep(int count) =>
        throw new InvalidOperationException($"the tape holds {_doubleCount} doubles, fewer than the block of {count} asked for: pushes and pops are out of step");

    /// <summary>Saves every value of <paramref name="values"/> (an array kept whole before a loop that only adds into its elements).</summary>
    public void PushAll(ReadOnlySpan<double> values)
    {
        if (_doubleCount + values.Length > _doubles.Length)
        {
            GrowDoubles(values.Length);
        }

        values.CopyTo(_doubles.AsSpan(_doubleCount));
        _doubleCount += values.Length;
    }

    /// <summary>Saves every value of <paramref name="values"/> (an array kept whole before a loop that only adds into its elements).</summary>
    public void PushAll(ReadOnlySpan<float> values)
    {
        while (_floatCount + values.Length > _floats.Length)
        {
            Array.Resize(ref _floats, _floats.Length * 2);
        }

        values.CopyTo(_floats.AsSpan(_floatCount));
        _floatCount += values.Length;
    }

    /// <summary>Restores the values <see cref="PushAll(ReadOnlySpan{double})"/> saved last into <paramref name="into"/>, as long as they were.</summary>
    public void PopAll(Span<double> into)
    {
        _doubleCount -= into.Length;
        _doubles.AsSpan(_doubleCount, into.Length).CopyTo(into);
    }

    /// <summary>Restores the values <see cref="PushAll(ReadOnlySpan{float})"/> saved last into <paramref name="into"/>, as long as they were.</summary>
    public void PopAll(Span<float> into)
    {
        _floatCount -= into.Length;
        _floats.AsSpan(_floatCount, into.Length).CopyTo(into);
    }

    /// <summary>Saves every value of <paramref name="values"/>, of a generic floating-point type.</summary>
    public void PushAll<T>(ReadOnlySpan<T> values)
    {
        foreach (var value in values)
        {
            Values<T>.Push(value);
        }
    }

    /// <summary>Restores the values <see cref="PushAll{T}(ReadOnlySpan{T})"/> saved last into <paramref name="into"/>.</summary>
    public void PopAll<T>(Span<T> into)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = Values<T>.Pop();
        }
    }

    /// <summary>Saves a bool (a branch record).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(bool value) => Push(value ? 1 : 0);

    /// <summary>
    /// Saves a value of a generic floating-point type (generated code for a method generic over
    /// <c>T : IFloatingPointIeee754&lt;T&gt;</c>); each type has a stack of its own on each thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push<T>(T value) => Values<T>.Push(value);

    /// <summary>Returns the value of type <typeparamref name="T"/> pushed last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop<T>() => Values<T>.Pop();

    /// <summary>Returns the double pushed last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PopDouble() => _doubles[--_doubleCount];

    /// <summary>Returns the float pushed last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float PopFloat() => _floats[--_floatCount];

    /// <summary>Returns the int pushed last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PopInt() => _ints[--_intCount];

    /// <summary>Returns the bool pushed last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PopBool() => _ints[--_intCount] != 0;

    /// <summary>A thread's stack of values of one generic type.</summary>
    private static class Values<T>
    {
        [ThreadStatic]
        private static T[]? t_items;

        [ThreadStatic]
        private static int t_count;

        public static void Push(T value)
        {
            var items = t_items ??= new T[64];
            if (t_count == items.Length)
            {
                Array.Resize(ref t_items, items.Length * 2);
                items = t_items;
            }

            items[t_count++] = value;
        }

        public static int Count => t_count;

        public static T Pop() => t_items![--t_count];
    }
}
