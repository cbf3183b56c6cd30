using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Backprop.Distributed;

/// <summary>
/// Data-parallel training of one model over the processes of an <see cref="MpiWorld"/>: every process holds the whole
/// model, takes its share of each global batch (<see cref="ShareOf"/>), computes the gradient of its share, and
/// <see cref="AverageGradients"/> turns every process's gradients into the gradient of the whole batch with one
/// allreduce, so that every process then takes the same optimizer step and the parameters stay bit-identical.
/// </summary>
/// <remarks>
/// <para>
/// The gradient of the batch's mean loss is Σᵣ (nᵣ / n) · gᵣ, where process r's share has nᵣ of the batch's n rows and
/// gᵣ is the gradient of its own mean loss. Each process scales its gradients by nᵣ / n and the allreduce sums them, so
/// shares of unequal size (a batch that does not divide evenly, the last batch of an epoch) give the same gradient as
/// one process training on the whole batch — up to the order in which floats are added.
/// </para>
/// <para>
/// The gradients go through one flat buffer (one allreduce per step, the fewest messages; copying them in and out costs
/// far less than the product that made them). Every process ends the allreduce with the same sums, applies the same
/// optimizer to the same values, and so keeps the same parameters; <see cref="CheckInSync"/> verifies it.
/// </para>
/// </remarks>
public sealed class DataParallel
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly float[] _buffer;
    private readonly long[] _hashes;
    private readonly long[] _lowest;
    private readonly long _extras;
    private readonly Stopwatch _reducing = new();

    /// <summary>Trains <paramref name="parameters"/> (a model's generated <c>Parameters</c>) over <paramref name="world"/>, with room for <paramref name="extras"/> more values summed beside the gradients each step (a loss, counts).</summary>
    public DataParallel(MpiWorld world, IReadOnlyList<Parameter> parameters, int extras = 4)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(extras);
        World = world;
        _parameters = parameters;
        long values = 0;
        foreach (var parameter in parameters)
        {
            values += parameter.Value.Length;
        }

        if (values + extras > int.MaxValue)
        {
            throw new ArgumentException($"The model has {values:N0} trainable values; one allreduce moves at most {int.MaxValue:N0}.", nameof(parameters));
        }

        Values = values;
        _extras = extras;
        _buffer = new float[values + extras];
        _hashes = new long[parameters.Count];
        _lowest = new long[parameters.Count];
    }

    /// <summary>The processes.</summary>
    public MpiWorld World { get; }

    /// <summary>Trainable values of the model: the floats each step's allreduce sums.</summary>
    public long Values { get; }

    /// <summary>Steps whose gradients were averaged.</summary>
    public long Steps { get; private set; }

    /// <summary>Time spent in <see cref="AverageGradients"/> (packing, the allreduce, unpacking) over all steps: waiting for the slowest process included.</summary>
    public TimeSpan ReduceTime => _reducing.Elapsed;

    /// <summary>
    /// The rows of a global batch of <paramref name="batchRows"/> rows that this process trains on: process r takes
    /// rows ⌊r·n/p⌋ up to ⌊(r+1)·n/p⌋, so shares differ by at most one row (and a process gets none when the batch has
    /// fewer rows than there are processes).
    /// </summary>
    public (int Start, int Count) ShareOf(int batchRows) => Share(batchRows, World.Rank, World.Size);

    /// <summary>The share of process <paramref name="rank"/> of <paramref name="size"/> in a batch of <paramref name="batchRows"/> rows (see <see cref="ShareOf"/>).</summary>
    public static (int Start, int Count) Share(int batchRows, int rank, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchRows);
        if ((uint)rank >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Ranks go from 0 to {size - 1}.");
        }

        var start = (int)((long)rank * batchRows / size);
        var end = (int)((long)(rank + 1) * batchRows / size);
        return (start, end - start);
    }

    /// <summary>
    /// Makes every process start from rank 0's parameters (and its optimizer's state and step count, when
    /// <paramref name="optimizer"/> is given, as after loading a checkpoint on rank 0). Call it on every process before
    /// the first step.
    /// </summary>
    public void Synchronize(Optimizer? optimizer = null)
    {
        foreach (var parameter in _parameters)
        {
            World.Broadcast(parameter.Value.Span);
            if (optimizer is not null)
            {
                foreach (var state in optimizer.StateOf(parameter).AsSpan(0, optimizer.StateTensors))
                {
                    World.Broadcast(state.Span);
                }
            }
        }

        if (optimizer is not null)
        {
            Span<long> steps = [optimizer.Steps];
            World.Broadcast(steps);
            optimizer.Steps = steps[0];
        }
    }

    /// <summary>
    /// Turns this process's gradients — of the mean loss over its <paramref name="shareRows"/> rows of a global batch of
    /// <paramref name="batchRows"/> rows — into the gradients of the whole batch's mean loss, on every process, with one
    /// allreduce. <paramref name="sums"/> (at most the extras given to the constructor) are summed over the processes in
    /// the same message: a loss weighted by the share, counts of correct answers. A process with no rows in this batch
    /// contributes zeros (its gradients are not read).
    /// </summary>
    public void AverageGradients(int shareRows, int batchRows, Span<float> sums)
    {
        if (batchRows <= 0 || (uint)shareRows > (uint)batchRows)
        {
            throw new ArgumentOutOfRangeException(nameof(shareRows), shareRows, $"A share has 0 to {batchRows} rows of a batch of {batchRows} (which must have at least one).");
        }

        if (sums.Length > _extras)
        {
            throw new ArgumentException($"{sums.Length} sums were given; this DataParallel was made with room for {_extras}.", nameof(sums));
        }

        _reducing.Start();
        var weight = (float)shareRows / batchRows;
        var at = 0;
        foreach (var parameter in _parameters)
        {
            var target = _buffer.AsSpan(at, parameter.Gradient.Length);
            if (shareRows == 0)
            {
                target.Clear();
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(parameter.Gradient.Span, weight, target);
            }

            at += target.Length;
        }

        sums.CopyTo(_buffer.AsSpan(at));
        World.Sum(_buffer.AsSpan(0, at + sums.Length));
        at = 0;
        foreach (var parameter in _parameters)
        {
            _buffer.AsSpan(at, parameter.Gradient.Length).CopyTo(parameter.Gradient.Span);
            at += parameter.Gradient.Length;
        }

        _buffer.AsSpan(at, sums.Length).CopyTo(sums);
        _reducing.Stop();
        Steps++;
    }

    /// <summary>
    /// Replaces each of a model's <paramref name="buffers"/> (tensors it keeps but does not train: a batch norm's running
    /// averages, which each process updates from its own share) by its mean over the processes, so that every process
    /// evaluates and saves the same ones. Call it on every process, with the same buffers (they are taken in the order of
    /// their names).
    /// </summary>
    public void AverageBuffers(IReadOnlyDictionary<string, Tensor> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        var names = new List<string>(buffers.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var values = buffers[name].Span;
            World.Sum(values);
            System.Numerics.Tensors.TensorPrimitives.Multiply(values, 1f / World.Size, values);
        }
    }

    /// <summary>
    /// Checks that every process holds the same parameters, bit for bit (a hash of each parameter, compared with two
    /// small allreduces). Throws on every process, naming the first parameter that differs, when they do not: the
    /// processes did not start from the same weights, or one took another step.
    /// </summary>
    public void CheckInSync()
    {
        for (var i = 0; i < _parameters.Count; i++)
        {
            _hashes[i] = Hash(_parameters[i].Value.Span);
        }

        _hashes.CopyTo(_lowest, 0);
        World.Min(_lowest);
        World.Max(_hashes);
        for (var i = 0; i < _parameters.Count; i++)
        {
            if (_lowest[i] != _hashes[i])
            {
                throw new InvalidOperationException($"The processes' parameters differ after {Steps:N0} steps: {_parameters[i].Name} is not the same on every process. Start them from the same weights (Synchronize) and give every process the same steps.");
            }
        }
    }

    /// <summary>FNV-1a over the floats' bit patterns: any differing bit changes it (for the check, not for security).</summary>
    private static long Hash(ReadOnlySpan<float> values)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in values)
        {
            hash = (hash ^ BitConverter.SingleToUInt32Bits(value)) * 1099511628211UL;
        }

        return (long)hash;
    }
}
