using System;

namespace Backprop;

public static partial class Nn
{
    /// <summary>Mean squared error over all elements, (1/n) Σ (prediction − target)².</summary>
    [DerivativeRule(nameof(MeanSquaredErrorBackward))]
    public static float MeanSquaredError(Tensor prediction, Tensor target)
    {
        CheckSameShape("MeanSquaredError", prediction, target);
        return Losses.MeanSquaredError(prediction.Span, target.Span);
    }

    /// <summary>Rule of <see cref="MeanSquaredError"/>: dPrediction += 2(p − t)·dResult/n, dTarget −= the same.</summary>
    public static void MeanSquaredErrorBackward(Tensor prediction, Tensor target, float result, float dResult, Tensor? dPrediction, Tensor? dTarget)
    {
        CheckAdjoint("MeanSquaredErrorBackward", prediction, dPrediction, nameof(dPrediction));
        CheckAdjoint("MeanSquaredErrorBackward", target, dTarget, nameof(dTarget));
        Losses.MeanSquaredErrorBackward(prediction.Span, target.Span, dResult,
            dPrediction is null ? default : dPrediction.Span, dTarget is null ? default : dTarget.Span);
    }

    /// <summary>Mean softmax cross-entropy of a [batch×classes] matrix of logits and integer labels, fused and stable.</summary>
    [DerivativeRule(nameof(SoftmaxCrossEntropyBackward), Forward = nameof(SoftmaxCrossEntropyForward))]
    public static float SoftmaxCrossEntropy(Tensor logits, ReadOnlySpan<int> labels) => SoftmaxCrossEntropyForward(logits, labels, out _);

    /// <summary>
    /// <see cref="SoftmaxCrossEntropy"/>, handing out the softmax it computes on the way: the residual its rule reads
    /// instead of computing the softmax again.
    /// </summary>
    public static float SoftmaxCrossEntropyForward(Tensor logits, ReadOnlySpan<int> labels, out Tensor probabilities)
    {
        NotNull("SoftmaxCrossEntropy", logits, nameof(logits));
        ScoresMatrix("SoftmaxCrossEntropy", logits);
        probabilities = Like(logits);
        return Losses.SoftmaxCrossEntropy(logits.Span, labels, logits.Columns, probabilities.Span);
    }

    /// <summary>Rule of <see cref="SoftmaxCrossEntropy"/>: dLogits += dResult·(softmax − onehot)/batch, from the forward pass's softmax.</summary>
    public static void SoftmaxCrossEntropyBackward(Tensor logits, ReadOnlySpan<int> labels, float result, Tensor probabilities, float dResult, Tensor? dLogits)
    {
        CheckAdjoint("SoftmaxCrossEntropyBackward", logits, dLogits, nameof(dLogits));
        CheckResidual("SoftmaxCrossEntropyBackward", nameof(SoftmaxCrossEntropyForward), logits, probabilities, nameof(probabilities));
        if (dLogits is not null)
        {
            Losses.SoftmaxCrossEntropyBackward(probabilities.Span, labels, logits.Columns, dResult, dLogits.Span);
        }
    }

    /// <summary>The multiclass SVM (hinge) loss of the notes, averaged over rows.</summary>
    [DerivativeRule(nameof(MulticlassHingeBackward))]
    public static float MulticlassHinge(Tensor scores, ReadOnlySpan<int> labels, [NoDiff] float margin = 1f)
    {
        NotNull("MulticlassHinge", scores, nameof(scores));
        ScoresMatrix("MulticlassHinge", scores);
        return Losses.MulticlassHinge(scores.Span, labels, scores.Columns, margin);
    }

    /// <summary>Rule of <see cref="MulticlassHinge"/>: +dResult/batch on each violating class, minus as much per violation on the label.</summary>
    public static void MulticlassHingeBackward(Tensor scores, ReadOnlySpan<int> labels, float margin, float result, float dResult, Tensor? dScores)
    {
        CheckAdjoint("MulticlassHingeBackward", scores, dScores, nameof(dScores));
        if (dScores is not null)
        {
            Losses.MulticlassHingeBackward(scores.Span, labels, scores.Columns, dResult, dScores.Span, margin);
        }
    }

    private static void ScoresMatrix(string operation, Tensor scores)
    {
        if (scores.Rank > 2)
        {
            throw new ArgumentException($"{operation}: the scores {scores.Shape} must be [batch × classes]; Flatten or pool them first.");
        }
    }
}
