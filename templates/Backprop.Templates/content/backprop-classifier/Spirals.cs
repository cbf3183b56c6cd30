using Backprop;

namespace BackpropClassifier;

/// <summary>
/// Points on interleaved spiral arms, one class per arm, with a little noise: a set no straight line separates, so a
/// network needs its hidden layer. Replace it with your own data: one row of features per example, labels 0..classes-1.
/// </summary>
public static class Spirals
{
    public static (Tensor Points, int[] Labels) Make(int classes, int perClass, Random random)
    {
        var points = Tensor.Matrix(classes * perClass, 2);
        var labels = new int[classes * perClass];
        for (var c = 0; c < classes; c++)
        {
            for (var i = 0; i < perClass; i++)
            {
                var row = (c * perClass) + i;
                var radius = (double)i / perClass;
                var angle = (c * 4.0) + (radius * 4.0) + (random.NextDouble() * 0.2);
                points[row, 0] = (float)(radius * Math.Sin(angle));
                points[row, 1] = (float)(radius * Math.Cos(angle));
                labels[row] = c;
            }
        }

        return (points, labels);
    }
}
