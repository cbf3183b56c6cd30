using System;
using System.Linq;
using Backprop.Kernels.Gemm;
using Backprop.Runtime.Tests.Infrastructure;
using Backprop.Runtime.Tests.Reference;
using Xunit;

namespace Backprop.Runtime.Tests.Kernels;

/// <summary>GEMM against the plain triple loop: every path, every transpose, awkward shapes, alpha and beta.</summary>
public sealed class GemmTests
{
    public static TheoryData<string> Paths() => [nameof(GemmPath.Vector512), nameof(GemmPath.Vector512Narrow), nameof(GemmPath.Vector256), nameof(GemmPath.Vector256Narrow), nameof(GemmPath.Vector128), nameof(GemmPath.Vector128Narrow), nameof(GemmPath.Scalar)];

    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (1, 1, 1), (1, 37, 5), (37, 1, 5), (5, 3, 1), (7, 13, 29), (15, 15, 15), (16, 16, 16), (17, 17, 17),
        (31, 33, 9), (32, 32, 32), (33, 31, 65), (8, 32, 256), (9, 33, 257), (130, 10, 128), (129, 70, 300),
        (9, 2100, 20), (140, 2081, 3), // past one block of columns (NC = 2048), the first panels of each packed on the way
    ];

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void Multiply_MatchesReference_OnAwkwardShapes(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        Widths.SkipUnlessSupported(path);
        var random = new Random(1234);
        foreach (var (m, n, k) in s_shapes)
        {
            foreach (var (transposeA, transposeB) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                Check(path, random, m, n, k, transposeA, transposeB, alpha: 1f, beta: 0f, allowParallel: false);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void Multiply_AppliesAlphaAndBeta(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        Widths.SkipUnlessSupported(path);
        var random = new Random(99);
        Check(path, random, 19, 23, 41, false, false, alpha: -0.5f, beta: 1f, allowParallel: false);
        Check(path, random, 19, 23, 41, true, true, alpha: 2f, beta: 0.25f, allowParallel: false);
    }

    [SkippableTheory]
    [InlineData(nameof(GemmPath.Vector512))]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Vector128))]
    [InlineData(nameof(GemmPath.Scalar))]
    public void Multiply_WithAnOperandPackedOnce_MatchesReference_ForEveryOtherOperand(string pathName)
    {
        // A convolution packs its kernels once (as the left or the right operand) and multiplies them by every image: the
        // packed operand must give the product on every path, for depths past one block (KC = 256), rows past one block
        // (MC = 128, which is not a whole number of the 6-row panels of the 256- and 128-bit paths), and be reusable with
        // a second other operand.
        var path = Enum.Parse<GemmPath>(pathName);
        Widths.SkipUnlessSupported(path);
        var random = new Random(5);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 13, 29), (64, 49, 576), (131, 37, 300), (9, 196, 64), (49, 70, 260) })
        {
            foreach (var (packLeft, packedTransposed) in new[] { (true, false), (true, true), (false, false), (false, true) })
            {
                var packedValues = Values(random, (packLeft ? m : n) * k);
                using var packed = packLeft
                    ? PackedOperand.Left(packedValues, m, k, packedTransposed, path)
                    : PackedOperand.Right(packedValues, k, n, packedTransposed, path);
                foreach (var (otherTransposed, beta) in new[] { (false, 0f), (true, 1f) })
                {
                    var other = Values(random, (packLeft ? n : m) * k);
                    var (a, b, transposeA, transposeB) = packLeft
                        ? (packedValues, other, packedTransposed, otherTransposed)
                        : (other, packedValues, otherTransposed, packedTransposed);
                    var c = Values(random, (m * n) + 3);
                    var tail = c.Skip(m * n).ToArray();
                    var (expected, magnitude) = ReferenceGemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, 1f, beta);
                    if (packLeft)
                    {
                        Gemm.MultiplyOnThisThread(packed, b, c, n, transposeB, beta);
                    }
                    else
                    {
                        Gemm.MultiplyOnThisThread(a, packed, c, m, transposeA, beta);
                    }

                    for (var i = 0; i < m * n; i++)
                    {
                        var tolerance = (4 * (k + 1) * 6e-8 * magnitude[i]) + 1e-6;
                        Assert.True(Math.Abs(c[i] - expected[i]) <= tolerance,
                            $"{path} {m}×{n}×{k}, {(packLeft ? "A" : "B")} packed (Aᵀ: {transposeA}, Bᵀ: {transposeB}, β {beta}): C[{i / n}, {i % n}] = {c[i]}, expected {expected[i]}");
                    }

                    Assert.Equal(tail, c.Skip(m * n).ToArray());
                }
            }
        }
    }

    [Fact]
    public void Multiply_LargeAndSplitAcrossCores_MatchesReference()
    {
        var random = new Random(7);
        Check(Gemm.BestPath, random, 1031, 67, 259, false, false, 1f, 0f, allowParallel: true);
        Check(Gemm.BestPath, random, 128, 300, 784, true, false, 1f, 1f, allowParallel: true);
        Check(Gemm.BestPath, random, 784, 256, 130, true, false, 1f, 0f, allowParallel: true); // taller than wide: split by rows
        Check(Gemm.BestPath, random, 2100, 40, 130, false, true, 1f, 0f, allowParallel: true);
        // op(A) here packs to more than GemmBlocking.SharedOperandLimit floats: equal shares, each packing what it reads.
        Check(Gemm.BestPath, random, 1100, 64, 1000, false, false, 1f, 0f, allowParallel: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(256)]
    public void Dispatch_PicksOnlyAPathThisMachineRuns_AndMatchesReference(int n)
    {
        var path = Gemm.PathFor(n);
        Assert.True(Gemm.IsSupported(path), $"Gemm picked {path} for n = {n} on a machine with {Widths.Describe()}.");
        var random = new Random(n);
        foreach (var (transposeA, transposeB) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            Check(path: null, random, 37, n, 45, transposeA, transposeB, alpha: 1f, beta: 0f, allowParallel: true);
        }
    }

    [Fact]
    public void Multiply_BufferTooShort_ThrowsNamingBothShapesAndTheOperation()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[11], new float[8], 2, 4, 3));
        Assert.Equal("b", error.ParamName);
        Assert.Contains("Gemm: B must be 3 × 4 = 12 floats but has 11; A is 2 × 3, C is 2 × 4.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multiply_ZeroDepth_ScalesC()
    {
        var c = new[] { 1f, 2f };
        Gemm.Multiply([], [], c, 1, 2, 0, beta: 3f);
        Assert.Equal([3f, 6f], c);
    }

    /// <summary>One product against the reference: on <paramref name="path"/>, or through the public entry (its own dispatch) when null.</summary>
    private static void Check(GemmPath? path, Random random, int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, bool allowParallel)
    {
        var a = Values(random, m * k);
        var b = Values(random, k * n);
        var c = Values(random, (m * n) + 3); // spare tail: must stay untouched
        var tail = c.Skip(m * n).ToArray();
        var (expected, magnitude) = ReferenceGemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, alpha, beta);

        if (path is { } forced)
        {
            Gemm.Multiply(forced, a, b, c, m, n, k, transposeA, transposeB, alpha, beta, allowParallel);
        }
        else
        {
            Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, alpha, beta);
        }

        for (var i = 0; i < m * n; i++)
        {
            var tolerance = (4 * (k + 1) * 6e-8 * magnitude[i]) + 1e-6;
            Assert.True(Math.Abs(c[i] - expected[i]) <= tolerance,
                $"{path?.ToString() ?? "dispatch"} {m}×{n}×{k} (Aᵀ: {transposeA}, Bᵀ: {transposeB}): C[{i / n}, {i % n}] = {c[i]}, expected {expected[i]}");
        }

        Assert.Equal(tail, c.Skip(m * n).ToArray());
    }

    private static float[] Values(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
}
