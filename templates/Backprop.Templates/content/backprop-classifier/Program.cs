using Backprop;
using BackpropClassifier;

// Three spiral arms, 300 points each; a 2-64-3 network learns to tell them apart.
var random = new Random(0);
var (points, labels) = Spirals.Make(classes: 3, perClass: 300, random);
var model = new Classifier(inputs: 2, hidden: 64, classes: 3, random);
var optimizer = new Adam(learningRate: 0.01f);
var batches = new MiniBatches(points, labels, batchSize: 64, random);

Console.WriteLine($"{labels.Length} points, {model.Parameters.Count} parameter tensors: {string.Join(", ", model.Parameters.Select(p => p.Name))}");
for (var epoch = 1; epoch <= 100; epoch++)
{
    batches.Shuffle();
    double loss = 0;
    for (var b = 0; b < batches.Count; b++)
    {
        var (x, y) = batches.Batch(b);
        loss += model.LossGradient(x, y); // forward and backward: fills dW1, db1, dW2, db2
        optimizer.Step(model.Parameters);
    }

    if (epoch % 20 == 0)
    {
        Console.WriteLine($"epoch {epoch,3}: mean loss {loss / batches.Count:F4}, accuracy {model.Accuracy(points, labels):P1}");
    }
}

var accuracy = model.Accuracy(points, labels);
Console.WriteLine(accuracy > 0.9 ? $"Trained: {accuracy:P1} of the points classified right." : $"Only {accuracy:P1} right: try more epochs or a wider hidden layer.");
return accuracy > 0.9 ? 0 : 1;
