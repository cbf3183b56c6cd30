using System;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;
using G = Backprop.Generator.Tests.GradientChecks.GenericMath.GenericFunctions;

namespace Backprop.Generator.Tests.GradientChecks.GenericMath;

/// <summary>
/// The generic members of generic math: the double instantiation against central differences, float and Half against
/// double (each in its own arithmetic, so to its own precision), Backward's add semantics, and forward mode and second
/// order (Tangent, HessianVector, Hessian) against the gradient.
/// </summary>
public sealed class GenericMathTests
{
    [Theory]
    [InlineData(0.7, -1.3)]
    [InlineData(-1.9, 0.4)]
    [InlineData(2.5, 1.1)]
    public void Poly_DoubleGradient_MatchesCentralDifferences(double x, double y)
    {
        var value = G.PolyGradient(x, y, out var dx, out var dy);

        Assert.Equal(G.Poly(x, y), value, 12);
        AssertClose(Central(v => G.Poly(v, y), x), dx, 1e-7);
        AssertClose(Central(v => G.Poly(x, v), y), dy, 1e-7);
    }

    [Theory]
    [InlineData(0.7, -1.3)]
    [InlineData(-1.9, 0.4)]
    public void Poly_FloatAndHalf_AgreeWithDouble(double x, double y)
    {
        G.PolyGradient(x, y, out var dx, out var dy);
        G.PolyGradient((float)x, (float)y, out var fx, out var fy);
        G.PolyGradient((Half)x, (Half)y, out var hx, out var hy);

        AssertClose(dx, fx, 1e-5);
        AssertClose(dy, fy, 1e-5);
        AssertClose(dx, (double)hx, 2e-2);
        AssertClose(dy, (double)hy, 2e-2);
    }

    [Theory]
    [InlineData(-1.2)]
    [InlineData(0.3)]
    [InlineData(1.7)]
    public void Smooth_ALoopThatOverwritesItsValue_MatchesCentralDifferences_InEveryType(double x)
    {
        G.SmoothGradient(x, out var dx);
        G.SmoothGradient((float)x, out var fx);
        G.SmoothGradient((Half)x, out var hx);

        AssertClose(Central(G.Smooth, x), dx, 1e-7);
        AssertClose(dx, fx, 1e-5);
        AssertClose(dx, (double)hx, 2e-2);
        // The T values went onto a stack of their own per type and came off it.
        Assert.Equal((0, 0, 0), Tape.Current.Depth);
        Assert.Equal(0, Tape.Current.DepthOf<double>());
        Assert.Equal(0, Tape.Current.DepthOf<Half>());
    }

    [Fact]
    public void Norm_OfASpan_MatchesCentralDifferences()
    {
        double[] v = [0.5, -1.25, 2.0];
        const double p = 3;
        var dv = new double[3];

        G.NormGradient<double>(v, p, dv, out var dp);

        for (var i = 0; i < v.Length; i++)
        {
            var k = i;
            AssertClose(Central(t => { var w = (double[])v.Clone(); w[k] = t; return G.Norm<double>(w, p); }, v[i]), dv[i], 1e-7);
        }

        AssertClose(Central(t => G.Norm<double>(v, t), p), dp, 1e-7);

        float[] vf = [0.5f, -1.25f, 2.0f];
        var dvf = new float[3];
        G.NormGradient<float>(vf, 3f, dvf, out var dpf);
        AssertClose(dp, dpf, 1e-5);
        AssertClose(dv[1], dvf[1], 1e-5);
    }

    [Theory]
    [InlineData(0.4, 0)]
    [InlineData(0.4, 5)]
    [InlineData(-0.9, 4)]
    public void Mixed_ArrayBranchMaxAndCounts_MatchesCentralDifferences(double x, int n)
    {
        double[] w = [0.8, -1.1, 1.6];
        var dw = new double[3];

        G.MixedGradient(w, x, n, dw, out var dx);

        AssertClose(Central(t => G.Mixed(w, t, n), x), dx, 1e-6);
        for (var i = 0; i < w.Length; i++)
        {
            var k = i;
            AssertClose(Central(t => { var c = (double[])w.Clone(); c[k] = t; return G.Mixed(c, x, n); }, w[i]), dw[i], 1e-6);
        }

        var dwf = new float[3];
        G.MixedGradient([0.8f, -1.1f, 1.6f], (float)x, n, dwf, out var fx);
        AssertClose(dx, fx, 1e-4);
    }

    [Fact]
    public void Logistic_UnderAConstraintThatImpliesIeee754_MatchesItsFormula()
    {
        const double x = 0.3, k = 2.0;
        var s = G.LogisticGradient(x, k, out var dx, out var dk);

        AssertClose(k * s * (1 - s), dx, 1e-12);
        AssertClose(x * s * (1 - s), dk, 1e-12);
    }

    [Fact]
    public void Backward_AddsDResultTimesTheGradient_IntoWhatIsThere()
    {
        G.PolyGradient(0.7f, -1.3f, out var gx, out var gy);
        float dx = 10f, dy = -4f;

        G.PolyBackward(0.7f, -1.3f, 2.5f, ref dx, ref dy);

        AssertClose(10 + 2.5 * gx, dx, 1e-6);
        AssertClose(-4 + 2.5 * gy, dy, 1e-6);
    }

    [Theory]
    [InlineData(0.7, -1.3, 0.4, -0.9)]
    [InlineData(-1.9, 0.4, 1.0, 0.25)]
    public void Poly_TangentIsTheGradientAlongADirection_AndHessianVectorTheGradientsDifference(double x, double y, double vx, double vy)
    {
        G.PolyGradient(x, y, out var dx, out var dy);
        var value = G.PolyTangent(x, y, vx, vy, out var directional);
        G.PolyHessianVector(x, y, vx, vy, out var hx, out var hy);

        Assert.Equal(G.Poly(x, y), value, 12);
        AssertClose((dx * vx) + (dy * vy), directional, 1e-12);
        var h = 1e-5;
        G.PolyGradient(x + (h * vx), y + (h * vy), out var upX, out var upY);
        G.PolyGradient(x - (h * vx), y - (h * vy), out var downX, out var downY);
        AssertClose((upX - downX) / (2 * h), hx, 1e-6);
        AssertClose((upY - downY) / (2 * h), hy, 1e-6);

        G.PolyTangent((float)x, (float)y, (float)vx, (float)vy, out var directionalF);
        G.PolyHessianVector((float)x, (float)y, (float)vx, (float)vy, out var hxF, out _);
        AssertClose(directional, directionalF, 1e-4);
        AssertClose(hx, hxF, 1e-3);
    }

    /// <summary>A generic method calling generic methods (at its own T), and code over double calling them at double.</summary>
    [Theory]
    [InlineData(0.7, -1.3, 0.4, -0.9)]
    [InlineData(-1.2, 0.6, 1.0, 0.25)]
    public void GenericCallingGeneric_MatchesDifferences_InEveryMember(double x, double y, double vx, double vy)
    {
        var value = G.ComposedGradient(x, y, out var dx, out var dy);
        Assert.Equal(G.Composed(x, y), value, 12);
        AssertClose(Central(v => G.Composed(v, y), x), dx, 1e-7);
        AssertClose(Central(v => G.Composed(x, v), y), dy, 1e-7);

        G.ComposedTangent(x, y, vx, vy, out var directional);
        AssertClose((dx * vx) + (dy * vy), directional, 1e-10);
        G.ComposedHessianVector(x, y, vx, vy, out var hx, out var hy);
        var h = 1e-5;
        G.ComposedGradient(x + (h * vx), y + (h * vy), out var upX, out var upY);
        G.ComposedGradient(x - (h * vx), y - (h * vy), out var downX, out var downY);
        AssertClose((upX - downX) / (2 * h), hx, 1e-6);
        AssertClose((upY - downY) / (2 * h), hy, 1e-6);

        G.ComposedGradient((float)x, (float)y, out var dxF, out var dyF);
        AssertClose(dx, dxF, 1e-3);
        AssertClose(dy, dyF, 1e-3);

        var atDouble = GenericCallers.AtDoubleGradient(x, y, out var ddx, out var ddy);
        Assert.Equal(GenericCallers.AtDouble(x, y), atDouble, 12);
        AssertClose(Central(v => GenericCallers.AtDouble(v, y), x), ddx, 1e-7);
        AssertClose(Central(v => GenericCallers.AtDouble(x, v), y), ddy, 1e-7);
    }

    [Fact]
    public void Mixed_Hessian_IsSymmetric_AndMatchesTheGradientsDifferences()
    {
        double[] w = [0.8, -1.1, 1.6];
        const double x = 0.4;
        const int n = 5;
        var hessian = new double[16];

        G.MixedHessian(w, x, n, hessian);

        // Variables: w[0], w[1], w[2], x. Column of x: the gradient's difference along x.
        var (up, down) = (new double[3], new double[3]);
        const double h = 1e-5;
        G.MixedGradient(w, x + h, n, up, out var upX);
        G.MixedGradient(w, x - h, n, down, out var downX);
        AssertClose((upX - downX) / (2 * h), hessian[15], 1e-5);
        for (var i = 0; i < 3; i++)
        {
            AssertClose((up[i] - down[i]) / (2 * h), hessian[(i * 4) + 3], 1e-5);
            for (var j = 0; j < 4; j++)
            {
                Assert.Equal(hessian[(i * 4) + j], hessian[(j * 4) + i], 10);
            }
        }
    }

    private static double Central(Func<double, double> f, double x) => FiniteDifference.Central(f, x, FiniteDifference.DoubleStep(x));

    private static void AssertClose(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual} (tolerance {tolerance})");
}
