using Backprop;
using static Backprop.Nn;

namespace BackpropClassifier;

/// <summary>
/// A two-layer ReLU network. Only the forward pass is written here: at build time the Backprop generator writes
/// LossGradient/LossBackward through it (see obj/Generated) and a Parameters list of W1, b1, W2, b2.
/// </summary>
public sealed partial class Classifier
{
    public Tensor W1, b1, W2, b2;

    public Classifier(int inputs, int hidden, int classes, Random random)
    {
        W1 = Init.He(inputs, hidden, random);
        b1 = Tensor.Vector(hidden);
        W2 = Init.Xavier(hidden, classes, random);
        b2 = Tensor.Vector(classes);
    }

    /// <summary>Class scores of a batch of points, one row per point.</summary>
    [Differentiable]
    public Tensor Scores(Tensor points) => Relu(points * W1 + b1) * W2 + b2;

    /// <summary>Mean softmax cross-entropy of a batch; the generator differentiates it through <see cref="Scores"/>.</summary>
    [Differentiable]
    public float Loss([NoDiff] Tensor points, int[] labels) => SoftmaxCrossEntropy(Scores(points), labels);

    /// <summary>The share of <paramref name="points"/> the network labels right.</summary>
    public double Accuracy(Tensor points, int[] labels)
    {
        using var scope = Workspace.Enter();
        var predicted = new int[labels.Length];
        ArgMax(Scores(points), predicted);
        return predicted.Where((p, i) => p == labels[i]).Count() / (double)labels.Length;
    }
}
