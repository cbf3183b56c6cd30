using System;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>Central differences (f(x+h) - f(x-h)) / 2h, the independent check every generated derivative is held to.</summary>
public static class FiniteDifference
{
    /// <summary>Step for double: 1e-6·max(1, |x|).</summary>
    public static double DoubleStep(double x) => 1e-6 * Math.Max(1, Math.Abs(x));

    /// <summary>Step for float: 3e-3·max(1, |x|) balances float rounding against truncation.</summary>
    public static double FloatStep(double x) => 3e-3 * Math.Max(1, Math.Abs(x));

    public static double Central(Func<double, double> f, double x, double h) => (f(x + h) - f(x - h)) / (2 * h);

    /// <summary>The central difference of <paramref name="f"/> in element <paramref name="index"/> of <paramref name="at"/>, the others held (step <see cref="DoubleStep"/>).</summary>
    public static double CentralAt(double[] at, int index, Func<double[], double> f)
    {
        var h = DoubleStep(at[index]);
        var (up, down) = ((double[])at.Clone(), (double[])at.Clone());
        up[index] += h;
        down[index] -= h;
        return (f(up) - f(down)) / (2 * h);
    }

    /// <summary>
    /// True when the function is continuous at x (its value there is the mean of its neighbours at ±h) and the
    /// difference quotient is stable (steps h and h/4 agree): a kink, a branch boundary or a pole within reach of the
    /// step breaks one of them, and such points are skipped. (A fuzzed method with a denominator near zero was -69504 at
    /// x and -0.86 at x ± 1e-6: no derivative exists there to check.)
    /// </summary>
    /// <param name="continuity">How far f(x) may be from its neighbours' mean (relative); by default a thousandth of
    /// <paramref name="tolerance"/>. Float functions pass more: their own rounding in a loop is about 1e-6.</param>
    public static bool IsSmoothAt(Func<double, double> f, double x, double h, double tolerance, double? continuity = null)
    {
        // A smooth function's value differs from its neighbours' mean by f''·h²/2, far below the tolerance of the slope;
        // a jump at x (seed 1011: F = 2.7182808770 at x, e on both sides) does not.
        var (left, middle, right) = (f(x - h), f(x), f(x + h));
        if (RelativeError(middle, (left + right) / 2) > (continuity ?? tolerance * 1e-3))
        {
            return false;
        }

        var coarse = (right - left) / (2 * h);
        var fine = Central(f, x, h / 4);
        return RelativeError(coarse, fine) <= tolerance;
    }

    /// <summary>
    /// True when the derivative itself holds still across the step: the gradient at x - h and x + h agrees with the one at x
    /// to <paramref name="tolerance"/>. A difference quotient is the mean slope over [x - h, x + h], so it can only check a
    /// derivative that does. (Fuzz seed 1023: a loop doubling a value 12 times left F smooth to 1e-5 but its derivative —
    /// forward and reverse mode agreeing to 1e-15 — varying by 1.5% between points 1e-7 apart.)
    /// </summary>
    public static bool IsSteady(Func<double, double> derivative, double x, double h, double tolerance)
    {
        var middle = derivative(x);
        return RelativeError(derivative(x - h), middle) <= tolerance && RelativeError(derivative(x + h), middle) <= tolerance;
    }

    /// <summary>
    /// For a function that did not change at all across ±h (the step is below its resolution there, as for sin of a value
    /// grown to 1e9): true when difference quotients with steps 100 and 1000 times larger agree with each other and with
    /// <paramref name="derivative"/> to 1e-3 — a looser check where the fine one cannot see anything.
    /// </summary>
    public static bool IsBelowResolution(Func<double, double> f, double x, double h, double derivative)
    {
        var coarse = Central(f, x, h * 100);
        var coarser = Central(f, x, h * 1000);
        return coarse != 0 && Agree(coarse, coarser, 1e-3) && RelativeError(derivative, coarse) <= 1e-3;
    }

    /// <summary>
    /// True when the central difference at step <paramref name="h"/> is limited by rounding, not by the function: each of
    /// f(x ± h) carries a rounding error of up to one unit in the last place, so the quotient carries up to
    /// 2⁻⁵² · max|f(x ± h)| / h, and that bound is at least a quarter of the gap <paramref name="error"/> (relative, as
    /// <see cref="RelativeError"/> measures it) to <paramref name="derivative"/>. Fuzz seed 1050: F ≈ -2.9e5, so at h = 1e-6
    /// the quotient was off by 5.6e-5 while steps of 1e-5 to 1e-3 agreed with the gradient to 1e-6.
    /// </summary>
    public static bool IsRoundingLimited(Func<double, double> f, double x, double h, double derivative, double error)
    {
        var rounding = Math.Pow(2, -52) * Math.Max(Math.Abs(f(x + h)), Math.Abs(f(x - h))) / h;
        return rounding >= error * Math.Max(1, Math.Abs(derivative)) / 4;
    }

    /// <summary>True when two difference quotients of one point (different steps) agree to <paramref name="tolerance"/>.</summary>
    public static bool Agree(double coarse, double fine, double tolerance) => RelativeError(coarse, fine) <= tolerance;

    /// <summary>|a - b| / max(1, |a|, |b|): relative for large values, absolute near zero where relative error means nothing.</summary>
    public static double RelativeError(double a, double b) =>
        Math.Abs(a - b) / Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
}
