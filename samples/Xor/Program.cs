using System;
using Backprop;
using static Backprop.Nn;

// The lecture notes' 11-line numpy network (from @iamtrask), with the backward pass left to the generator:
//   l1 = sigmoid(X·syn0); l2 = sigmoid(l1·syn1); minimise ½Σ(y − l2)²; syn += −∇ (learning rate 1), 60,000 times.
var X = Tensor.FromRows(new float[,] { { 0, 0, 1 }, { 0, 1, 1 }, { 1, 0, 1 }, { 1, 1, 1 } });
var y = Tensor.FromRows(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } });
var random = new Random(1);
var syn0 = new Parameter("syn0", Uniform(3, 4, random));
var syn1 = new Parameter("syn1", Uniform(4, 1, random));
var optimizer = new Sgd(learningRate: 1f);

for (var j = 0; j < 60000; j++)
{
    var loss = Network.LossGradient(X, y, syn0.Value, syn1.Value, syn0.Gradient, syn1.Gradient);
    optimizer.Step([syn0, syn1]);
    if (j % 10000 == 0)
    {
        Console.WriteLine($"step {j,5}: loss {loss:F6}");
    }
}

var output = Sigmoid(Sigmoid(X * syn0.Value) * syn1.Value);
Console.WriteLine("XOR of [0,0], [0,1], [1,0], [1,1] (third input is the bias 1):");
var worst = 0f;
for (var i = 0; i < 4; i++)
{
    Console.WriteLine($"  {X[i, 0]} xor {X[i, 1]} = {y[i, 0]}   network: {output[i, 0]:F4}");
    worst = Math.Max(worst, Math.Abs(output[i, 0] - y[i, 0]));
}

Console.WriteLine(worst < 0.1f ? "Converged: every output within 0.1 of its target." : $"Did not converge: an output is {worst:F3} from its target.");
return worst < 0.1f ? 0 : 1;

// syn = 2·random((rows, columns)) − 1, as in the notes.
static Tensor Uniform(int rows, int columns, Random random)
{
    var tensor = Tensor.Matrix(rows, columns);
    for (var i = 0; i < tensor.Length; i++)
    {
        tensor[i] = (2 * random.NextSingle()) - 1;
    }

    return tensor;
}

/// <summary>The forward pass; Network.LossGradient and Network.LossBackward are generated.</summary>
internal static partial class Network
{
    [Differentiable]
    public static float Loss([NoDiff] Tensor X, [NoDiff] Tensor y, Tensor syn0, Tensor syn1)
    {
        var l1 = Sigmoid(X * syn0);
        var l2 = Sigmoid(l1 * syn1);
        return 2f * MeanSquaredError(l2, y); // = ½Σ(y − l2)² over the 4 samples
    }
}
