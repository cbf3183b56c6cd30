using System;
using System.IO;
using Backprop;
using Backprop.Distributed;
using Backprop.Distributed.Ranks;

// dotnet Backprop.Distributed.Ranks.dll SCENARIO [ARGUMENTS]; under mpirun for every scenario but train-single.
// Exit codes: 0 as expected, 1 a check failed (the reason on standard error), 2 a bad command line.
switch (args)
{
    case ["collectives"]:
        return Collectives();
    case ["train", var output]:
        return Train(output, distributed: true);
    case ["train-single", var output]:
        return Train(output, distributed: false);
    case ["die"]:
        return Die();
    case ["diverge"]:
        return Diverge();
    case ["allreduce-time", var count] when int.TryParse(count, out var values) && values > 0:
        return AllreduceTime(values);
    default:
        Console.Error.WriteLine("usage: collectives | train OUTPUT | train-single OUTPUT | die | diverge | allreduce-time VALUES");
        return 2;
}

// Known buffers summed, minimised, maximised and broadcast: every result is exact.
static int Collectives()
{
    using var world = MpiWorld.Start();
    var (rank, size) = (world.Rank, world.Size);
    var floats = new float[1000];
    var doubles = new double[3];
    for (var i = 0; i < floats.Length; i++)
    {
        floats[i] = (rank + 1) * i;
    }

    doubles[0] = 0.5 * rank;
    doubles[1] = 1e300;
    doubles[2] = -rank;
    world.Sum(floats);
    world.Sum(doubles);
    var triangle = size * (size + 1) / 2;
    for (var i = 0; i < floats.Length; i++)
    {
        if (floats[i] != triangle * i)
        {
            return Fail(world, $"sum element {i} is {floats[i]}, not {triangle * i}");
        }
    }

    if (doubles[0] != 0.25 * size * (size - 1) || doubles[1] != size * 1e300 || doubles[2] != -(size * (size - 1) / 2))
    {
        return Fail(world, $"double sums are {string.Join(", ", doubles)}");
    }

    long[] lowest = [rank, -rank, 7], highest = [rank, -rank, 7];
    world.Min(lowest);
    world.Max(highest);
    if (lowest is not [0, var low, 7] || low != -(size - 1) || highest is not [var high, 0, 7] || high != size - 1)
    {
        return Fail(world, $"min [{string.Join(", ", lowest)}], max [{string.Join(", ", highest)}]");
    }

    var broadcast = new float[] { rank == size - 1 ? 42.5f : 0, rank };
    world.Broadcast(broadcast, root: size - 1);
    long[] broadcastLongs = [rank == 0 ? long.MaxValue : 0];
    world.Broadcast(broadcastLongs);
    if (broadcast is not [42.5f, var from] || from != size - 1 || broadcastLongs[0] != long.MaxValue)
    {
        return Fail(world, $"broadcast gave [{string.Join(", ", broadcast)}] and {broadcastLongs[0]}");
    }

    world.Barrier();
    Console.WriteLine($"rank {rank} of {size}: collectives exact ({world.Library})");
    return 0;
}

// Three epochs of Adam on 47 samples in batches of 10 (shares of 4/3/3 rows on three processes, a last batch of 7):
// rank 0 writes the parameters, which must equal one process's on the same batches.
static int Train(string output, bool distributed)
{
    using var world = distributed ? MpiWorld.Start() : null;
    var random = new Random(5);
    var features = Tensor.Matrix(47, 5);
    var labels = new int[47];
    for (var i = 0; i < labels.Length; i++)
    {
        for (var j = 0; j < 5; j++)
        {
            features[i, j] = (float)(random.NextDouble() * 2 - 1);
        }

        labels[i] = features[i, 0] + features[i, 1] > 0.3f ? 0 : features[i, 2] > 0 ? 1 : 2;
    }

    // Rank 1 starts from other weights: the broadcast must replace them.
    var model = new TinyNet(new Random(world?.Rank ?? 0));
    var optimizer = new Adam(0.01f);
    var batches = new MiniBatches(features, labels, 10, new Random(9));
    var parallel = world is null ? null : new DataParallel(world, model.Parameters);
    parallel?.Synchronize(optimizer);
    Span<float> loss = stackalloc float[1];
    double total = 0;
    for (var epoch = 0; epoch < 3; epoch++)
    {
        batches.Shuffle();
        for (var b = 0; b < batches.Count; b++)
        {
            if (parallel is null)
            {
                var (x, y) = batches.Batch(b);
                total += model.LossGradient(x, y);
            }
            else
            {
                var rows = batches.RowsOf(b);
                var (start, count) = parallel.ShareOf(rows);
                loss[0] = 0;
                if (count > 0)
                {
                    var (x, y) = batches.Batch(b, start, count);
                    loss[0] = model.LossGradient(x, y) * count / rows;
                }

                parallel.AverageGradients(count, rows, loss);
                total += loss[0];
                parallel.CheckInSync();
            }

            optimizer.Step(model.Parameters);
        }
    }

    if (world is null || world.IsRoot)
    {
        using var writer = new BinaryWriter(File.Create(output));
        writer.Write(total);
        foreach (var parameter in model.Parameters)
        {
            foreach (var value in parameter.Value.Span)
            {
                writer.Write(value);
            }
        }
    }

    Console.WriteLine($"rank {world?.Rank ?? 0}: {optimizer.Steps} steps, mean loss {total / optimizer.Steps:F4}");
    return 0;
}

// Rank 1 leaves after two allreduces without finalising; the others keep calling allreduce and must not wait for ever.
static int Die()
{
    var world = MpiWorld.Start();
    var values = new float[100];
    for (var step = 0; ; step++)
    {
        if (world.Rank == 1 && step == 2)
        {
            Console.Error.WriteLine("rank 1: leaving without MPI_Finalize");
            Environment.Exit(3);
        }

        world.Sum(values);
    }
}

// Rank 1's copy of a weight is changed: CheckInSync must throw on every process, naming it.
static int Diverge()
{
    using var world = MpiWorld.Start();
    var model = new TinyNet(new Random(0));
    var parallel = new DataParallel(world, model.Parameters);
    parallel.CheckInSync();
    if (world.Rank == 1)
    {
        model.W2[3, 1] += 1e-6f;
    }

    try
    {
        parallel.CheckInSync();
    }
    catch (InvalidOperationException e)
    {
        Console.WriteLine($"rank {world.Rank}: {e.Message}");
        return 0;
    }

    Console.Error.WriteLine($"rank {world.Rank}: the changed weight was not noticed");
    return 1;
}

// Not a test: how long an allreduce of VALUES floats takes with every process ready (the median of 500, after 50 to warm up).
static int AllreduceTime(int values)
{
    using var world = MpiWorld.Start();
    var buffer = new float[values];
    var times = new double[500];
    for (var i = -50; i < times.Length; i++)
    {
        world.Barrier();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        world.Sum(buffer);
        if (i >= 0)
        {
            times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
    }

    Array.Sort(times);
    if (world.IsRoot)
    {
        Console.WriteLine($"{world.Size} processes, {world.Library}: allreduce of {values:N0} floats ({values * 4 / 1e6:F2} MB): median {times[times.Length / 2]:F0} µs, fastest {times[0]:F0} µs, 90th percentile {times[times.Length * 9 / 10]:F0} µs");
    }

    return 0;
}

static int Fail(MpiWorld world, string problem)
{
    Console.Error.WriteLine($"rank {world.Rank} of {world.Size}: {problem}");
    return 1;
}
