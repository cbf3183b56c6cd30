using System;
using System.Linq;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Backprop.Testing;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Vector-valued functions: …Jacobian against central differences of the function itself, …Tangent against J·v and
/// …Backward against uᵀ·J for random u and v (it adds), every member writing the function's results, wrong lengths and
/// aliased spans rejected, and no allocation per call once warm.
/// </summary>
[Collection(AllocationMeasurements.Name)]
public sealed class VectorFunctionTests
{
    /// <summary>
    /// A vector function seen as y = G(z), z its differentiable inputs flattened in declaration order: n inputs, m outputs.
    /// Its members as the generator wrote them, over z.
    /// </summary>
    private sealed record Case(
        int N,
        int M,
        Action<double[], double[]> Primal,
        Action<double[], double[], double[]> Jacobian,
        Action<double[], double[], double[], double[]> Tangent,
        Action<double[], double[], double[], double[]> Backward,
        double Tolerance = 1e-6);

    private static readonly double[] s_times = [0, 0.5, 1, 1.5, 2, 3, 4, 6];
    private static readonly double[] s_observed = [3.1, 2.2, 1.7, 1.3, 1.1, 0.9, 0.8, 0.75];

    private static readonly (string Name, Case Case)[] s_cases =
    [
        ("DecayResiduals", new Case(3, s_times.Length,
            (z, y) => VectorFunctions.DecayResiduals(z[0], z[1], z[2], s_times, s_observed, y),
            (z, y, j) => VectorFunctions.DecayResidualsJacobian(z[0], z[1], z[2], s_times, s_observed, y, j),
            (z, v, y, dy) => VectorFunctions.DecayResidualsTangent(z[0], z[1], z[2], s_times, s_observed, v[0], v[1], v[2], y, dy),
            (z, y, u, dz) => VectorFunctions.DecayResidualsBackward(z[0], z[1], z[2], s_times, s_observed, y, u, ref dz[0], ref dz[1], ref dz[2]))),
        ("LotkaVolterra", new Case(6, 2,
            (z, y) => VectorFunctions.LotkaVolterra(z.AsSpan(0, 2), z[2], z[3], z[4], z[5], y),
            (z, y, j) => VectorFunctions.LotkaVolterraJacobian(z.AsSpan(0, 2), z[2], z[3], z[4], z[5], y, j),
            (z, v, y, dy) => VectorFunctions.LotkaVolterraTangent(z.AsSpan(0, 2), z[2], z[3], z[4], z[5], v.AsSpan(0, 2), v[2], v[3], v[4], v[5], y, dy),
            (z, y, u, dz) => VectorFunctions.LotkaVolterraBackward(z.AsSpan(0, 2), z[2], z[3], z[4], z[5], y, u, dz.AsSpan(0, 2), ref dz[2], ref dz[3], ref dz[4], ref dz[5]))),
        ("TwoLinkArm", new Case(4, 2,
            (z, y) => VectorFunctions.TwoLinkArm(z[0], z[1], z[2], z[3], y),
            (z, y, j) => VectorFunctions.TwoLinkArmJacobian(z[0], z[1], z[2], z[3], y, j),
            (z, v, y, dy) => VectorFunctions.TwoLinkArmTangent(z[0], z[1], z[2], z[3], v[0], v[1], v[2], v[3], y, dy),
            (z, y, u, dz) => VectorFunctions.TwoLinkArmBackward(z[0], z[1], z[2], z[3], y, u, ref dz[0], ref dz[1], ref dz[2], ref dz[3]))),
        ("Recurrence", new Case(5, 5,
            (z, y) => VectorFunctions.Recurrence(z, y),
            (z, y, j) => VectorFunctions.RecurrenceJacobian(z, y, j),
            (z, v, y, dy) => VectorFunctions.RecurrenceTangent(z, v, y, dy),
            (z, y, u, dz) => VectorFunctions.RecurrenceBackward(z, y, u, dz))),
        ("PolarParts", new Case(6, 6,
            (z, y) => VectorFunctions.PolarParts(z[..3], z.AsSpan(3), 1, y.AsSpan(0, 3), y.AsSpan(3)),
            (z, y, j) => VectorFunctions.PolarPartsJacobian(z[..3], z.AsSpan(3), 1, y.AsSpan(0, 3), y.AsSpan(3), j),
            (z, v, y, dy) => VectorFunctions.PolarPartsTangent(z[..3], z.AsSpan(3), 1, v.AsSpan(0, 3), v.AsSpan(3), y.AsSpan(0, 3), y.AsSpan(3), dy.AsSpan(0, 3), dy.AsSpan(3)),
            (z, y, u, dz) => VectorFunctions.PolarPartsBackward(z[..3], z.AsSpan(3), 1, y.AsSpan(0, 3), y.AsSpan(3), u.AsSpan(0, 3), u.AsSpan(3), dz.AsSpan(0, 3), dz.AsSpan(3)))),
        ("Softmax", new Case(4, 4,
            (z, y) => VoidHelpers.Softmax(z, y),
            (z, y, j) => VoidHelpers.SoftmaxJacobian(z, y, j),
            (z, v, y, dy) => VoidHelpers.SoftmaxTangent(z, v, y, dy),
            (z, y, u, dz) => VoidHelpers.SoftmaxBackward(z, y, u, dz))),
        ("ToPolar", new Case(2, 2,
            (z, y) => VectorFunctions.ToPolar(z[0], z[1], out y[0], out y[1]),
            (z, y, j) => VectorFunctions.ToPolarJacobian(z[0], z[1], out y[0], out y[1], j),
            (z, v, y, dy) => VectorFunctions.ToPolarTangent(z[0], z[1], v[0], v[1], out y[0], out y[1], out dy[0], out dy[1]),
            (z, y, u, dz) => VectorFunctions.ToPolarBackward(z[0], z[1], out y[0], out y[1], u[0], u[1], ref dz[0], ref dz[1]))),
        ("Moments", new Case(4, 5,
            (z, y) =>
            {
                VectorFunctions.Moments(z.AsSpan(0, 3), z[3], out y[0], y.AsSpan(1, 3), out var spread);
                y[4] = spread;
            },
            (z, y, j) =>
            {
                VectorFunctions.MomentsJacobian(z.AsSpan(0, 3), z[3], out y[0], y.AsSpan(1, 3), out var spread, j);
                y[4] = spread;
            },
            (z, v, y, dy) =>
            {
                VectorFunctions.MomentsTangent(z.AsSpan(0, 3), z[3], v.AsSpan(0, 3), v[3], out y[0], y.AsSpan(1, 3), out var spread, out dy[0], dy.AsSpan(1, 3), out var dspread);
                (y[4], dy[4]) = (spread, dspread);
            },
            (z, y, u, dz) =>
            {
                var dshift = dz[3];
                VectorFunctions.MomentsBackward(z.AsSpan(0, 3), z[3], out y[0], y.AsSpan(1, 3), out var spread, u[0], u.AsSpan(1, 3), (float)u[4], dz.AsSpan(0, 3), ref dshift);
                (y[4], dz[3]) = (spread, dshift);
            },
            Tolerance: 2e-3)),
        ("ArmWithGrip", new Case(3, 3,
            (z, y) => VectorFunctions.ArmWithGrip(z[0], z[1], z[2], y),
            (z, y, j) => VectorFunctions.ArmWithGripJacobian(z[0], z[1], z[2], y, j),
            (z, v, y, dy) => VectorFunctions.ArmWithGripTangent(z[0], z[1], z[2], v[0], v[1], v[2], y, dy),
            (z, y, u, dz) => VectorFunctions.ArmWithGripBackward(z[0], z[1], z[2], y, u, ref dz[0], ref dz[1], ref dz[2]))),
        ("MovingSums", new Case(4, 4,
            (z, y) => VectorFunctions.MovingSums(z, y),
            (z, y, j) => VectorFunctions.MovingSumsJacobian(z, y, j),
            (z, v, y, dy) => VectorFunctions.MovingSumsTangent(z, v, y, dy),
            (z, y, u, dz) => VectorFunctions.MovingSumsBackward(z, y, u, dz))),
        ("Projection", new Case(4, 2,
            (z, y) => VectorFunctions.Projection(z.AsSpan(0, 3), z[3], y),
            (z, y, j) => VectorFunctions.ProjectionJacobian(z.AsSpan(0, 3), z[3], y, j),
            (z, v, y, dy) => VectorFunctions.ProjectionTangent(z.AsSpan(0, 3), z[3], v.AsSpan(0, 3), v[3], y, dy),
            (z, y, u, dz) =>
            {
                var df = dz[3];
                VectorFunctions.ProjectionBackward(z.AsSpan(0, 3), z[3], y, u, dz.AsSpan(0, 3), ref df);
                dz[3] = df;
            })),
        ("OutputRewritten", new Case(3, 2,
            (z, y) => VectorFunctions.OutputRewritten(z, y),
            (z, y, j) => VectorFunctions.OutputRewrittenJacobian(z, y, j),
            (z, v, y, dy) => VectorFunctions.OutputRewrittenTangent(z, v, y, dy),
            (z, y, u, dz) => VectorFunctions.OutputRewrittenBackward(z, y, u, dz))),
        ("ReadBeforeWritten", new Case(4, 2,
            (z, y) => VectorFunctions.ReadBeforeWritten(z, y),
            (z, y, j) => VectorFunctions.ReadBeforeWrittenJacobian(z, y, j),
            (z, v, y, dy) => VectorFunctions.ReadBeforeWrittenTangent(z, v, y, dy),
            (z, y, u, dz) => VectorFunctions.ReadBeforeWrittenBackward(z, y, u, dz))),
        ("ReadBeforeWrittenInArray", new Case(4, 2,
            (z, y) => VectorFunctions.ReadBeforeWrittenInArray(z, y),
            (z, y, j) => VectorFunctions.ReadBeforeWrittenInArrayJacobian(z, y, j),
            (z, v, y, dy) => VectorFunctions.ReadBeforeWrittenInArrayTangent(z, v, y, dy),
            (z, y, u, dz) => VectorFunctions.ReadBeforeWrittenInArrayBackward(z, y, u, dz))),
        ("ScratchWrittenFirstInArrays", new Case(4, 3,
            (z, y) => VectorFunctions.ScratchWrittenFirstInArrays(z, y),
            (z, y, j) => VectorFunctions.ScratchWrittenFirstInArraysJacobian(z, y, j),
            (z, v, y, dy) => VectorFunctions.ScratchWrittenFirstInArraysTangent(z, v, y, dy),
            (z, y, u, dz) => VectorFunctions.ScratchWrittenFirstInArraysBackward(z, y, u, dz))),
        ("ScratchWrittenFirst", new Case(4, 3,
            (z, y) => VectorFunctions.ScratchWrittenFirst(z, y),
            (z, y, j) => VectorFunctions.ScratchWrittenFirstJacobian(z, y, j),
            (z, v, y, dy) => VectorFunctions.ScratchWrittenFirstTangent(z, v, y, dy),
            (z, y, u, dz) => VectorFunctions.ScratchWrittenFirstBackward(z, y, u, dz))),
        ("ScaledTanh", new Case(4, 3,
            (z, y) => ScaledTanh(z, y, (x, k, yf) => VectorFunctions.ScaledTanh(x, k, yf)),
            (z, y, j) =>
            {
                var jf = new float[j.Length];
                ScaledTanh(z, y, (x, k, yf) => VectorFunctions.ScaledTanhJacobian(x, k, yf, jf));
                Array.Copy(jf.Select(v => (double)v).ToArray(), j, j.Length);
            },
            (z, v, y, dy) =>
            {
                var dyf = new float[dy.Length];
                ScaledTanh(z, y, (x, k, yf) => VectorFunctions.ScaledTanhTangent(x, k, v[..3].Select(e => (float)e).ToArray(), (float)v[3], yf, dyf));
                Array.Copy(dyf.Select(e => (double)e).ToArray(), dy, dy.Length);
            },
            (z, y, u, dz) =>
            {
                var dx = dz[..3].Select(e => (float)e).ToArray();
                var dk = (float)dz[3];
                ScaledTanh(z, y, (x, k, yf) => VectorFunctions.ScaledTanhBackward(x, k, yf, u.Select(e => (float)e).ToArray(), dx, ref dk));
                (dz[0], dz[1], dz[2], dz[3]) = (dx[0], dx[1], dx[2], dk);
            },
            Tolerance: 2e-3)),
    ];

    private delegate void FloatMember(float[] x, float k, float[] y);

    /// <summary>ScaledTanh over z = (x₀, x₁, x₂, k) in double: the float method, its results widened.</summary>
    private static void ScaledTanh(double[] z, double[] y, FloatMember member)
    {
        var yf = new float[3];
        member(z[..3].Select(e => (float)e).ToArray(), (float)z[3], yf);
        Array.Copy(yf.Select(e => (double)e).ToArray(), y, 3);
    }

    public static TheoryData<string> Cases() => [.. s_cases.Select(c => c.Name)];

    private static Case Named(string name) => s_cases.Single(c => c.Name == name).Case;

    private static double[] Point(Case c, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, c.N).Select(_ => 0.3 + random.NextDouble()).ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Jacobian_MatchesCentralDifferencesOfTheFunction(string name)
    {
        var c = Named(name);
        for (var seed = 1; seed <= 3; seed++)
        {
            var z = Point(c, seed);
            var jacobian = new double[c.M * c.N];
            var y = new double[c.M];
            c.Jacobian(z, y, jacobian);
            var expectedY = new double[c.M];
            c.Primal(z, expectedY);
            Assert.Equal(expectedY, y);

            for (var k = 0; k < c.N; k++)
            {
                var h = c.Tolerance > 1e-4 ? 1e-2 : 1e-6;
                double[] At(double step)
                {
                    var point = (double[])z.Clone();
                    point[k] += step;
                    var values = new double[c.M];
                    c.Primal(point, values);
                    return values;
                }

                var (plus, minus) = (At(h), At(-h));
                for (var i = 0; i < c.M; i++)
                {
                    var expected = (plus[i] - minus[i]) / (2 * h);
                    Assert.True(FiniteDifference.RelativeError(jacobian[(i * c.N) + k], expected) <= c.Tolerance,
                        $"{name}: J[{i},{k}] = {jacobian[(i * c.N) + k]:R}, central difference {expected:R} (seed {seed})");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TangentIsJacobianTimesV_AndBackwardAddsUTransposeJacobian(string name)
    {
        var c = Named(name);
        var random = new Random(7);
        var z = Point(c, 11);
        var jacobian = new double[c.M * c.N];
        c.Jacobian(z, new double[c.M], jacobian);
        var expectedY = new double[c.M];
        c.Primal(z, expectedY);

        var v = Enumerable.Range(0, c.N).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var (y, dy) = (new double[c.M], Enumerable.Repeat(double.NaN, c.M).ToArray());
        c.Tangent(z, v, y, dy);
        Assert.Equal(expectedY, y);
        for (var i = 0; i < c.M; i++)
        {
            var expected = Enumerable.Range(0, c.N).Sum(k => jacobian[(i * c.N) + k] * v[k]);
            Assert.True(FiniteDifference.RelativeError(dy[i], expected) <= 1e-10 + (c.Tolerance > 1e-4 ? 1e-5 : 0), $"{name}: (J·v)[{i}] = {dy[i]:R}, expected {expected:R}");
        }

        var u = Enumerable.Range(0, c.M).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var start = Enumerable.Range(0, c.N).Select(k => k * 0.25).ToArray();
        var dz = (double[])start.Clone();
        y = Enumerable.Repeat(double.NaN, c.M).ToArray();
        c.Backward(z, y, u, dz);
        Assert.Equal(expectedY, y);
        for (var k = 0; k < c.N; k++)
        {
            var expected = start[k] + Enumerable.Range(0, c.M).Sum(i => u[i] * jacobian[(i * c.N) + k]);
            Assert.True(FiniteDifference.RelativeError(dz[k], expected) <= 1e-10 + (c.Tolerance > 1e-4 ? 1e-5 : 0), $"{name}: start + (uᵀJ)[{k}] = {dz[k]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Jacobian_OfTheLotkaVolterraRates_IsTheAnalyticOne()
    {
        double[] state = [2, 0.5];
        var (alpha, beta, delta, gamma) = (1.1, 0.4, 0.1, 0.4);
        var jacobian = new double[2 * 6];
        VectorFunctions.LotkaVolterraJacobian(state, alpha, beta, delta, gamma, new double[2], jacobian);
        var (x, p) = (state[0], state[1]);
        double[] expected =
        [
            alpha - (beta * p), -beta * x, x, -x * p, 0, 0,
            delta * p, (delta * x) - gamma, 0, 0, x * p, -p,
        ];
        Assert.Equal(expected, jacobian, (a, b) => Math.Abs(a - b) <= 1e-15);
    }

    /// <summary>
    /// README's Gauss–Newton fit, run: from (1, 1, 0) it reaches the least-squares fit numpy finds with the analytic
    /// Jacobian (a = 2.35145154, b = 0.93712321, c = 0.74535874; /usr/bin/python3, numpy.linalg.solve, 12 steps).
    /// </summary>
    [Fact]
    public void GaussNewtonFit_WithTheGeneratedJacobian_ReachesTheLeastSquaresFit()
    {
        double[] p = [1, 1, 0];
        var (r, j) = (new double[s_times.Length], new double[s_times.Length * 3]);
        for (var step = 0; step < 8; step++)
        {
            VectorFunctions.DecayResidualsJacobian(p[0], p[1], p[2], s_times, s_observed, r, j);
            var normal = new double[3, 3];
            var rhs = new double[3];
            for (var i = 0; i < r.Length; i++)
            {
                for (var k = 0; k < 3; k++)
                {
                    rhs[k] -= j[(i * 3) + k] * r[i];
                    for (var l = 0; l < 3; l++)
                    {
                        normal[k, l] += j[(i * 3) + k] * j[(i * 3) + l];
                    }
                }
            }

            var delta = SolveByElimination(normal, rhs);
            for (var k = 0; k < 3; k++)
            {
                p[k] += delta[k];
            }
        }

        Assert.Equal([2.35145154, 0.93712321, 0.74535874], p, (a, b) => Math.Abs(a - b) <= 1e-8);
    }

    private static double[] SolveByElimination(double[,] a, double[] b)
    {
        var n = b.Length;
        for (var c = 0; c < n; c++)
        {
            for (var row = c + 1; row < n; row++)
            {
                var factor = a[row, c] / a[c, c];
                for (var k = c; k < n; k++)
                {
                    a[row, k] -= factor * a[c, k];
                }

                b[row] -= factor * b[c];
            }
        }

        var x = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = b[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= a[row, k] * x[k];
            }

            x[row] = sum / a[row, row];
        }

        return x;
    }

    /// <summary>Outputs longer than …Backward keeps on the stack (128) go through pooled buffers: same answers, no allocation.</summary>
    [Fact]
    public void LongOutputs_BackwardAgreesWithTheJacobian_WithoutAllocating()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 300).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (y, jacobian) = (new double[300], new double[300 * 300]);
        VectorFunctions.RecurrenceJacobian(x, y, jacobian);
        var u = Enumerable.Range(0, 300).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (values, dx) = (new double[300], new double[300]);
        VectorFunctions.RecurrenceBackward(x, values, u, dx);
        Assert.Equal(y, values);
        for (var k = 0; k < 300; k++)
        {
            var expected = Enumerable.Range(0, 300).Sum(i => u[i] * jacobian[(i * 300) + k]);
            Assert.True(Math.Abs(dx[k] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"(uᵀJ)[{k}] = {dx[k]:R}, expected {expected:R}");
        }

        SteadyState.AllocatesNothing(() => VectorFunctions.RecurrenceBackward(x, values, u, dx), callsPerWindow: 20);
    }

    [Fact]
    public void WrongLengthsAndSharedMemory_Throw_NamingTheArgument()
    {
        double[] x = [0.1, 0.2, 0.3];
        var tangentLength = Assert.Throws<ArgumentException>(() => VoidHelpers.SoftmaxTangent(x, new double[2], new double[3], new double[3]));
        Assert.Equal("dx", tangentLength.ParamName);
        var outputTangent = Assert.Throws<ArgumentException>(() => VoidHelpers.SoftmaxTangent(x, new double[3], new double[3], new double[4]));
        Assert.Equal("dp", outputTangent.ParamName);
        var adjoint = Assert.Throws<ArgumentException>(() => VoidHelpers.SoftmaxBackward(x, new double[3], new double[2], new double[3]));
        Assert.Equal("dp", adjoint.ParamName);
        var jacobian = Assert.Throws<ArgumentException>(() => VoidHelpers.SoftmaxJacobian(x, new double[3], new double[8]));
        Assert.Equal("jacobian", jacobian.ParamName);
        Assert.Contains("3·3 = 9", jacobian.Message, StringComparison.Ordinal);

        var aliased = Assert.Throws<ArgumentException>(() => VoidHelpers.SoftmaxBackward(x, x, new double[3], new double[3]));
        Assert.Contains("share memory", aliased.Message, StringComparison.Ordinal);
        var buffer = new double[6];
        var outputs = Assert.Throws<ArgumentException>(() =>
            VectorFunctions.PolarPartsJacobian([1, 2], [3, 4], 0, buffer.AsSpan(0, 2), buffer.AsSpan(1, 2), new double[16]));
        Assert.Equal("radius", outputs.ParamName);
    }

    [Fact]
    public void WarmCalls_AllocateNothing()
    {
        double[] z = [0.4, 0.9, 1.2, 0.3, 0.7, 0.2];
        double[] y = new double[2];
        double[] u = [1, -1];
        double[] dz = new double[6];
        var jacobian = new double[12];
        var residuals = new double[s_times.Length];
        var decayJacobian = new double[residuals.Length * 3];
        void Warm()
        {
            VectorFunctions.LotkaVolterraJacobian(z.AsSpan(0, 2), z[2], z[3], z[4], z[5], y, jacobian);
            VectorFunctions.LotkaVolterraBackward(z.AsSpan(0, 2), z[2], z[3], z[4], z[5], y, u, dz.AsSpan(0, 2), ref dz[2], ref dz[3], ref dz[4], ref dz[5]);
            VectorFunctions.DecayResidualsJacobian(3, 0.5, 0.7, s_times, s_observed, residuals, decayJacobian);
        }

        Warm();
        SteadyState.AllocatesNothing(Warm, callsPerWindow: 100);
    }
}
