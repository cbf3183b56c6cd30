using BenchmarkDotNet.Running;

// dotnet run -c Release --project Backprop.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Backprop.Benchmarks.ScalarGradientBenchmarks).Assembly).Run(args);
