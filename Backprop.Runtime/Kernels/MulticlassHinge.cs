using System;

namespace Backprop;

public static partial class Losses
{
    /// <summary>
    /// The multiclass SVM loss of the lecture notes, averaged over rows: (1/batch) Σᵢ Σ_{j ≠ yᵢ} max(0, sᵢⱼ − sᵢ,yᵢ + margin).
    /// </summary>
    /// <param name="scores">[batch, classes], row-major.</param>
    /// <param name="labels">[batch], each in [0, classes).</param>
    /// <param name="classes">Classes per row.</param>
    /// <param name="margin">Δ, 1 in the notes.</param>
    public static float MulticlassHinge(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, int classes, float margin = 1f)
    {
        var batch = CheckShapes("MulticlassHinge", scores.Length, labels, classes, scores.Length, "scores");
        double loss = 0;
        for (var row = 0; row < batch; row++)
        {
            var s = scores.Slice(row * classes, classes);
            var correct = s[labels[row]];
            for (var j = 0; j < classes; j++)
            {
                if (j != labels[row])
                {
                    loss += Math.Max(0f, s[j] - correct + margin);
                }
            }
        }

        return batch == 0 ? 0f : (float)(loss / batch);
    }

    /// <summary>
    /// dScores += dLoss/batch on every class whose margin is violated (sⱼ − s_y + margin &gt; 0), and −dLoss/batch per
    /// violation on the label's score. A margin exactly 0 counts as not violated.
    /// </summary>
    public static void MulticlassHingeBackward(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, int classes, float dLoss, Span<float> dScores, float margin = 1f)
    {
        var batch = CheckShapes("MulticlassHingeBackward", scores.Length, labels, classes, dScores.Length, "dScores");
        if (batch == 0)
        {
            return;
        }

        var scale = dLoss / batch;
        for (var row = 0; row < batch; row++)
        {
            var s = scores.Slice(row * classes, classes);
            var d = dScores.Slice(row * classes, classes);
            var label = labels[row];
            var correct = s[label];
            for (var j = 0; j < classes; j++)
            {
                if (j != label && s[j] - correct + margin > 0f)
                {
                    d[j] += scale;
                    d[label] -= scale;
                }
            }
        }
    }
}
