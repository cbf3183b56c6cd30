using System;
using System.Linq;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>Functions over arrays and spans: gradients into spans checked against central differences, element by element.</summary>
public sealed class SequenceGradientTests
{
    /// <summary>How many functions this class checks (for the catalog count).</summary>
    public const int FunctionCount = 38;

    private delegate double Gradient(double[] x, Span<double> dx);

    private delegate double Backward(double[] x, double dResult, Span<double> dx);

    [Fact]
    public void SumOfSquares() => Check(x => Sequences.SumOfSquares(x), (x, d) => Sequences.SumOfSquaresGradient(x, d), (x, r, d) => Sequences.SumOfSquaresBackward(x, r, d), -2, 2);

    [Fact]
    public void Rosenbrock() => Check(x => Sequences.Rosenbrock(x), (x, d) => Sequences.RosenbrockGradient(x, d), (x, r, d) => Sequences.RosenbrockBackward(x, r, d), -1.5, 1.5);

    [Fact]
    public void Rosenbrock_AtMinimum_HasZeroGradient()
    {
        var x = Enumerable.Repeat(1.0, 6).ToArray();
        var dx = new double[6];
        Assert.Equal(0, Sequences.RosenbrockGradient(x, dx));
        Assert.All(dx, d => Assert.Equal(0, d));
    }

    [Fact]
    public void Dot()
    {
        var random = new Random(3);
        var w = Values(random, 7, -1, 1);
        var x = Values(random, 7, -1, 1);
        var dw = new double[7];
        var dx = new double[7];
        var value = Sequences.DotGradient(w, x, 0.5, dw, dx, out var db);
        Assert.Equal(0.5 + w.Zip(x, (a, b) => a * b).Sum(), value, 12);
        Assert.Equal(x, dw);
        Assert.Equal(w, dx);
        Assert.Equal(1, db);
    }

    [Fact]
    public void SpanSoftplusSum()
    {
        Check(x => Sequences.SpanSoftplusSum(x), (x, d) => Sequences.SpanSoftplusSumGradient(x, d), (x, r, d) => Sequences.SpanSoftplusSumBackward(x, r, d), -3, 3);
    }

    [Fact]
    public void FloatDot_GradientIsTheOtherVector_AndNoDiffArrayGetsNone()
    {
        float[] w = [1, 2, 3];
        float[] x = [0.5f, -1, 2];
        var dw = new float[3];
        Assert.Equal(4.5f, Sequences.FloatDotGradient(w, x, dw));
        Assert.Equal(x, dw);
    }

    [Fact]
    public void StackArrayWeightedSquares() => Check(x => StackArrays.WeightedSquares(x), (x, d) => StackArrays.WeightedSquaresGradient(x, d), (x, r, d) => StackArrays.WeightedSquaresBackward(x, r, d), -1.5, 1.5);

    [Fact]
    public void LocalArrayPrefixProducts() => Check(x => Sequences.LocalArrayPrefixProducts(x), (x, d) => Sequences.LocalArrayPrefixProductsGradient(x, d), (x, r, d) => Sequences.LocalArrayPrefixProductsBackward(x, r, d), -1.5, 1.5);

    [Fact]
    public void LocalArrayOverwritten() => Check(x => Sequences.LocalArrayOverwritten(x, 0.7), (x, d) => Sequences.LocalArrayOverwrittenGradient(x, 0.7, d, out _), (x, r, d) => { double dw = 0; return Sequences.LocalArrayOverwrittenBackward(x, 0.7, r, d, ref dw); }, -1, 1);

    [Fact]
    public void MaxElement_RoutesTheGradientToTheLargest()
    {
        double[] x = [0.5, 3, -1, 2];
        var dx = new double[4];
        Sequences.MaxElementGradient(x, dx);
        Assert.Equal([0, 2, 0, 0], dx);
    }

    [Fact]
    public void CallWithArray() => Check(x => Sequences.CallWithArray(x, 1.3), (x, d) => Sequences.CallWithArrayGradient(x, 1.3, d, out _), (x, r, d) => { double ds = 0; return Sequences.CallWithArrayBackward(x, 1.3, r, d, ref ds); }, -1.5, 1.5);

    [Fact]
    public void MeanSquaredError()
    {
        double[] target = [1, -2, 0.5, 3];
        Check(x => Sequences.MeanSquaredError(x, target), (x, d) => Sequences.MeanSquaredErrorGradient(x, target, d), (x, r, d) => Sequences.MeanSquaredErrorBackward(x, target, r, d), -3, 3, length: 4);
    }

    [Fact]
    public void EarlyExitSearch() => Check(x => Sequences.EarlyExitSearch(x, 0.8), (x, d) => Sequences.EarlyExitSearchGradient(x, 0.8, d, out _), (x, r, d) => { double dt = 0; return Sequences.EarlyExitSearchBackward(x, 0.8, r, d, ref dt); }, 0, 1.2);

    [Fact]
    public void ElementRefs() => Check(x => RefLocals.ElementRefs(x), (x, d) => RefLocals.ElementRefsGradient(x, d), (x, r, d) => RefLocals.ElementRefsBackward(x, r, d), -1.5, 1.5);

    [Fact]
    public void SpanElementRefs() => Check(x => RefLocals.SpanElementRefs(x, 0.8), (x, d) => RefLocals.SpanElementRefsGradient(x, 0.8, d, out _), (x, r, d) => { double dw = 0; return RefLocals.SpanElementRefsBackward(x, 0.8, r, d, ref dw); }, -1.5, 1.5);

    [Fact]
    public void SineIntoElement() => Check(x => Sequences.SineIntoElement(x), (x, d) => Sequences.SineIntoElementGradient(x, d), (x, r, d) => Sequences.SineIntoElementBackward(x, r, d), -1.5, 1.5);

    [Fact]
    public void ForEachSumOfSquares() => Check(x => ForEachLoops.SumOfSquares(x), (x, d) => ForEachLoops.SumOfSquaresGradient(x, d), (x, r, d) => ForEachLoops.SumOfSquaresBackward(x, r, d), -2, 2);

    [Fact]
    public void ForEachOverSpan() => Check(x => ForEachLoops.WeightedOverSpan(x, 0.9), (x, d) => ForEachLoops.WeightedOverSpanGradient(x, 0.9, d, out _), (x, r, d) => { double dw = 0; return ForEachLoops.WeightedOverSpanBackward(x, 0.9, r, d, ref dw); }, -2, 2);

    [Fact]
    public void ForEachNestedOverLocalArray() => Check(x => ForEachLoops.NestedOverLocalArray(x, 1.3), (x, d) => ForEachLoops.NestedOverLocalArrayGradient(x, 1.3, d, out _), (x, r, d) => { double dw = 0; return ForEachLoops.NestedOverLocalArrayBackward(x, 1.3, r, d, ref dw); }, -1.5, 1.5);

    [Fact]
    public void ForEachSameNameInSiblingLoops() => Check(x => ForEachLoops.SameNameInSiblingLoops(x, 0.4), (x, d) => ForEachLoops.SameNameInSiblingLoopsGradient(x, 0.4, d, out _), (x, r, d) => { double dy = 0; return ForEachLoops.SameNameInSiblingLoopsBackward(x, 0.4, r, d, ref dy); }, 0.5, 1.5);

    [Fact]
    public void TriangularIntoArray() => Check(
        x => Accumulations.TriangularIntoArray(x, x, 0.3),
        (x, d) => { var dl = new double[x.Length]; var value = Accumulations.TriangularIntoArrayGradient(x, x, 0.3, dl, d, out _); Add(dl, d); return value; },
        (x, r, d) => { var dl = new double[x.Length]; double dw = 0; var value = Accumulations.TriangularIntoArrayBackward(x, x, 0.3, r, dl, d, ref dw); Add(dl, d); return value; },
        -1, 1);

    [Fact]
    public void PartlyFilledThenAddedInto() => Check(
        x => Accumulations.PartlyFilledThenAddedInto(x, 0.3),
        (x, d) => Accumulations.PartlyFilledThenAddedIntoGradient(x, 0.3, d, out _),
        (x, r, d) => { double dw = 0; return Accumulations.PartlyFilledThenAddedIntoBackward(x, 0.3, r, d, ref dw); },
        -1, 1);

    [Fact]
    public void FilledAfterItsCountChanged() => Check(
        x => Accumulations.FilledAfterItsCountChanged(x, 0.3, x.Length),
        (x, d) => Accumulations.FilledAfterItsCountChangedGradient(x, 0.3, x.Length, d, out _),
        (x, r, d) => { double dw = 0; return Accumulations.FilledAfterItsCountChangedBackward(x, 0.3, x.Length, r, d, ref dw); },
        -1, 1);

    [Fact]
    public void ArrayAddedIntoEachRound() => Check(
        x => Accumulations.ArrayAddedIntoEachRound(x, 0.6),
        (x, d) => Accumulations.ArrayAddedIntoEachRoundGradient(x, 0.6, d, out _),
        (x, r, d) => { double dw = 0; return Accumulations.ArrayAddedIntoEachRoundBackward(x, 0.6, r, d, ref dw); },
        -1, 1);

    [Fact]
    public void IndependentPointsSubtracted() => Check(
        x => IndependentIterations.PointsSubtracted(x, 0.4),
        (x, d) => IndependentIterations.PointsSubtractedGradient(x, 0.4, d, out _),
        (x, r, d) => { double db = 0; return IndependentIterations.PointsSubtractedBackward(x, 0.4, r, d, ref db); },
        -1, 1);

    [Fact]
    public void ArrayCopyThenScale() => Check(x => ArrayCalls.CopyThenScale(x, 0.7), (x, d) => ArrayCalls.CopyThenScaleGradient(x, 0.7, d, out _), (x, r, d) => { double dw = 0; return ArrayCalls.CopyThenScaleBackward(x, 0.7, r, d, ref dw); }, -2, 2);

    [Fact]
    public void ArrayCopyToAndOffsets() => Check(x => ArrayCalls.CopyToAndOffsets(x, 0.3), (x, d) => ArrayCalls.CopyToAndOffsetsGradient(x, 0.3, d, out _), (x, r, d) => { double dw = 0; return ArrayCalls.CopyToAndOffsetsBackward(x, 0.3, r, d, ref dw); }, -2, 2);

    [Fact]
    public void VoidHelperNormalizesALocalArray() => Check(x => VoidHelpers.NormalizedWeighted(x), (x, d) => VoidHelpers.NormalizedWeightedGradient(x, d), (x, r, d) => VoidHelpers.NormalizedWeightedBackward(x, r, d), -2, 2);

    [Fact]
    public void VoidHelperWritesASpan() => Check(x => VoidHelpers.SoftmaxLoss(x), (x, d) => VoidHelpers.SoftmaxLossGradient(x, d), (x, r, d) => VoidHelpers.SoftmaxLossBackward(x, r, d), -2, 2);

    [Fact]
    public void ArrayFillAndClear() => Check(x => ArrayCalls.FillAndClear(x, 1.1), (x, d) => ArrayCalls.FillAndClearGradient(x, 1.1, d, out _), (x, r, d) => { double dw = 0; return ArrayCalls.FillAndClearBackward(x, 1.1, r, d, ref dw); }, -2, 2);

    [Fact]
    public void ArraysCreatedInLoops() => Check(x => ArrayCalls.ArraysCreatedInLoops(x, 0.9), (x, d) => ArrayCalls.ArraysCreatedInLoopsGradient(x, 0.9, d, out _), (x, r, d) => { double dw = 0; return ArrayCalls.ArraysCreatedInLoopsBackward(x, 0.9, r, d, ref dw); }, -2, 2);

    [Fact]
    public void ArrayAliases() => Check(x => ArrayCalls.AliasedArrays(x, 0.6), (x, d) => ArrayCalls.AliasedArraysGradient(x, 0.6, d, out _), (x, r, d) => { double dw = 0; return ArrayCalls.AliasedArraysBackward(x, 0.6, r, d, ref dw); }, -2, 2);

    /// <summary>s = w · Σ x: ds/dx[i] = w, ds/dw = Σ x, through a span copied into a local float array.</summary>
    [Fact]
    public void SpanCopyToFloat_GradientIsAnalytic()
    {
        float[] x = [0.5f, -1.25f, 2f];
        var dx = new float[3];
        var value = ArrayCalls.SpanCopyToFloatGradient(x, 1.5f, dx, out var dw);
        Assert.Equal(1.5f * (0.5f - 1.25f + 2f), value, 5);
        Assert.All(dx, d => Assert.Equal(1.5f, d));
        Assert.Equal(0.5f - 1.25f + 2f, dw, 5);
    }

    [Fact]
    public void LocalFunctionOverArray() => Check(x => LocalFunctions.OverArray(x, 0.8), (x, d) => LocalFunctions.OverArrayGradient(x, 0.8, d, out _), (x, r, d) => { double dw = 0; return LocalFunctions.OverArrayBackward(x, 0.8, r, d, ref dw); }, -2, 2);

    /// <summary>s = Σ (v·w + exp v) over the elements before the first with v·w &gt; 1.5, skipping those below -0.5: ds/dv = w + exp v there, 0 elsewhere; ds/dw = Σ v.</summary>
    [Fact]
    public void ForEachFloatsWithBreakAndContinue()
    {
        float[] x = [0.3f, -0.8f, 1.1f, 0.2f, 2.5f, 0.7f];
        const float w = 0.9f;
        var dx = new float[x.Length];
        var value = ForEachLoops.FloatsWithBreakAndContinueGradient(x, w, dx, out var dw);
        Assert.Equal(ForEachLoops.FloatsWithBreakAndContinue(x, w), value);
        float[] expected = [w + MathF.Exp(0.3f), 0, w + MathF.Exp(1.1f), w + MathF.Exp(0.2f), 0, 0];
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(expected[i], dx[i], 5);
        }

        Assert.Equal(0.3f + 1.1f + 0.2f, dw, 5);
    }

    [Fact]
    public void Gradient_RejectsGradientOfWrongLength()
    {
        var error = Assert.Throws<ArgumentException>(() => Sequences.SumOfSquaresGradient([1, 2, 3], new double[2]));
        Assert.Equal("dx", error.ParamName);
        Assert.Contains("dx has length 2 but x has length 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThroughRefReturns() => Check(x => RefLocals.ThroughRefReturns(x), (x, d) => RefLocals.ThroughRefReturnsGradient(x, d), (x, r, d) => RefLocals.ThroughRefReturnsBackward(x, r, d), -1.5, 1.5);

    [Fact]
    public void RowsOfAMatrix() => Check(x => Slices.RowsOfAMatrix(x), (x, d) => Slices.RowsOfAMatrixGradient(x, d), (x, r, d) => Slices.RowsOfAMatrixBackward(x, r, d), -1.5, 1.5);

    [Fact]
    public void Ranges() => Check(x => Slices.Ranges(x), (x, d) => Slices.RangesGradient(x, d), (x, r, d) => Slices.RangesBackward(x, r, d), -1.5, 1.5, length: 7);

    [Fact]
    public void SlidingDot() => Check(x => Slices.SlidingDot(x), (x, d) => Slices.SlidingDotGradient(x, d), (x, r, d) => Slices.SlidingDotBackward(x, r, d), -1.5, 1.5);

    [Fact]
    public void WritesThroughSlices() => Check(x => Slices.WritesThroughSlices(x), (x, d) => Slices.WritesThroughSlicesGradient(x, d), (x, r, d) => Slices.WritesThroughSlicesBackward(x, r, d), 0.2, 1.5);

    [Fact]
    public void ProjectedHalves_ReadsTheHelpersCalleeInPlaceToo()
    {
        Check(x => Slices.ProjectedHalves(x), (x, d) => Slices.ProjectedHalvesGradient(x, d), (x, r, d) => Slices.ProjectedHalvesBackward(x, r, d), -1.5, 1.5);
        var code = GeneratedBackward.OfCatalog("Slices.cs", "ProjectedHalves");
        Assert.DoesNotContain("DotBackward", code, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectBackward", code, StringComparison.Ordinal);
    }

    [Fact]
    public void DotOfSpans() => Check(x => Slices.Dot(x.AsSpan(0, 3), x.AsSpan(3)), (x, d) => Slices.DotGradient(x.AsSpan(0, 3), x.AsSpan(3), d[..3], d[3..]), (x, r, d) => Slices.DotBackward(x.AsSpan(0, 3), x.AsSpan(3), r, d[..3], d[3..]), -1.5, 1.5);

    /// <summary>s = (a² + b² + c²)·a + x[2] over the last three values (a, b, c) of six: the gradient, worked by hand.</summary>
    [Fact]
    public void FloatSlices_GradientIsTheHandWorkedOne()
    {
        float[] x = [0.4f, -1.1f, 0.7f, 1.3f, -0.6f, 0.9f];
        var dx = new float[6];
        var (a, b, c) = (x[3], x[4], x[5]);
        Assert.Equal(((a * a) + (b * b) + (c * c)) * a + x[2], Slices.FloatSlicesGradient(x, dx), 5);
        float[] expected = [0, 0, 1, (3 * a * a) + (b * b) + (c * c), 2 * a * b, 2 * a * c];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], dx[i], 5);
        }
    }

    /// <summary>Adds <paramref name="from"/> into <paramref name="into"/>: the gradient of a function that reads x twice, as two arguments.</summary>
    private static void Add(double[] from, Span<double> into)
    {
        for (var i = 0; i < from.Length; i++)
        {
            into[i] += from[i];
        }
    }

    private static void Check(Func<double[], double> f, Gradient gradient, Backward backward, double min, double max, int length = 6)
    {
        var random = new Random(length * 97);
        for (var point = 0; point < 4; point++)
        {
            var x = Values(random, length, min, max);
            var dx = new double[length];
            var value = gradient(x, dx);
            Assert.Equal(f(x), value, 12);
            for (var i = 0; i < length; i++)
            {
                var h = FiniteDifference.DoubleStep(x[i]);
                double F(double v)
                {
                    var copy = (double[])x.Clone();
                    copy[i] = v;
                    return f(copy);
                }

                if (!FiniteDifference.IsSmoothAt(F, x[i], h, 1e-4))
                {
                    continue;
                }

                var expected = FiniteDifference.Central(F, x[i], h);
                Assert.True(FiniteDifference.RelativeError(dx[i], expected) <= 1e-6, $"dx[{i}] = {dx[i]:R}, finite difference {expected:R} at [{string.Join(", ", x)}]");
            }

            // Backward adds dResult·gradient into what the span already holds.
            var prefilled = Values(random, length, -1, 1);
            var adjoint = (double[])prefilled.Clone();
            Assert.Equal(value, backward(x, 2.5, adjoint), 12);
            for (var i = 0; i < length; i++)
            {
                Assert.True(FiniteDifference.RelativeError(adjoint[i], prefilled[i] + (2.5 * dx[i])) <= 1e-12);
            }
        }
    }

    private static double[] Values(Random random, int length, double min, double max) =>
        Enumerable.Range(0, length).Select(_ => min + (random.NextDouble() * (max - min))).ToArray();
}
