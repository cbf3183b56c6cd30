using System;
using System.Globalization;
using System.Text;

namespace Backprop;

/// <summary>
/// The lengths of a tensor's axes, rank 1 to 4: a vector [n], a matrix [rows × columns], a batch of sequences
/// [batch × tokens × features], a batch of images [batch × channels × height × width]. A value: compare it with
/// <c>==</c>, print it ("[64×1×28×28]"), match it (<c>shape is { Rank: 4 }</c>, <c>shape[1]</c>).
/// </summary>
/// <remarks>
/// Every tensor is also a matrix: <see cref="Rows"/> is the first axis (the batch) and <see cref="Columns"/> the
/// product of the others (a sample's features), which is how row-wise operations (<see cref="Nn.MatMul"/> after
/// <see cref="Tensor.Flatten"/>, the losses, <see cref="MiniBatches"/>) see a tensor of rank 3 or 4. A vector of length
/// n is a 1 × n row.
/// </remarks>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    /// <summary>The largest rank a tensor has.</summary>
    public const int MaxRank = 4;

    private readonly int _length0;
    private readonly int _length1;
    private readonly int _length2;
    private readonly int _length3;

    /// <summary>A shape with these lengths, outermost first.</summary>
    /// <exception cref="ArgumentException">No lengths or more than <see cref="MaxRank"/>, a negative length, or more than <see cref="int.MaxValue"/> elements.</exception>
    public TensorShape(params ReadOnlySpan<int> lengths)
    {
        if (lengths.Length is 0 or > MaxRank)
        {
            throw new ArgumentException($"A tensor has 1 to {MaxRank} axes; {lengths.Length} lengths were given.", nameof(lengths));
        }

        var elements = 1L;
        foreach (var length in lengths)
        {
            if (length < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), length, $"A tensor dimension must not be negative ({Describe(lengths)}).");
            }

            elements *= length;
            if (elements > int.MaxValue)
            {
                throw new ArgumentException($"A tensor of shape {Describe(lengths)} would hold more than {int.MaxValue} elements.", nameof(lengths));
            }
        }

        Rank = lengths.Length;
        _length0 = lengths[0];
        _length1 = Rank > 1 ? lengths[1] : 0;
        _length2 = Rank > 2 ? lengths[2] : 0;
        _length3 = Rank > 3 ? lengths[3] : 0;
    }

    /// <summary>The number of axes: 1 to 4 (0 only for <c>default</c>).</summary>
    public int Rank { get; }

    /// <summary>The length of <paramref name="axis"/> (0-based; a negative axis counts from the end, as −1 is the last).</summary>
    public int this[int axis]
    {
        get
        {
            var at = axis < 0 ? axis + Rank : axis;
            return (uint)at >= (uint)Rank
                ? throw new ArgumentOutOfRangeException(nameof(axis), axis, $"A tensor of shape {this} has axes 0 to {Rank - 1}.")
                : at switch { 0 => _length0, 1 => _length1, 2 => _length2, _ => _length3 };
        }
    }

    /// <summary>The number of elements: the product of the lengths.</summary>
    public int Length => Rank switch
    {
        0 => 0,
        1 => _length0,
        2 => _length0 * _length1,
        3 => _length0 * _length1 * _length2,
        _ => _length0 * _length1 * _length2 * _length3,
    };

    /// <summary>The first axis of a tensor of rank 2 or more; 1 for a vector.</summary>
    public int Rows => Rank <= 1 ? 1 : _length0;

    /// <summary>The product of every axis after the first; a vector's length for a vector.</summary>
    public int Columns => Rank switch
    {
        0 => 0,
        1 => _length0,
        2 => _length1,
        3 => _length1 * _length2,
        _ => _length1 * _length2 * _length3,
    };

    /// <summary>A vector shape [length].</summary>
    public static TensorShape Vector(int length) => new(length);

    /// <summary>A matrix shape [rows × columns].</summary>
    public static TensorShape Matrix(int rows, int columns) => new(rows, columns);

    /// <summary>This shape with the length of <paramref name="axis"/> replaced (a batch of another size: <c>WithLength(0, 32)</c>).</summary>
    public TensorShape WithLength(int axis, int length)
    {
        Span<int> lengths = stackalloc int[MaxRank];
        CopyTo(lengths);
        lengths[axis < 0 ? axis + Rank : axis] = length;
        return new TensorShape(lengths[..Rank]);
    }

    /// <summary>The lengths as a new array, outermost first.</summary>
    public int[] ToArray()
    {
        var lengths = new int[Rank];
        CopyTo(lengths);
        return lengths;
    }

    /// <summary>Writes the lengths into the first <see cref="Rank"/> elements of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<int> destination)
    {
        for (var axis = 0; axis < Rank; axis++)
        {
            destination[axis] = this[axis];
        }
    }

    /// <inheritdoc/>
    public bool Equals(TensorShape other) =>
        Rank == other.Rank && _length0 == other._length0 && _length1 == other._length1 && _length2 == other._length2 && _length3 == other._length3;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorShape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Rank, _length0, _length1, _length2, _length3);

    /// <summary>True when both have the same rank and lengths.</summary>
    public static bool operator ==(TensorShape left, TensorShape right) => left.Equals(right);

    /// <summary>True when the ranks or a length differ.</summary>
    public static bool operator !=(TensorShape left, TensorShape right) => !left.Equals(right);

    /// <summary>"[256]", "[128×784]", "[64×1×28×28]".</summary>
    public override string ToString()
    {
        Span<int> lengths = stackalloc int[MaxRank];
        CopyTo(lengths);
        return Describe(lengths[..Rank]);
    }

    private static string Describe(ReadOnlySpan<int> lengths)
    {
        var text = new StringBuilder("[");
        for (var axis = 0; axis < lengths.Length; axis++)
        {
            text.Append(axis == 0 ? string.Empty : "×").Append(lengths[axis].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }
}
