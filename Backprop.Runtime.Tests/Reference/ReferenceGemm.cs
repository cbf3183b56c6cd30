namespace Backprop.Runtime.Tests.Reference;

/// <summary>The plain triple loop GEMM is checked against, accumulated in double.</summary>
internal static class ReferenceGemm
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C, and Σ|op(A)||op(B)| per element (the scale of the rounding error).</summary>
    public static (double[] C, double[] Magnitude) Multiply(float[] a, float[] b, float[] c, int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta)
    {
        var result = new double[m * n];
        var magnitude = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, size = 0;
                for (var p = 0; p < k; p++)
                {
                    double x = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                    double y = transposeB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += x * y;
                    size += System.Math.Abs(x * y);
                }

                result[(i * n) + j] = (alpha * sum) + (beta == 0 ? 0 : beta * (double)c[(i * n) + j]);
                magnitude[(i * n) + j] = (System.Math.Abs(alpha) * size) + System.Math.Abs(beta * (double)c[(i * n) + j]);
            }
        }

        return (result, magnitude);
    }
}
