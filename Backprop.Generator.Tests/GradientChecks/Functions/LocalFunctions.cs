using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Local functions (static and capturing) and lambdas held in a local, called inside the method (issue 12): each call
/// is read in place, its arguments evaluated once.
/// </summary>
public static partial class LocalFunctions
{
    [Differentiable, Sample(-2, 2)]
    public static double StaticLocalFunction(double x, double y)
    {
        return Square(x + y) + Square(Math.Sin(x)) * y;

        static double Square(double v) => v * v;
    }

    [Differentiable, Sample(-2, 2)]
    public static double CapturingLocalFunction(double x, double w)
    {
        double scale = w * 0.5;
        double Scaled(double v) => v * scale + Math.Tanh(x * v);
        return Scaled(x) + Scaled(w * w);
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 5 })]
    public static double LambdaInLoop(double x, int n)
    {
        Func<double, double, double> step = (s, t) => s * Math.Cos(t) + t;
        double acc = x;
        for (int i = 0; i < n; i++)
        {
            acc = step(acc, x * i);
        }

        return acc;
    }

    [Differentiable, Sample(-2, 2)]
    public static float FloatLambdaWithBlockBody(float x, float y)
    {
        var softplus = (float v) => { return MathF.Log(1 + MathF.Exp(v)); };
        return softplus(x * y) - softplus(-x);
    }

    [Differentiable, Sample(-2, 2)]
    public static double InBranchesOfConditional(double x, double y)
    {
        double Cube(double v) => v * v * v;
        return x > 0 ? Cube(x + y) : Cube(y) - x;
    }

    [Differentiable, Sample(-2, 2)]
    public static double NestedCalls(double x, double y)
    {
        double Inner(double v) => Math.Exp(-v * v);
        double Outer(double a, double b) => Inner(a) * b + Inner(b);
        return Outer(Outer(x, y), x - y);
    }

    [Differentiable, Sample(-2, 2)]
    public static double CapturedAssignment(double x, double y)
    {
        double total = 0;
        double Add(double v) => total += v * x;
        Add(y);
        double r = Add(x * y) * 2;
        return r + total;
    }

    [Differentiable]
    public static double OverArray(double[] a, double w)
    {
        double Weighted(double[] values, int i) => values[i] * w;
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += Weighted(a, i) * a[i];
        }

        return s;
    }
}
