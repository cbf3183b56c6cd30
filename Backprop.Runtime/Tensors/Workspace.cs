using System;
using System.Collections.Generic;

namespace Backprop;

/// <summary>
/// Reusable storage for the tensors a computation makes along the way. Inside a scope, <see cref="Nn"/> operations take
/// their outputs from this thread's workspace instead of allocating; closing the scope hands the tensors back, and the
/// next scope that makes the same sequence of tensors gets the same storage — so after the first training step, a
/// step allocates nothing. Generated <c>…Backward</c> methods of tensor code open a scope themselves.
/// </summary>
/// <remarks>
/// A tensor taken inside a scope is valid until the scope closes: copy out what must outlive it. Scopes nest
/// (a stack); close them in reverse order, which <c>using</c> does.
/// </remarks>
public static class Workspace
{
    [ThreadStatic]
    private static Arena? t_arena;

    /// <summary>Opens a scope on this thread: <c>using var scope = Workspace.Enter();</c>.</summary>
    public static Scope Enter()
    {
        var arena = t_arena ??= new Arena();
        arena.Depth++;
        return new Scope(arena, arena.Next, arena.Depth);
    }

    /// <summary>
    /// Checked mode: every tensor a scope hands out is a new object over the pooled storage, retired when the scope
    /// closes, so a tensor kept past its scope throws on its next use even after a later scope has reused the storage
    /// (a few small allocations per scope). Off by default; on when the environment variable
    /// <c>BACKPROP_CHECK_WORKSPACE</c> is <c>1</c>. Unchecked, a kept tensor throws when used after its scope closed
    /// until a later scope takes the storage again (from then on it would see that scope's values).
    /// </summary>
    public static bool CheckLifetimes { get; set; } = Environment.GetEnvironmentVariable("BACKPROP_CHECK_WORKSPACE") == "1";

    /// <summary>True when a scope is open on this thread.</summary>
    public static bool IsActive => t_arena is { Depth: > 0 };

    /// <summary>A zero tensor of the given shape: from the open scope, or newly allocated when none is open.</summary>
    public static Tensor Zeros(int rank, int rows, int columns) => Zeros(rank == 1 ? TensorShape.Vector(columns) : TensorShape.Matrix(rows, columns));

    /// <summary>A zero tensor of <paramref name="shape"/>: from the open scope, or newly allocated when none is open.</summary>
    public static Tensor Zeros(TensorShape shape)
    {
        var tensor = Uninitialized(shape);
        tensor.Clear();
        return tensor;
    }

    /// <summary>A zero tensor shaped like <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape);

    /// <summary>
    /// The adjoint of an input of an add gate: the gate passes <paramref name="dResult"/> on unchanged, so when the
    /// shapes agree the input's adjoint IS <paramref name="dResult"/> (no copy); a broadcast input gets a zero tensor
    /// of its own shape. <see cref="Nn.AddBackward"/> and <see cref="Nn.SubtractBackward"/> recognise the shared tensor.
    /// </summary>
    public static Tensor PassedThrough(Tensor value, Tensor dResult) => value.HasShapeOf(dResult) ? dResult : ZerosLike(value);

    /// <summary>
    /// The adjoint of <paramref name="like"/> for a derivative rule that writes its first contribution
    /// (<see cref="WritesFirstAttribute"/>): shaped like it, its elements not set, and <see cref="Tensor.TakeFresh"/>
    /// true until the rule claims it — so the adjoint needs no zeroing pass. Generated code passes it only to such a
    /// rule, as the first to touch it. In checked mode (<see cref="CheckLifetimes"/>) its elements are NaN, so a rule
    /// that reads it before writing it shows in every gradient it reaches.
    /// </summary>
    public static Tensor Fresh(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        var tensor = Uninitialized(like.Shape);
        if (CheckLifetimes)
        {
            tensor.Fill(float.NaN);
        }

        tensor.MarkFresh();
        return tensor;
    }

    /// <summary>A tensor of the given shape whose elements the caller will overwrite.</summary>
    internal static Tensor Uninitialized(TensorShape shape)
    {
        if (t_arena is not { Depth: > 0 } arena)
        {
            return Tensor.Create(shape);
        }

        if (arena.Next == arena.Slots.Count)
        {
            arena.Slots.Add(Tensor.Create(shape));
            arena.Leased.Add(null!);
        }

        var slot = arena.Slots[arena.Next];
        Tensor tensor;
        if (CheckLifetimes)
        {
            tensor = slot.Lease(shape);
        }
        else
        {
            slot.Reset(shape);
            tensor = slot;
        }

        arena.Leased[arena.Next++] = tensor;
        return tensor;
    }

    /// <summary>An open workspace scope; disposing it hands its tensors back.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly Arena? _arena;
        private readonly int _mark;
        private readonly int _depth;
        private readonly int _keptMark;

        internal Scope(Arena arena, int mark, int depth)
        {
            _arena = arena;
            _mark = mark;
            _depth = depth;
            _keptMark = arena.Kept.Count;
        }

        /// <summary>
        /// A stack of values kept until the scope closes: how generated code keeps each loop iteration's tensors and floats
        /// for the backward pass, which takes them back the last first — whatever loops and branches the loop is inside.
        /// The stacks are reused by the next scope that asks for them, so a warm training step allocates nothing.
        /// </summary>
        public KeptValues<T> Keep<T>()
        {
            if (_arena is null || _arena.Depth != _depth)
            {
                throw new InvalidOperationException("Keep needs the innermost open workspace scope.");
            }

            var pool = KeptPool<T>.Pool;
            _arena.Kept.Add((pool, pool.Next));
            if (pool.Next == pool.Stacks.Count)
            {
                pool.Stacks.Add(new KeptValues<T>());
            }

            var stack = pool.Stacks[pool.Next++];
            stack.Clear();
            return stack;
        }

        /// <summary>Closes the scope.</summary>
        public void Dispose()
        {
            if (_arena is null)
            {
                return;
            }

            if (_arena.Depth != _depth)
            {
                throw new InvalidOperationException($"Workspace scopes must close in reverse order: closing scope {_depth} while scope {_arena.Depth} is open.");
            }

            for (var i = _arena.Kept.Count - 1; i >= _keptMark; i--)
            {
                var (pool, next) = _arena.Kept[i];
                pool.Next = next;
            }

            _arena.Kept.RemoveRange(_keptMark, _arena.Kept.Count - _keptMark);

            for (var i = _mark; i < _arena.Next; i++)
            {
                _arena.Leased[i].Retire();
            }

            _arena.Next = _mark;
            _arena.Depth--;
        }
    }

    internal sealed class Arena
    {
        public List<Tensor> Slots { get; } = [];

        /// <summary>The tensor object handed out for each slot in the open scopes (the slot itself unless <see cref="CheckLifetimes"/>).</summary>
        public List<Tensor> Leased { get; } = [];

        public int Next { get; set; }

        public int Depth { get; set; }

        /// <summary>The kept-value pools taken from in the open scopes, each with where it stood before.</summary>
        public List<(IKeptPool Pool, int Next)> Kept { get; } = [];
    }

    internal interface IKeptPool
    {
        int Next { get; set; }
    }

    /// <summary>This thread's stacks of <typeparamref name="T"/> handed out by <see cref="Scope.Keep{T}"/>, in order.</summary>
    private sealed class KeptPool<T> : IKeptPool
    {
        [ThreadStatic]
        private static KeptPool<T>? t_pool;

        public static KeptPool<T> Pool => t_pool ??= new KeptPool<T>();

        public List<KeptValues<T>> Stacks { get; } = [];

        public int Next { get; set; }
    }
}
