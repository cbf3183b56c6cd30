using System;
using System.IO;
using Backprop;
using Backprop.Distributed;

namespace FashionMnist;

/// <summary>
/// The training loop the samples share: epochs of minibatch steps with a progress line, the held-out set measured after
/// each epoch, a checkpoint and the learning curves rewritten after it, and an exact resume from the checkpoint. Optional
/// pieces: a learning-rate schedule stepped per batch, gradient clipping by global norm, and early stopping on the
/// held-out loss, which also keeps the best epoch's weights in a second checkpoint (<see cref="BestCheckpoint"/>).
/// With <see cref="Parallel"/>, one of the processes of a data-parallel run: every process trains on its share of each
/// batch, and only rank 0 prints, measures the held-out set and writes the checkpoint and curves.
/// </summary>
/// <param name="model">The model trained in place.</param>
/// <param name="optimizer">Its optimizer; a checkpoint keeps its state.</param>
/// <param name="batches">The training set's minibatches, shuffled at the start of every epoch.</param>
/// <param name="checkpoint">Where the model, the optimizer and the model's buffers are saved after each epoch.</param>
/// <param name="curves">The learning curves beside the checkpoint.</param>
/// <param name="heldOut">Measures the held-out set (the test set, or a validation set) in evaluation mode.</param>
public sealed class Trainer(IClassifier model, Optimizer optimizer, MiniBatches batches, string checkpoint, Curves curves, Func<(double Loss, double Accuracy)> heldOut)
{
    /// <summary>What the held-out set is called in the epoch lines (<c>test</c>, <c>validation</c>).</summary>
    public string HeldOutName { get; init; } = "test";

    /// <summary>The learning rate per optimizer step (counted over the whole run, so a resumed run continues it), or null for a constant one.</summary>
    public ILearningRateSchedule? Schedule { get; init; }

    /// <summary>The largest global norm of the gradients before a step, or null not to clip.</summary>
    public float? ClipNorm { get; init; }

    /// <summary>Early stopping on the held-out loss, or null to train every epoch.</summary>
    public EarlyStopping? Stopping { get; init; }

    /// <summary>
    /// Data-parallel training over MPI (Backprop.Distributed), or null for one process. The batches must be drawn in the
    /// same order on every process (the same seed): each process gathers its share of every batch.
    /// </summary>
    public DataParallel? Parallel { get; init; }

    /// <summary>
    /// With <see cref="Parallel"/>: steps between checks that every process holds the same parameters (0: only at the end
    /// of each epoch). Every 50 steps in a Debug build, only per epoch in Release (a check hashes every parameter).
    /// </summary>
    public int CheckEvery { get; init; } =
#if DEBUG
        50;
#else
        0;
#endif

    private bool IsRoot => Parallel?.World.IsRoot ?? true;

    /// <summary>Where the weights of the best epoch so far are kept when <see cref="Stopping"/> is set: <c>name.best.ckpt</c> beside the checkpoint.</summary>
    public string BestCheckpoint { get; } = Path.ChangeExtension(checkpoint, null) + ".best" + Path.GetExtension(checkpoint);

    /// <summary>
    /// Where a run of <paramref name="epochs"/> epochs starts: epoch 1, or with <paramref name="resume"/> the epoch after
    /// the checkpoint's, whose weights, optimizer state, buffers, curves and early-stopping record are loaded and whose
    /// shuffles are replayed (the same batches as an uninterrupted run). Says what it did; returns null with an exit code
    /// (after saying why) when there is nothing to train or the checkpoint cannot be used.
    /// </summary>
    public (int? FirstEpoch, int ExitCode) Start(bool resume, int epochs)
    {
        if (Parallel is null)
        {
            return Decide(resume, epochs);
        }

        // Rank 0 reads the checkpoint (the others may not see its file system) and hands its weights and optimizer state on.
        Span<long> decision = [0, 0];
        if (IsRoot)
        {
            var (first, exitCode) = Decide(resume, epochs);
            decision[0] = first ?? 0;
            decision[1] = exitCode;
        }

        Parallel.World.Broadcast(decision);
        if (decision[0] == 0)
        {
            return (null, (int)decision[1]);
        }

        Parallel.Synchronize(optimizer);
        if (Stopping is not null)
        {
            ShareStoppingRecord();
        }

        if (!IsRoot)
        {
            for (var epoch = 1; epoch < decision[0]; epoch++)
            {
                batches.Shuffle();
            }
        }

        return ((int)decision[0], 0);
    }

    /// <summary>Gives every process rank 0's record of held-out losses (read from the curves on resume), so that early stopping decides alike everywhere.</summary>
    private void ShareStoppingRecord()
    {
        Span<long> count = [IsRoot ? curves.Epochs.Count : 0];
        Parallel!.World.Broadcast(count);
        var record = new float[2 * count[0]];
        if (IsRoot)
        {
            for (var i = 0; i < curves.Epochs.Count; i++)
            {
                (record[2 * i], record[(2 * i) + 1]) = (curves.Epochs[i].Epoch, (float)curves.Epochs[i].HeldOutLoss);
            }
        }

        Parallel.World.Broadcast(record);
        if (!IsRoot)
        {
            for (var i = 0; i < record.Length; i += 2)
            {
                Stopping!.Report((int)record[i], record[i + 1]);
            }
        }
    }

    private (int? FirstEpoch, int ExitCode) Decide(bool resume, int epochs)
    {
        var firstEpoch = 1;
        if (resume)
        {
            if (!File.Exists(checkpoint))
            {
                Console.Error.WriteLine($"--resume: there is no checkpoint at {Path.GetFullPath(checkpoint)}.");
                return (null, 1);
            }

            try
            {
                var info = Checkpoint.Load(checkpoint, model.Parameters, optimizer, model.Buffers);
                firstEpoch = info.Epoch + 1;
                var processes = Parallel?.World.Size ?? 1;
                if (info.Processes != processes)
                {
                    Console.WriteLine($"Note: {checkpoint} was written by a run of {Processes(info.Processes)} and this run has {Processes(processes)}. "
                        + "Training continues with the same global batches in the same order; the gradients are summed in another order, so the run is not bit-identical to one that kept the same processes.");
                }
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine(e.Message);
                return (null, 1);
            }

            Console.WriteLine($"Resumed from {checkpoint}: epoch {firstEpoch - 1}, {optimizer.Steps:N0} steps, checksum and shapes verified, {HeldOutName} accuracy {heldOut().Accuracy:P2}.");
            if (curves.Continue(firstEpoch) is { } why)
            {
                Console.WriteLine($"Note: {why}.");
            }

            foreach (var epoch in curves.Epochs)
            {
                Stopping?.Report(epoch.Epoch, (float)epoch.HeldOutLoss);
            }

            for (var epoch = 1; epoch < firstEpoch; epoch++)
            {
                batches.Shuffle();
            }
        }
        else if (File.Exists(checkpoint))
        {
            Console.WriteLine($"Note: {checkpoint} exists; this run starts afresh and replaces it after epoch 1 (--resume continues from it).");
        }

        if (firstEpoch > epochs)
        {
            Console.WriteLine($"Nothing to train: {checkpoint} is at epoch {firstEpoch - 1} and --epochs is {epochs}. Pass a larger --epochs to train further.");
            return (null, 0);
        }

        if (Stopping is { ShouldStop: true })
        {
            Console.WriteLine($"Nothing to train: early stopping ended this run at epoch {firstEpoch - 1} ({Stopping.Patience} epochs after the best, {Stopping.BestEpoch}).");
            return (null, 0);
        }

        return (firstEpoch, 0);
    }

    /// <summary>Trains epochs <paramref name="firstEpoch"/> to <paramref name="lastEpoch"/> (fewer if early stopping ends it); returns the last epoch trained.</summary>
    public int Train(int firstEpoch, int lastEpoch)
    {
        var predictions = new int[batches.BatchSize];
        Span<float> sums = stackalloc float[3];

        // Training accuracy is sampled before the step on every tenth batch (one extra forward pass per ten steps), on
        // every batch when an epoch is short (the bundled subset), so the column moves.
        var sampleEvery = batches.Count >= 200 ? 10 : 1;
        var last = firstEpoch - 1;
        for (var epoch = firstEpoch; epoch <= lastEpoch && Stopping is not { ShouldStop: true }; epoch++)
        {
            batches.Shuffle();
            model.Training = true;
            var progress = IsRoot ? new Progress(epoch, lastEpoch, batches.Count) : null;
            var (reduceBefore, stepsBefore) = (Parallel?.ReduceTime ?? TimeSpan.Zero, Parallel?.Steps ?? 0);
            double lossSum = 0, correct = 0, counted = 0;
            for (var b = 0; b < batches.Count; b++)
            {
                if (Parallel is null)
                {
                    var (images, labels) = batches.Batch(b);
                    if (b % sampleEvery == 0)
                    {
                        correct += Evaluation.Correct(model, images, labels, predictions);
                        counted += labels.Length;
                    }

                    lossSum += model.LossGradient(images, labels);
                }
                else
                {
                    // This process's share: the loss weighted by it, and the sampled accuracy's counts, summed with the gradients.
                    var rows = batches.RowsOf(b);
                    var (start, count) = Parallel.ShareOf(rows);
                    sums.Clear();
                    if (count > 0)
                    {
                        var (images, labels) = batches.Batch(b, start, count);
                        if (b % sampleEvery == 0)
                        {
                            sums[1] = Evaluation.Correct(model, images, labels, predictions);
                            sums[2] = count;
                        }

                        sums[0] = model.LossGradient(images, labels) * count / rows;
                    }

                    Parallel.AverageGradients(count, rows, sums);
                    lossSum += sums[0];
                    correct += sums[1];
                    counted += sums[2];
                    if (CheckEvery > 0 && Parallel.Steps % CheckEvery == 0)
                    {
                        Parallel.CheckInSync();
                    }
                }

                if (ClipNorm is { } norm)
                {
                    GradientClipping.ByGlobalNorm(model.Parameters, norm);
                }

                if (Schedule is not null)
                {
                    optimizer.LearningRate = Schedule.At((int)optimizer.Steps);
                }

                optimizer.Step(model.Parameters);
                progress?.Report(b, (b + 1) * batches.BatchSize, lossSum / (b + 1), correct / Math.Max(1, counted));
            }

            last = epoch;
            progress?.Finish();
            var seconds = progress?.Elapsed.TotalSeconds ?? 0;
            if (Parallel is not null)
            {
                Parallel.CheckInSync();
                Parallel.AverageBuffers(model.Buffers);
            }

            // Rank 0 measures the held-out set; early stopping decides on its loss on every process.
            var (loss, accuracy) = IsRoot ? heldOut() : (0, 0);
            if (Parallel is not null && Stopping is not null)
            {
                Span<float> shared = [(float)loss];
                Parallel.World.Broadcast(shared);
                loss = shared[0];
            }

            var best = Stopping?.Report(epoch, (float)loss) ?? false;
            if (progress is null)
            {
                continue;
            }

            Checkpoint.Save(checkpoint, model.Parameters, optimizer, epoch, model.Buffers, Parallel?.World.Size ?? 1);
            if (best)
            {
                Checkpoint.Save(BestCheckpoint, model.Parameters, null, epoch, model.Buffers);
            }

            if (curves.Add(new EpochMetrics(epoch, lossSum / batches.Count, correct / Math.Max(1, counted), loss, accuracy, seconds, batches.Samples / seconds)) is { } unplotted)
            {
                Console.WriteLine($"Note: {unplotted}.");
            }

            var mark = best ? $"; best so far, kept in {BestCheckpoint}" : Stopping is null ? "" : $"; {Stopping.EpochsWithoutImprovement} of {Stopping.Patience} epochs without improvement";
            Console.WriteLine($"epoch {epoch}: {HeldOutName} loss {loss:F4}, accuracy {accuracy:P2}  ({seconds:F1} s, {batches.Samples / seconds:N0} samples/s; checkpoint {checkpoint}{mark})");
            if (Parallel is not null)
            {
                var perStep = (Parallel.ReduceTime - reduceBefore).TotalMilliseconds / Math.Max(1, Parallel.Steps - stepsBefore);
                Console.WriteLine($"         {Processes(Parallel.World.Size)}: the allreduce of {Parallel.Values:N0} gradients took {perStep:F2} ms a step this epoch on rank 0 ({perStep * batches.Count / 1000 / seconds:P0} of the epoch), waiting for the others included");
            }
        }

        return last;
    }

    private static string Processes(int count) => count == 1 ? "1 process" : $"{count} processes";
}
