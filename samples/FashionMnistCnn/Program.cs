using FashionMnist;
using FashionMnistCnn;

// dotnet run -c Release --project samples/FashionMnistCnn -- --help
return ClassifierRun.Main(args, CnnSample.Definition);
