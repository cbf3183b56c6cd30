using System;
using Backprop;

namespace FashionMnist;

/// <summary>How well a model classifies: counts of correct predictions, and the test set's mean loss and accuracy.</summary>
public static class Evaluation
{
    /// <summary>How many of <paramref name="images"/> the model labels right; <paramref name="predictions"/> is scratch of at least their count.</summary>
    public static int Correct(Mlp model, Tensor images, int[] labels, int[] predictions)
    {
        using var scope = Workspace.Enter();
        var predicted = predictions.AsSpan(0, labels.Length);
        Nn.ArgMax(model.Scores(images), predicted);
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return correct;
    }

    /// <summary>Mean cross-entropy loss and accuracy on the test set, a thousand images at a time.</summary>
    public static (double Loss, double Accuracy) Test(Mlp model, Dataset data)
    {
        const int chunk = 1000;
        var predictions = new int[chunk];
        var correct = 0;
        double loss = 0;
        for (var start = 0; start < data.TestImages.Rows; start += chunk)
        {
            var count = Math.Min(chunk, data.TestImages.Rows - start);
            var images = data.TestImages.SliceRows(start, count);
            var labels = data.TestLabels[start..(start + count)];
            correct += Correct(model, images, labels, predictions);
            using var scope = Workspace.Enter();
            loss += model.Loss(images, labels) * count;
        }

        return (loss / data.TestImages.Rows, (double)correct / data.TestImages.Rows);
    }
}
