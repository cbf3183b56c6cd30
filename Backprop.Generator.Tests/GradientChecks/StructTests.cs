using System;
using System.Linq;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Struct parameters, which the catalog's sampled checks cannot draw: a struct's derivative is a struct of its type,
/// checked against central differences field by field, through every generated member.
/// </summary>
public sealed class StructTests
{
    private const double Step = 1e-6;

    [Fact]
    public void NoDiffStructParameter_IsReadAsGiven()
    {
        var camera = new Camera(Focal: 2.5, Offset: 0.3);
        var value = Structs.ProjectGradient(0.8, 1.6, camera, out var dx, out var dz);
        Assert.Equal(Structs.Project(0.8, 1.6, camera), value);
        Assert.Equal(2.5 / 1.6, dx, 12);
        Assert.Equal(-2.5 * 0.8 / (1.6 * 1.6), dz, 12);
    }

    [Fact]
    public void NoDiffStructField_PassedToAnOperator_IsGiven()
    {
        var ball = new Ball(new Vec2(0.5, -1.5), default, 3.0);
        const double x = 0.7;
        Structs.ShiftedGradient(x, ball, out var dx);
        Assert.Equal((2 * (x + 0.5)) + (2 * ((x * x) - 1.5) * 2 * x) + 3.0, dx, 12);
    }

    [Fact]
    public void StructParameter_GradientIsAStructOfItsType()
    {
        var p = new Particle(0.7, -1.3);
        var value = Structs.EnergyGradient(p, 2.0, out Particle dp, out var dk);
        Assert.Equal(Structs.Energy(p, 2.0), value);
        Assert.Equal(2.0 * 0.7, dp.X, 12);
        Assert.Equal(-1.3, dp.V, 12);
        Assert.Equal(0.5 * 0.7 * 0.7, dk, 12);

        // The overload that takes the fields one by one gives the same.
        Structs.EnergyGradient(p.X, p.V, 2.0, out var dpX, out var dpV, out var dk2);
        Assert.Equal((dp.X, dp.V, dk), (dpX, dpV, dk2));
    }

    /// <summary>
    /// System.Numerics.Complex, a library struct with private fields, is held as its Real and Imaginary: its gradient is
    /// a Complex (made with its constructor), and Backward adds into the one it is given.
    /// </summary>
    [Fact]
    public void ComplexParameter_GradientIsAComplex_AndBackwardAdds()
    {
        var (z, w) = (new System.Numerics.Complex(0.3, -0.8), new System.Numerics.Complex(1.1, 0.4));
        var value = NumericsComplex.ComplexParameterGradient(z, w, out System.Numerics.Complex dz, out System.Numerics.Complex dw);
        Assert.Equal(NumericsComplex.ComplexParameter(z, w), value, 12);
        double F(System.Numerics.Complex zz, System.Numerics.Complex ww) => NumericsComplex.ComplexParameter(zz, ww);
        Assert.Equal(Difference(h => F(z + h, w)), dz.Real, 7);
        Assert.Equal(Difference(h => F(z + new System.Numerics.Complex(0, h), w)), dz.Imaginary, 7);
        Assert.Equal(Difference(h => F(z, w + h)), dw.Real, 7);
        Assert.Equal(Difference(h => F(z, w + new System.Numerics.Complex(0, h))), dw.Imaginary, 7);

        var (addedZ, addedW) = (new System.Numerics.Complex(1, 2), new System.Numerics.Complex(-3, 4));
        NumericsComplex.ComplexParameterBackward(z, w, 2.0, ref addedZ, ref addedW);
        Assert.Equal(1 + (2 * dz.Real), addedZ.Real, 10);
        Assert.Equal(2 + (2 * dz.Imaginary), addedZ.Imaginary, 10);
        Assert.Equal(-3 + (2 * dw.Real), addedW.Real, 10);
        Assert.Equal(4 + (2 * dw.Imaginary), addedW.Imaginary, 10);
    }

    /// <summary>
    /// A struct with an array field (<c>Polynomial(double[] Coefficients, double Shift)</c>): its gradient is a Polynomial
    /// whose Coefficients array holds ∂/∂c[i]; Backward adds into the array the caller's struct holds (or makes one);
    /// Tangent and H·v take the struct whole too.
    /// </summary>
    [Fact]
    public void StructWithAnArray_GradientIsAStructOfItsType_ThroughEveryMember()
    {
        var p = new Polynomial([0.5, -1.2, 0.8, 0.3], 0.4);
        const double x = 1.3;
        foreach (var (name, f, gradient) in new (string, Func<Polynomial, double, double>, Func<Polynomial, double, (Polynomial, double, double)>)[]
        {
            ("Evaluate", ArrayStructs.Evaluate, (q, xx) => (ArrayStructs.EvaluateGradient(q, xx, out Polynomial d, out var dx) is var v ? (d, dx, v) : default)),
            ("Squared", ArrayStructs.Squared, (q, xx) => (ArrayStructs.SquaredGradient(q, xx, out Polynomial d, out var dx) is var v ? (d, dx, v) : default)),
        })
        {
            var (dp, dx, value) = gradient(p, x);
            Assert.Equal(f(p, x), value, 12);
            for (var i = 0; i < p.Coefficients.Length; i++)
            {
                var k = i;
                Assert.True(Math.Abs(Difference(h => f(p with { Coefficients = Moved(p.Coefficients, k, h) }, x)) - dp.Coefficients[k]) < 1e-7, $"{name}: ∂/∂c[{k}]");
            }

            Assert.Equal(Difference(h => f(p with { Shift = p.Shift + h }, x)), dp.Shift, 7);
            Assert.Equal(Difference(h => f(p, x + h)), dx, 7);
        }

        // Backward adds into the array the struct holds, and makes one when it has none.
        ArrayStructs.EvaluateGradient(p, x, out Polynomial exact, out var exactDx);
        var into = new Polynomial([1.0, 1.0, 1.0, 1.0], 2.0);
        var held = into.Coefficients;
        var addedDx = 0.5;
        ArrayStructs.EvaluateBackward(p, x, 3.0, ref into, ref addedDx);
        Assert.Same(held, into.Coefficients);
        Assert.Equal(exact.Coefficients.Select(c => 1.0 + (3.0 * c)), into.Coefficients);
        Assert.Equal(2.0 + (3.0 * exact.Shift), into.Shift, 12);
        Assert.Equal(0.5 + (3.0 * exactDx), addedDx, 12);
        var empty = default(Polynomial);
        var ignored = 0.0;
        ArrayStructs.EvaluateBackward(p, x, 1.0, ref empty, ref ignored);
        Assert.Equal(exact.Coefficients, empty.Coefficients);

        // Tangent = gradient · direction; H·v against the gradient's difference along it.
        var direction = new Polynomial([0.3, -0.2, 0.1, 0.7], -0.5);
        const double vx = 0.25;
        ArrayStructs.EvaluateTangent(p, x, direction, vx, out var tangent);
        var expected = exact.Coefficients.Select((c, i) => c * direction.Coefficients[i]).Sum() + (exact.Shift * direction.Shift) + (exactDx * vx);
        Assert.Equal(expected, tangent, 10);
        ArrayStructs.EvaluateHessianVector(p, x, direction, vx, out Polynomial hp, out var hx);
        Polynomial Along(double t) => new(p.Coefficients.Select((c, i) => c + (t * direction.Coefficients[i])).ToArray(), p.Shift + (t * direction.Shift));
        ArrayStructs.EvaluateGradient(Along(1e-5), x + 1e-5 * vx, out Polynomial plus, out var plusDx);
        ArrayStructs.EvaluateGradient(Along(-1e-5), x - 1e-5 * vx, out Polynomial minus, out var minusDx);
        for (var i = 0; i < p.Coefficients.Length; i++)
        {
            Assert.Equal((plus.Coefficients[i] - minus.Coefficients[i]) / 2e-5, hp.Coefficients[i], 5);
        }

        Assert.Equal((plus.Shift - minus.Shift) / 2e-5, hp.Shift, 5);
        Assert.Equal((plusDx - minusDx) / 2e-5, hx, 5);

        // A [NoDiff] struct's array is a given value.
        ArrayStructs.WeightedGradient(0.7, p, out var weightedDx);
        Assert.Equal((2 * p.Coefficients[1] * 0.7) + p.Shift, weightedDx, 12);
    }

    /// <summary>Struct locals with an array field (made, copied with with, returned by a helper): gradients against differences.</summary>
    [Fact]
    public void StructLocalsWithAnArray_MatchDifferences()
    {
        double[] c = [0.5, -1.2, 0.8, 0.3];
        const double x = 0.9;
        var dc = new double[c.Length];
        var value = ArrayStructs.LocalsGradient(c, x, dc, out var dx);
        Assert.Equal(ArrayStructs.Locals(c, x), value, 12);
        for (var i = 0; i < c.Length; i++)
        {
            var k = i;
            Assert.Equal(Difference(h => ArrayStructs.Locals(Moved(c, k, h), x)), dc[k], 7);
        }

        Assert.Equal(Difference(h => ArrayStructs.Locals(c, x + h)), dx, 7);

        var p = new Polynomial(c, 0.2);
        ArrayStructs.ThroughAHelperGradient(p, x, out Polynomial dp, out var dpx);
        for (var i = 0; i < c.Length; i++)
        {
            var k = i;
            Assert.Equal(Difference(h => ArrayStructs.ThroughAHelper(p with { Coefficients = Moved(c, k, h) }, x)), dp.Coefficients[k], 7);
        }

        Assert.Equal(Difference(h => ArrayStructs.ThroughAHelper(p with { Shift = p.Shift + h }, x)), dp.Shift, 7);
        Assert.Equal(Difference(h => ArrayStructs.ThroughAHelper(p, x + h)), dpx, 7);
    }

    private static double[] Moved(double[] values, int index, double by)
    {
        var moved = (double[])values.Clone();
        moved[index] += by;
        return moved;
    }

    [Fact]
    public void StructParameterThroughLoopsAndHelpers_MatchesDifferences()
    {
        var start = new Particle(0.4, 0.9);
        var weights = new Sample3 { A = 1.5, B = -0.7, Count = 3 };
        const double k = 1.2;
        double F(Particle s, Sample3 w, double kk) => Structs.Flight(s, w, kk);

        Structs.FlightGradient(start, weights, k, out Particle dStart, out Sample3 dWeights, out var dk);
        Assert.Equal(Difference(h => F(start with { X = start.X + h }, weights, k)), dStart.X, 7);
        Assert.Equal(Difference(h => F(start with { V = start.V + h }, weights, k)), dStart.V, 7);
        Assert.Equal(Difference(h => F(start, weights with { A = weights.A + h }, k)), dWeights.A, 7);
        Assert.Equal(Difference(h => F(start, weights with { B = weights.B + h }, k)), dWeights.B, 7);
        Assert.Equal(0, dWeights.Count); // an integer field carries no gradient
        Assert.Equal(Difference(h => F(start, weights, k + h)), dk, 7);
    }

    [Fact]
    public void StructBackward_AddsIntoTheAdjointItIsGiven()
    {
        var start = new Particle(0.4, 0.9);
        var weights = new Sample3 { A = 1.5, B = -0.7, Count = 3 };
        Structs.FlightGradient(start, weights, 1.2, out Particle dStart, out Sample3 dWeights, out var dk);

        var adjoint = new Particle(10, 20);
        var weightsAdjoint = new Sample3 { A = 1, B = 2, Count = 7 };
        var k = 5.0;
        Structs.FlightBackward(start, weights, 1.2, 0.5, ref adjoint, ref weightsAdjoint, ref k);
        Assert.Equal(10 + (0.5 * dStart.X), adjoint.X, 12);
        Assert.Equal(20 + (0.5 * dStart.V), adjoint.V, 12);
        Assert.Equal(1 + (0.5 * dWeights.A), weightsAdjoint.A, 12);
        Assert.Equal(7, weightsAdjoint.Count); // left as it was
        Assert.Equal(5 + (0.5 * dk), k, 12);
    }

    [Fact]
    public void StructTangentAndSecondDerivatives_MatchDifferences()
    {
        var p = new Particle(0.7, -1.3);
        var direction = new Particle(0.3, -0.2);
        const double vk = 0.5;
        var value = Structs.EnergyTangent(p, 2.0, direction, vk, out var tangent);
        Assert.Equal(Structs.Energy(p, 2.0), value);
        var along = Difference(h => Structs.Energy(new Particle(p.X + (h * direction.X), p.V + (h * direction.V)), 2.0 + (h * vk)));
        Assert.Equal(along, tangent, 7);

        // H·v against differences of the gradient along v; the Hessian's rows are H·eₖ over (p.X, p.V, k).
        Structs.EnergyHessianVector(p, 2.0, direction, vk, out Particle hp, out var hk);
        double[] Gradient(double h)
        {
            Structs.EnergyGradient(new Particle(p.X + (h * direction.X), p.V + (h * direction.V)), 2.0 + (h * vk), out Particle d, out var dkk);
            return [d.X, d.V, dkk];
        }

        var (plus, minus) = (Gradient(Step), Gradient(-Step));
        Assert.Equal((plus[0] - minus[0]) / (2 * Step), hp.X, 6);
        Assert.Equal((plus[1] - minus[1]) / (2 * Step), hp.V, 6);
        Assert.Equal((plus[2] - minus[2]) / (2 * Step), hk, 6);

        var hessian = new double[9];
        Assert.Equal(Structs.Energy(p, 2.0), Structs.EnergyHessian(p, 2.0, hessian));
        Assert.Equal([2.0, 0, 0.7, 0, 1, 0, 0.7, 0, 0], hessian, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void NestedStructParameter_GradientIsAStructOfItsType()
    {
        var ball = new Ball(new Vec2(1.5, 2.0), new Vec2(-0.5, 3.0), 0.8);
        var value = Structs.BallEnergyGradient(ball, 9.81, out Ball db, out var dg);
        Assert.Equal(Structs.BallEnergy(ball, 9.81), value);
        Assert.Equal(new Ball(new Vec2(0, 0.8 * 9.81), new Vec2(0.8 * -0.5, 0.8 * 3.0), (0.5 * (0.25 + 9.0)) + (9.81 * 2.0)), db);
        Assert.Equal(0.8 * 2.0, dg, 12);

        var adjoint = new Ball(new Vec2(1, 1), new Vec2(1, 1), 1);
        var dgAdjoint = 0.0;
        Structs.BallEnergyBackward(ball, 9.81, 2.0, ref adjoint, ref dgAdjoint);
        Assert.Equal(1 + (2 * db.Velocity.Y), adjoint.Velocity.Y, 12);
        Assert.Equal(1 + (2 * db.Mass), adjoint.Mass, 12);

        var hessian = new double[36];
        Structs.BallEnergyHessian(ball, 9.81, hessian);
        Assert.Equal(0.8, hessian[(2 * 6) + 2], 12); // ∂²E/∂vx² = m, the inputs in order x, y, vx, vy, m, g
        Assert.Equal(-0.5, hessian[(2 * 6) + 4], 12); // ∂²E/∂vx∂m = vx
    }

    [Fact]
    public void PartialStructMethod_IsAlsoDifferentiatedOnItsOwn_ItsFieldAConstant()
    {
        var gain = new Gain { K = 2.5 };
        Assert.Equal(gain.Apply(0.3), gain.ApplyGradient(0.3, out var dx));
        Assert.Equal(2.5 * Math.Cos(0.3), dx, 12);
    }

    private static double Difference(Func<double, double> f) => (f(Step) - f(-Step)) / (2 * Step);
}
