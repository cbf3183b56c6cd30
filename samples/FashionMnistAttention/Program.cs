using FashionMnist;
using FashionMnistAttention;

// dotnet run -c Release --project samples/FashionMnistAttention -- --help
return ClassifierRun.Main(args, AttentionSample.Definition);
