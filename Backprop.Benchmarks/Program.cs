using BenchmarkDotNet.Running;

// dotnet run -c Release --project Backprop.Benchmarks -- --filter '*'   (BenchmarkDotNet micro-benchmarks; MLP training
// against PyTorch and TorchSharp is Backprop.Benchmarks.Training, outside the solution)
// dotnet run -c Release --project Backprop.Benchmarks -- gmm-rounds [rounds]   (ADBench GMM, fastest of alternating rounds)
if (args is ["gmm-rounds", ..])
{
    Backprop.Benchmarks.Adbench.GmmRounds.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Backprop.Benchmarks.ScalarGradientBenchmarks).Assembly).Run(args);
