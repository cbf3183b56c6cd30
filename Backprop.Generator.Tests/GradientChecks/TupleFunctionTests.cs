using System;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>A method that returns a tuple of numbers gets a vector function's members, checked against central differences.</summary>
public sealed class TupleFunctionTests
{
    private const double X = 0.8, Y = -1.3, Step = 1e-6;

    [Fact]
    public void TupleFunction_JacobianMatchesDifferences()
    {
        var jacobian = new double[4];
        Tuples.PolarJacobian(X, Y, out var r, out var theta, jacobian);
        Assert.Equal(Tuples.Polar(X, Y), (r, theta));
        var (dxPlus, dxMinus) = (Tuples.Polar(X + Step, Y), Tuples.Polar(X - Step, Y));
        var (dyPlus, dyMinus) = (Tuples.Polar(X, Y + Step), Tuples.Polar(X, Y - Step));
        double[] expected =
        [
            (dxPlus.R - dxMinus.R) / (2 * Step), (dyPlus.R - dyMinus.R) / (2 * Step),
            (dxPlus.Theta - dxMinus.Theta) / (2 * Step), (dyPlus.Theta - dyMinus.Theta) / (2 * Step),
        ];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], jacobian[i], 8);
        }
    }

    [Fact]
    public void TupleFunction_TangentAndBackwardAreJvAndUJ()
    {
        var jacobian = new double[4];
        Tuples.PolarJacobian(X, Y, out _, out _, jacobian);
        Tuples.PolarTangent(X, Y, 0.5, -2.0, out _, out _, out var dr, out var dtheta);
        Assert.Equal((jacobian[0] * 0.5) + (jacobian[1] * -2.0), dr, 12);
        Assert.Equal((jacobian[2] * 0.5) + (jacobian[3] * -2.0), dtheta, 12);

        var (dx, dy) = (1.0, 2.0);
        Tuples.PolarBackward(X, Y, out _, out _, 3.0, -1.0, ref dx, ref dy);
        Assert.Equal(1.0 + (3.0 * jacobian[0]) - jacobian[2], dx, 12);
        Assert.Equal(2.0 + (3.0 * jacobian[1]) - jacobian[3], dy, 12);
    }
}
