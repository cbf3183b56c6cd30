using System;

namespace Backprop;

/// <summary>
/// A float32 tensor of rank 1 to 4 (<see cref="TensorShape"/>), its elements contiguous in row-major order over a slice
/// of an array it does not copy: tensors made by <see cref="SliceRows"/>, <see cref="Reshape"/> or
/// <see cref="FromArray(float[], int, int)"/> are views of storage someone else owns.
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
    private bool _fresh;

    private TensorShape _shape;

    private Tensor(float[] data, int offset, TensorShape shape)
    {
        _data = data;
        _offset = offset;
        _shape = shape;
    }

    /// <summary>The lengths of the axes: compare it, print it ("[128×784]", "[256]", "[64×1×28×28]"), index it.</summary>
    public TensorShape Shape => _shape;

    /// <summary>1 for a vector, 2 for a matrix, 3 or 4 for batches of sequences or images.</summary>
    public int Rank => _shape.Rank;

    /// <summary>Rows of a matrix, the first axis (the batch) of a tensor of rank 3 or 4; 1 for a vector.</summary>
    public int Rows => _shape.Rows;

    /// <summary>Columns of a matrix, the product of the other axes of a tensor of rank 3 or 4; the length of a vector.</summary>
    public int Columns => _shape.Columns;

    /// <summary>Number of elements.</summary>
    public int Length => _shape.Length;

    /// <summary>The elements, row after row.</summary>
    public Span<float> Span => _retired ? throw Retired() : new(_data, _offset, _shape.Length);

    /// <summary>The element at (row, column); of a tensor of rank 3 or 4, of its [rows × columns] matrix view.</summary>
    public float this[int row, int column]
    {
        get => _data[Index(row, column)];
        set => _data[Index(row, column)] = value;
    }

    /// <summary>The element at (i, j, k) of a tensor of rank 3.</summary>
    public float this[int i, int j, int k]
    {
        get => _data[Index(3, i, j, k, 0)];
        set => _data[Index(3, i, j, k, 0)] = value;
    }

    /// <summary>The element at (n, c, h, w) of a tensor of rank 4.</summary>
    public float this[int n, int c, int h, int w]
    {
        get => _data[Index(4, n, c, h, w)];
        set => _data[Index(4, n, c, h, w)] = value;
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
        return Create(TensorShape.Matrix(rows, columns));
    }

    /// <summary>A new zero vector.</summary>
    public static Tensor Vector(int length)
    {
        CheckDimension(length, nameof(length));
        return Create(TensorShape.Vector(length));
    }

    /// <summary>A new zero tensor of any rank from 1 to 4: <c>Tensor.Zeros(64, 1, 28, 28)</c>.</summary>
    /// <exception cref="ArgumentException">No lengths or more than four, or a negative length.</exception>
    public static Tensor Zeros(params ReadOnlySpan<int> lengths) => Create(new TensorShape(lengths));

    /// <summary>A new zero tensor of <paramref name="shape"/>.</summary>
    public static Tensor Zeros(TensorShape shape) => Create(CheckShape(shape));

    /// <summary>A new tensor of the same shape as <paramref name="other"/>, zero.</summary>
    public static Tensor ZerosLike(Tensor other) => Create(other.Shape);

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

        return new Tensor(data, 0, TensorShape.Matrix(rows, columns));
    }

    /// <summary>A vector over <paramref name="data"/> (a view: no copy).</summary>
    public static Tensor FromArray(float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new Tensor(data, 0, TensorShape.Vector(data.Length));
    }

    /// <summary>A tensor of <paramref name="shape"/> over <paramref name="data"/> (a view: no copy).</summary>
    /// <exception cref="ArgumentException">The array is shorter than the shape needs.</exception>
    public static Tensor FromArray(float[] data, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (CheckShape(shape).Length > data.Length)
        {
            throw new ArgumentException($"FromArray: a {shape} tensor needs {shape.Length} floats but the array has {data.Length}.", nameof(data));
        }

        return new Tensor(data, 0, shape);
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

    /// <summary>Rows [start, start + count) — samples along the first axis — as a view of the same storage, of the same rank.</summary>
    public Tensor SliceRows(int start, int count)
    {
        if (Rank == 1)
        {
            throw new InvalidOperationException($"SliceRows: the tensor is a vector {Shape}; slice its Span instead.");
        }

        if (start < 0 || count < 0 || start + count > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"SliceRows: rows [{start}, {start + count}) are outside the {Rows} rows of {Shape}.");
        }

        ThrowIfRetired();
        return new Tensor(_data, _offset + (start * Columns), _shape.WithLength(0, count));
    }

    /// <summary>
    /// The same elements seen with another shape of as many elements (a view: no copy, writes show through). One
    /// length may be −1 and is then inferred: <c>images.Reshape(-1, 1, 28, 28)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The new shape holds another number of elements, or more than one length is −1.</exception>
    public Tensor Reshape(params ReadOnlySpan<int> lengths)
    {
        Span<int> resolved = stackalloc int[Math.Min(lengths.Length, TensorShape.MaxRank)];
        var inferred = -1;
        var known = 1L;
        for (var axis = 0; axis < resolved.Length; axis++)
        {
            if (lengths[axis] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException($"Reshape of {Shape}: only one length may be -1 (inferred).", nameof(lengths));
                }

                inferred = axis;
                continue;
            }

            resolved[axis] = lengths[axis];
            known *= Math.Max(lengths[axis], 0);
        }

        var requested = string.Join(", ", lengths.ToArray());
        if (inferred >= 0)
        {
            resolved[inferred] = known > 0 && Length % known == 0 ? (int)(Length / known) : throw ReshapeMismatch(requested);
        }

        var shape = lengths.Length > TensorShape.MaxRank ? new TensorShape(lengths) : new TensorShape(resolved);
        if (shape.Length != Length)
        {
            throw ReshapeMismatch(requested);
        }

        ThrowIfRetired();
        return new Tensor(_data, _offset, shape);
    }

    private ArgumentException ReshapeMismatch(string requested) =>
        new($"Reshape: {Shape} has {Length} elements, which do not fill a tensor of lengths [{requested}].", "lengths");

    /// <summary>This tensor as a [rows × columns] matrix view: a batch of images [N×C×H×W] becomes [N × C·H·W], ready for a linear layer.</summary>
    public Tensor Flatten() => Reshape(Rows, Columns);

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

    /// <summary>
    /// Adds <paramref name="source"/>, which must have the same shape, into this tensor element by element: how generated
    /// code adds a gradient that reaches a value through a branch (<c>h2 = h</c> in one arm passes dh2 on to dh).
    /// </summary>
    public void AddFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Nn.CheckSameShape("AddFrom", this, source);
        System.Numerics.Tensors.TensorPrimitives.Add(Span, source.Span, Span);
    }

    /// <summary>Sets every element to 0.</summary>
    public void Clear()
    {
        Span.Clear();
        WrittenAcrossCores = false;
    }

    /// <summary>
    /// True when a product split across cores has added into this tensor since it was last cleared (a weight's gradient
    /// from <see cref="Nn.MatMulBackward"/>): each core then holds its share in its cache, and <see cref="Adam"/> updates
    /// the weight on the same cores; otherwise on the calling thread, where the gradient was written.
    /// </summary>
    internal bool WrittenAcrossCores { get; set; }

    /// <summary>
    /// True once for an adjoint from <see cref="Workspace.Fresh"/> that nothing has written yet, and false from then on
    /// and for every other tensor. A derivative rule that marks an adjoint <see cref="WritesFirstAttribute"/> asks it
    /// before its contribution: true means write every element (no zeroing pass was made, and the elements hold
    /// nothing), false means add as usual.
    /// </summary>
    public bool TakeFresh()
    {
        ThrowIfRetired();
        var fresh = _fresh;
        _fresh = false;
        return fresh;
    }

    /// <summary>Marks this workspace tensor as an adjoint whose first contribution writes it (<see cref="Workspace.Fresh"/>).</summary>
    internal void MarkFresh() => _fresh = true;

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>The elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <inheritdoc/>
    public override string ToString() => "Tensor " + Shape;

    /// <summary>True when both have the same shape.</summary>
    public bool HasShapeOf(Tensor other) => _shape == other._shape;

    /// <summary>Makes this pooled tensor a fresh one of the given shape, growing its storage if it is too small.</summary>
    internal void Reset(TensorShape shape)
    {
        var length = shape.Length;
        if (_data.Length < length)
        {
            _data = TensorStorage.Zeroed(Math.Max(length, _data.Length * 2));
        }

        _offset = 0;
        _retired = false;
        _fresh = false;
        _shape = shape;
    }

    internal static Tensor Create(TensorShape shape) => new(TensorStorage.Zeroed(shape.Length), 0, shape);

    /// <summary>A new tensor object over this one's storage (a workspace lease in checked mode).</summary>
    internal Tensor Lease(TensorShape shape)
    {
        Reset(shape);
        return new Tensor(_data, 0, shape);
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

    private int Index(int rank, int i, int j, int k, int l)
    {
        if (Rank != rank)
        {
            throw new InvalidOperationException($"A tensor of shape {Shape} has {Rank} axes; {rank} indices were given.");
        }

        if ((uint)i >= (uint)_shape[0] || (uint)j >= (uint)_shape[1] || (uint)k >= (uint)_shape[2] || (rank == 4 && (uint)l >= (uint)_shape[3]))
        {
            throw new ArgumentOutOfRangeException(nameof(i), $"({i}, {j}, {k}{(rank == 4 ? $", {l}" : string.Empty)}) is outside {Shape}.");
        }

        ThrowIfRetired();
        var flat = (((i * _shape[1]) + j) * _shape[2]) + k;
        return _offset + (rank == 4 ? (flat * _shape[3]) + l : flat);
    }

    private static TensorShape CheckShape(TensorShape shape) =>
        shape.Rank > 0 ? shape : throw new ArgumentException("default(TensorShape) has no axes; make one with new TensorShape(lengths).", nameof(shape));

    private static void CheckDimension(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "A tensor dimension must not be negative.");
        }
    }
}
