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

    /// <summary>True when a scope is open on this thread.</summary>
    public static bool IsActive => t_arena is { Depth: > 0 };

    /// <summary>A zero tensor of the given shape: from the open scope, or newly allocated when none is open.</summary>
    public static Tensor Zeros(int rank, int rows, int columns)
    {
        var tensor = Uninitialized(rank, rows, columns);
        tensor.Clear();
        return tensor;
    }

    /// <summary>A zero tensor shaped like <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Rank, like.Rows, like.Columns);

    /// <summary>
    /// The adjoint of an input of an add gate: the gate passes <paramref name="dResult"/> on unchanged, so when the
    /// shapes agree the input's adjoint IS <paramref name="dResult"/> (no copy); a broadcast input gets a zero tensor
    /// of its own shape. <see cref="Nn.AddBackward"/> and <see cref="Nn.SubtractBackward"/> recognise the shared tensor.
    /// </summary>
    public static Tensor PassedThrough(Tensor value, Tensor dResult) => value.HasShapeOf(dResult) ? dResult : ZerosLike(value);

    /// <summary>A tensor of the given shape whose elements the caller will overwrite.</summary>
    internal static Tensor Uninitialized(int rank, int rows, int columns)
    {
        if (t_arena is not { Depth: > 0 } arena)
        {
            return Tensor.Create(rank, rows, columns);
        }

        if (arena.Next == arena.Slots.Count)
        {
            arena.Slots.Add(Tensor.Create(rank, rows, columns));
        }

        var tensor = arena.Slots[arena.Next++];
        tensor.Reset(rank, rows, columns);
        return tensor;
    }

    /// <summary>An open workspace scope; disposing it hands its tensors back.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly Arena? _arena;
        private readonly int _mark;
        private readonly int _depth;

        internal Scope(Arena arena, int mark, int depth)
        {
            _arena = arena;
            _mark = mark;
            _depth = depth;
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

            _arena.Next = _mark;
            _arena.Depth--;
        }
    }

    internal sealed class Arena
    {
        public List<Tensor> Slots { get; } = [];

        public int Next { get; set; }

        public int Depth { get; set; }
    }
}
