using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using FashionMnist;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Backprop.Benchmarks.Training;

/// <summary>
/// The same MLP (784-256-128-10, ReLU, softmax cross-entropy) in TorchSharp — LibTorch 2.10, in this process — started from
/// Backprop's initial weights and fed the same batches in the same order: each epoch draws Backprop's order with the
/// same loader and seed, and gathers the rows with <c>index_select</c> as a PyTorch training loop does.
/// </summary>
internal static class TorchSharpTrainer
{
    public static string Version => $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, LibTorch {__version__}";

    public static Result Train(Dataset data, Settings settings)
    {
        set_num_threads(settings.Threads);
        using var trainImages = Matrix(data.TrainImages);
        using var trainLabels = tensor(data.TrainLabels.Select(l => (long)l).ToArray());
        using var testImages = Matrix(data.TestImages);
        using var testLabels = tensor(data.TestLabels.Select(l => (long)l).ToArray());

        var initial = new Mlp(new Random(settings.InitSeed));
        var (fc1, fc2, fc3) = (Layer(initial.W1, initial.b1), Layer(initial.W2, initial.b2), Layer(initial.W3, initial.b3));
        using var model = nn.Sequential(fc1, nn.ReLU(), fc2, nn.ReLU(), fc3);
        using optim.Optimizer optimizer = settings.Optimizer == "sgd"
            ? optim.SGD(model.parameters(), 0.05, momentum: 0.9)
            : optim.Adam(model.parameters(), lr: 1e-3);

        var order = new MiniBatches(data.TrainImages, data.TrainLabels, settings.Batch, new Random(settings.OrderSeed));
        var indices = new long[order.Samples];
        var seconds = new List<double>();
        var accuracy = double.NaN;
        for (var epoch = 0; settings.TrainsAnother(epoch, accuracy); epoch++)
        {
            model.train();
            var clock = Stopwatch.StartNew();
            order.Shuffle();
            for (var i = 0; i < indices.Length; i++)
            {
                indices[i] = order.Order[i];
            }

            using var permutation = tensor(indices);
            for (var start = 0; start < indices.Length; start += settings.Batch)
            {
                using var scope = NewDisposeScope();
                var rows = permutation.narrow(0, start, Math.Min(settings.Batch, indices.Length - start));
                var (images, labels) = (trainImages.index_select(0, rows), trainLabels.index_select(0, rows));
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(images), labels);
                loss.backward();
                optimizer.step();
            }

            seconds.Add(clock.Elapsed.TotalSeconds);
            if (settings.MeasuresAfter(epoch))
            {
                accuracy = TestAccuracy(model, testImages, testLabels);
            }
        }

        return new Result(order.Samples, seconds, accuracy);
    }

    private static double TestAccuracy(Sequential model, TorchTensor images, TorchTensor labels)
    {
        model.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            return model.forward(images).argmax(1).eq(labels).sum().ToInt64() / (double)labels.shape[0];
        }
    }

    private static TorchTensor Matrix(Backprop.Tensor source) => tensor(source.ToArray(), [source.Rows, source.Columns]);

    /// <summary>A linear layer holding Backprop's weights: Backprop keeps W as [in × out], LibTorch as [out × in].</summary>
    private static Linear Layer(Backprop.Tensor weights, Backprop.Tensor bias)
    {
        var layer = nn.Linear(weights.Rows, weights.Columns);
        using (no_grad())
        {
            using var w = Matrix(weights);
            using var b = tensor(bias.ToArray());
            layer.weight!.copy_(w.t());
            layer.bias!.copy_(b);
        }

        return layer;
    }
}
