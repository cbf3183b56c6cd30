using BenchmarkDotNet.Running;

// dotnet run -c Release --project Backprop.Benchmarks -- --filter '*'          (BenchmarkDotNet micro-benchmarks)
// dotnet run -c Release --project Backprop.Benchmarks -- training [options]    (MLP training against PyTorch)
if (args.Length > 0 && args[0] == "training")
{
    return Backprop.Benchmarks.TrainingThroughput.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Backprop.Benchmarks.ScalarGradientBenchmarks).Assembly).Run(args);
return 0;
