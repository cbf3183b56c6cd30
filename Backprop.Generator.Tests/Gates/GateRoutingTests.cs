using Backprop.Generator.Tests.GradientChecks.Functions;
using Xunit;

namespace Backprop.Generator.Tests.Gates;

/// <summary>
/// The gates' documented conventions at kinks and ties: the router sends the whole gradient to one input,
/// ties go to the first argument, abs'(0) = +1, clamp on a bound routes to the value, ∂(x^y)/∂y = 0 at x = 0; stop-gradient stops.
/// </summary>
public sealed partial class GateRoutingTests
{
    [Differentiable]
    public static double Max(double a, double b) => System.Math.Max(a, b);

    [Differentiable]
    public static double Min(double a, double b) => System.Math.Min(a, b);

    [Differentiable]
    public static double Abs(double a) => System.Math.Abs(a);

    [Differentiable]
    public static double Clamp(double v, double lo, double hi) => System.Math.Clamp(v, lo, hi);

    [Differentiable]
    public static double Relu(double x) => System.Math.Max(x, 0.0);

    [Differentiable]
    public static double Pow(double x, double y) => System.Math.Pow(x, y);

    [Fact]
    public void Pow_AtZeroBase_ExponentGradientIsItsLimitZero()
    {
        Assert.Equal(0.0, PowGradient(0, 2.5, out var dx, out var dy));
        Assert.Equal((0.0, 0.0), (dx, dy));
        PowGradient(0, 0, out dx, out dy);
        Assert.Equal((0.0, 0.0), (dx, dy));
        PowGradient(2, 3, out dx, out dy);
        Assert.Equal(12.0, dx, 12);
        Assert.Equal(8 * System.Math.Log(2), dy, 12);
    }

    [Fact]
    public void MaxGate_RoutesWholeGradientToTheLarger()
    {
        MaxGradient(3, 1, out var da, out var db);
        Assert.Equal((1.0, 0.0), (da, db));
        MaxGradient(1, 3, out da, out db);
        Assert.Equal((0.0, 1.0), (da, db));
    }

    [Fact]
    public void MaxGate_TieGoesToFirstArgument()
    {
        MaxGradient(2, 2, out var da, out var db);
        Assert.Equal((1.0, 0.0), (da, db));
        MinGradient(2, 2, out da, out db);
        Assert.Equal((1.0, 0.0), (da, db));
    }

    [Fact]
    public void Relu_AtZero_PassesTheGradient()
    {
        // max(x, 0) at x = 0 is a tie: the first argument, x, wins, so d/dx = 1 (PyTorch's relu gives 0 here; JAX 0.5).
        ReluGradient(0, out var dx);
        Assert.Equal(1, dx);
        ReluGradient(-0.5, out dx);
        Assert.Equal(0, dx);
    }

    [Fact]
    public void Abs_AtZero_IsPlusOne()
    {
        AbsGradient(0, out var da);
        Assert.Equal(1, da);
        AbsGradient(-2, out da);
        Assert.Equal(-1, da);
    }

    [Fact]
    public void Clamp_RoutesToTheBoundThatWon_AndToTheValueOnABound()
    {
        ClampGradient(-5, -1, 1, out var dv, out var dlo, out var dhi);
        Assert.Equal((0.0, 1.0, 0.0), (dv, dlo, dhi));
        ClampGradient(5, -1, 1, out dv, out dlo, out dhi);
        Assert.Equal((0.0, 0.0, 1.0), (dv, dlo, dhi));
        ClampGradient(1, -1, 1, out dv, out dlo, out dhi);
        Assert.Equal((1.0, 0.0, 0.0), (dv, dlo, dhi));
    }

    [Fact]
    public void StopGradient_NoGradientFlowsThroughNoDiffValue()
    {
        // x * NoDiff.Value(y * y) + y: dx = y², dy = 1 (the y² factor is a constant to the gradient).
        MathFunctions.StopGradientGradient(1.5, 2, out var dx, out var dy);
        Assert.Equal(4, dx);
        Assert.Equal(1, dy);
    }

    private static double Plain(double v) => (v * v) + 1;

    /// <summary>A call with no derivative inside NoDiff.Value is a constant: no BP0004, no gradient through it.</summary>
    [Differentiable]
    public static double StopAroundACall(double x) => x * NoDiff.Value(Plain(x));

    [Fact]
    public void StopGradient_AroundACallWithoutDerivative_MakesItAConstant()
    {
        StopAroundACallGradient(1.5, out var dx);
        Assert.Equal(Plain(1.5), dx);
    }

    /// <summary>A reading of a value that takes no gradient, through a method of a struct parameter.</summary>
    public readonly struct Scale(double factor)
    {
        public double Read() => factor;
    }

    [Differentiable]
    public static double ScaledBy(double x, Scale scale) => x * x * scale.Read();

    [Fact]
    public void CallOnAParameterThatTakesNoGradient_IsAConstant()
    {
        ScaledByGradient(3, new Scale(0.5), out var dx);
        Assert.Equal(2 * 3 * 0.5, dx);
    }

    [Fact]
    public void MultiplyGate_SwitchesGradientToOtherInput()
    {
        Arithmetic.AddMultiplyGradient(1, 2, 5, out var dx, out var dy, out var dz);
        Assert.Equal((5.0, 5.0, 3.0), (dx, dy, dz));
    }
}
