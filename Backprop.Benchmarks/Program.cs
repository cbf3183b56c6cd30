using BenchmarkDotNet.Running;

// dotnet run -c Release --project Backprop.Benchmarks -- --filter '*'   (BenchmarkDotNet micro-benchmarks; MLP training
// against PyTorch and TorchSharp is Backprop.Benchmarks.Training, outside the solution)
BenchmarkSwitcher.FromAssembly(typeof(Backprop.Benchmarks.ScalarGradientBenchmarks).Assembly).Run(args);
