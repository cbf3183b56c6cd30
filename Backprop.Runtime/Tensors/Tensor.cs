using System;
using System.Globalization;

namespace Backprop;

/// <summary>
/// A float32 vector (rank 1) or row-major matrix (rank 2) over a slice of an array it does not copy: tensors made by
/// <see cref="SliceRows"/> or <see cref="FromArray(float[], int, int)"/> are views of storage someone else owns.
/// </summary>
/// <remarks>
/// The operations in <see cref="Nn"/> take their outputs from the current <see cref="Workspace"/> scope when one is
/// open (no allocation once it is warm) and allocate a new tensor otherwise. A vector of length n behaves as a
/// 1 × n row where an operation needs rows (bias broadcast, <see cref="Nn.MatMul"/>).
/// </remarks>
public sealed partial class Tensor
{
    private float[] _data;
    private int _offset;
    private bool _retired;

    private Tensor(float[] data, int offset, int rank, int rows, int columns)
    {
        _data = data;
        _offset = offset;
        Rank = rank;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>1 for a vector, 2 for a matrix.</summary>
    public int Rank { get; private set; }

    /// <summary>Rows of a matrix; 1 for a vector.</summary>
    public int Rows { get; private set; }

    /// <summary>Columns of a matrix; the length of a vector.</summary>
    public int Columns { get; private set; }

    /// <summary>Number of elements.</summary>
    public int Length => Rows * Columns;

    /// <summary>The elements, row after row.</summary>
    public Span<float> Span => _retired ? throw Retired() : new(_data, _offset, Rows * Columns);

    /// <summary>The shape as text, for messages: "[128×784]" or "[256]".</summary>
    public string Shape => Rank == 1
        ? string.Create(CultureInfo.InvariantCulture, $"[{Columns}]")
        : string.Create(CultureInfo.InvariantCulture, $"[{Rows}×{Columns}]");

    /// <summary>The element at (row, column).</summary>
    public float this[int row, int column]
    {
        get => _data[Index(row, column)];
        set => _data[Index(row, column)] = value;
    }

    /// <summary>The element at a flat index (row-major).</summary>
    public float this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>A new zero matrix.</summary>
    public static Tensor Matrix(int rows, int columns)
    {
        CheckDimension(rows, nameof(rows));
        CheckDimension(columns, nameof(columns));
        return new Tensor(new float[rows * columns], 0, 2, rows, columns);
    }

    /// <summary>A new zero vector.</summary>
    public static Tensor Vector(int length)
    {
        CheckDimension(length, nameof(length));
        return new Tensor(new float[length], 0, 1, 1, length);
    }

    /// <summary>A new tensor of the same shape as <paramref name="other"/>, zero.</summary>
    public static Tensor ZerosLike(Tensor other) => other.Rank == 1 ? Vector(other.Columns) : Matrix(other.Rows, other.Columns);

    /// <summary>A rows × columns matrix over <paramref name="data"/> (a view: no copy).</summary>
    public static Tensor FromArray(float[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckDimension(rows, nameof(rows));
        CheckDimension(columns, nameof(columns));
        if ((long)rows * columns > data.Length)
        {
            throw new ArgumentException($"FromArray: a [{rows}×{columns}] matrix needs {(long)rows * columns} floats but the array has {data.Length}.", nameof(data));
        }

        return new Tensor(data, 0, 2, rows, columns);
    }

    /// <summary>A vector over <paramref name="data"/> (a view: no copy).</summary>
    public static Tensor FromArray(float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new Tensor(data, 0, 1, 1, data.Length);
    }

    /// <summary>A copy of a two-dimensional array.</summary>
    public static Tensor FromRows(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = Matrix(values.GetLength(0), values.GetLength(1));
        for (var row = 0; row < tensor.Rows; row++)
        {
            for (var column = 0; column < tensor.Columns; column++)
            {
                tensor[row, column] = values[row, column];
            }
        }

        return tensor;
    }

    /// <summary>Rows [start, start + count) as a matrix view of the same storage.</summary>
    public Tensor SliceRows(int start, int count)
    {
        if (Rank != 2)
        {
            throw new InvalidOperationException($"SliceRows: the tensor is a vector {Shape}; slice its Span instead.");
        }

        if (start < 0 || count < 0 || start + count > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"SliceRows: rows [{start}, {start + count}) are outside the {Rows} rows of {Shape}.");
        }

        ThrowIfRetired();
        return new Tensor(_data, _offset + (start * Columns), 2, count, Columns);
    }

    /// <summary>One row's elements.</summary>
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"Row {row} is outside the {Rows} rows of {Shape}.");
        }

        ThrowIfRetired();
        return new Span<float>(_data, _offset + (row * Columns), Columns);
    }

    /// <summary>Copies <paramref name="source"/>, which must have the same shape, into this tensor.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Nn.CheckSameShape("CopyFrom", this, source);
        source.Span.CopyTo(Span);
    }

    /// <summary>Sets every element to 0.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>The elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <inheritdoc/>
    public override string ToString() => "Tensor " + Shape;

    /// <summary>True when both have the same rank, rows and columns.</summary>
    public bool HasShapeOf(Tensor other) => Rank == other.Rank && Rows == other.Rows && Columns == other.Columns;

    /// <summary>Makes this pooled tensor a fresh one of the given shape, growing its storage if it is too small.</summary>
    internal void Reset(int rank, int rows, int columns)
    {
        var length = rows * columns;
        if (_data.Length < length)
        {
            _data = new float[Math.Max(length, _data.Length * 2)];
        }

        _offset = 0;
        _retired = false;
        Rank = rank;
        Rows = rows;
        Columns = columns;
    }

    internal static Tensor Create(int rank, int rows, int columns) => new(new float[rows * columns], 0, rank, rows, columns);

    /// <summary>A new tensor object over this one's storage (a workspace lease in checked mode).</summary>
    internal Tensor Lease(int rank, int rows, int columns)
    {
        Reset(rank, rows, columns);
        return new Tensor(_data, 0, rank, rows, columns);
    }

    /// <summary>Marks a workspace tensor as handed back: any later read or write throws instead of seeing another step's values.</summary>
    internal void Retire() => _retired = true;

    private void ThrowIfRetired()
    {
        if (_retired)
        {
            throw Retired();
        }
    }

    private ObjectDisposedException Retired() => new(
        "Tensor",
        $"This {Shape} tensor came from a Workspace scope that has closed, and its storage now holds other values. Copy what must outlive the scope (Tensor.ZerosLike(t) then CopyFrom(t), or ToArray()) before the scope ends.");

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside {Shape}.");
        }

        ThrowIfRetired();
        return _offset + (row * Columns) + column;
    }

    private static void CheckDimension(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "A tensor dimension must not be negative.");
        }
    }
}
