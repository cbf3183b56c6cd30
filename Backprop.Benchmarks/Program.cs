using BenchmarkDotNet.Running;

// dotnet run -c Release --project Backprop.Benchmarks -- --filter '*'   (BenchmarkDotNet micro-benchmarks; MLP training
// against PyTorch and TorchSharp is Backprop.Benchmarks.Training, outside the solution)
// dotnet run -c Release --project Backprop.Benchmarks -- gmm-rounds|ba-rounds [rounds]   (ADBench, fastest of alternating rounds)
if (args is ["gmm-rounds" or "ba-rounds", ..])
{
    var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60;
    if (args[0] == "gmm-rounds")
    {
        Backprop.Benchmarks.Adbench.Rounds.Gmm(rounds);
    }
    else
    {
        Backprop.Benchmarks.Adbench.Rounds.Ba(rounds);
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Backprop.Benchmarks.ScalarGradientBenchmarks).Assembly).Run(args);
