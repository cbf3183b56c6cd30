using System;
using System.Collections.Generic;
using System.Diagnostics;
using Backprop;
using FashionMnist;

namespace Backprop.Benchmarks.Training;

/// <summary>The sample's MLP trained with Backprop: the generated <c>LossGradient</c>, the runtime's optimizers and loader.</summary>
internal static class BackpropTrainer
{
    public static Result Train(Dataset data, Settings settings)
    {
        Gemm.MaxThreads = settings.Threads;
        var model = new Mlp(new Random(settings.InitSeed));
        Optimizer optimizer = settings.Optimizer == "sgd" ? new Momentum(0.05f, 0.9f) : new Adam(1e-3f);
        var batches = new MiniBatches(data.TrainImages, data.TrainLabels, settings.Batch, new Random(settings.OrderSeed));
        var seconds = new List<double>();
        var accuracy = double.NaN;
        for (var epoch = 0; settings.TrainsAnother(epoch, accuracy); epoch++)
        {
            var clock = Stopwatch.StartNew();
            batches.Shuffle();
            for (var b = 0; b < batches.Count; b++)
            {
                var (images, labels) = batches.Batch(b);
                model.LossGradient(images, labels);
                optimizer.Step(model.Parameters);
            }

            seconds.Add(clock.Elapsed.TotalSeconds);
            if (settings.MeasuresAfter(epoch))
            {
                accuracy = Evaluation.Test(model, data).Accuracy;
            }
        }

        return new Result(batches.Samples, seconds, accuracy);
    }
}
