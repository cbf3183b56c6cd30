using BenchmarkDotNet.Running;

// dotnet run -c Release --project Backprop.Benchmarks -- --filter '*'   (BenchmarkDotNet micro-benchmarks; MLP training
// against PyTorch and TorchSharp is Backprop.Benchmarks.Training, outside the solution)
// dotnet run -c Release --project Backprop.Benchmarks -- adbench-rounds|gmm-rounds|ba-rounds|lstm-rounds [rounds]
//   (ADBench's problems, the fastest of alternating rounds; adbench-rounds runs all three and their geomean)
// dotnet run -c Release --project Backprop.Benchmarks -- gemm-rounds [threads]   (SGEMM at the MLP's shapes, GFLOP/s)
if (args is ["gemm-rounds", ..])
{
    Backprop.Benchmarks.GemmRounds.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return;
}

if (args is ["adbench-rounds" or "gmm-rounds" or "ba-rounds" or "lstm-rounds", ..])
{
    var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60;
    switch (args[0])
    {
        case "gmm-rounds":
            Backprop.Benchmarks.Adbench.Rounds.Gmm(rounds);
            break;
        case "ba-rounds":
            Backprop.Benchmarks.Adbench.Rounds.Ba(rounds);
            break;
        case "lstm-rounds":
            Backprop.Benchmarks.Adbench.Rounds.Lstm(rounds);
            break;
        default:
            Backprop.Benchmarks.Adbench.Rounds.All(rounds);
            break;
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Backprop.Benchmarks.ScalarGradientBenchmarks).Assembly).Run(args);
