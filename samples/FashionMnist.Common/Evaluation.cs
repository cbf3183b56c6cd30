using System;
using Backprop;

namespace FashionMnist;

/// <summary>How well a model classifies: counts of correct predictions, and a held-out set's mean loss and accuracy, in evaluation mode.</summary>
public static class Evaluation
{
    /// <summary>How many of <paramref name="images"/> the model labels right, in evaluation mode; <paramref name="predictions"/> is scratch of at least their count.</summary>
    public static int Correct(IClassifier model, Tensor images, int[] labels, int[] predictions) =>
        Evaluate(model, images, labels, predictions).Correct;

    /// <summary>Mean cross-entropy loss and accuracy on the test set.</summary>
    public static (double Loss, double Accuracy) Test(IClassifier model, Dataset data) => Measure(model, data.TestImages, data.TestLabels);

    /// <summary>Mean cross-entropy loss and accuracy on <paramref name="images"/>, a thousand at a time, in evaluation mode.</summary>
    public static (double Loss, double Accuracy) Measure(IClassifier model, Tensor images, int[] labels)
    {
        const int chunk = 1000;
        var predictions = new int[chunk];
        var correct = 0;
        double loss = 0;
        for (var start = 0; start < images.Rows; start += chunk)
        {
            var count = Math.Min(chunk, images.Rows - start);
            var (partCorrect, partLoss) = Evaluate(model, images.SliceRows(start, count), labels[start..(start + count)], predictions);
            correct += partCorrect;
            loss += partLoss * count;
        }

        return (loss / images.Rows, (double)correct / images.Rows);
    }

    /// <summary>One forward pass in evaluation mode: how many labels the scores get right, and their mean cross-entropy.</summary>
    private static (int Correct, float Loss) Evaluate(IClassifier model, Tensor images, int[] labels, int[] predictions)
    {
        var training = model.Training;
        model.Training = false;
        try
        {
            using var scope = Workspace.Enter();
            var scores = model.Scores(images);
            var predicted = predictions.AsSpan(0, labels.Length);
            Nn.ArgMax(scores, predicted);
            var correct = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                correct += predicted[i] == labels[i] ? 1 : 0;
            }

            return (correct, Nn.SoftmaxCrossEntropy(scores, labels));
        }
        finally
        {
            model.Training = training;
        }
    }
}
