using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Assignments and ++/-- inside expressions and conditions (issue 12): each is staged as its own statement ahead of
/// the one that holds it, in C#'s order of evaluation; loop conditions that assign are tested inside the loop.
/// </summary>
public static partial class SideEffects
{
    [Differentiable, Sample(0.5, 2)]
    public static double WhileConditionAssigns(double x, double step)
    {
        double r = 3 + x;
        double s = 0;
        while ((r -= step) > 0)
        {
            s += r * x;
        }

        return s;
    }

    [Differentiable, Sample(0.5, 2)]
    public static float WhileConditionAssignsFloat(float x, float step)
    {
        float r = 3 + x;
        float s = 0;
        while ((r -= step) > 0)
        {
            s += r * x;
        }

        return s;
    }

    [Differentiable, Sample(-2, 2)]
    public static double IfConditionAssigns(double x, double w)
    {
        double y;
        double s = 1;
        if ((y = Math.Sin(x) * w) > 0)
        {
            s = y * x;
        }
        else
        {
            s = y - x;
        }

        return s + y;
    }

    [Differentiable, Sample(-2, 2, Ints = new[] { 2 })]
    public static double ReturnPreIncrement(double t, int i) => (++i) * t;

    [Differentiable, Sample(-2, 2)]
    public static double ChainedAssignment(double x, double z)
    {
        double y;
        double w = y = z * x;
        return w * y + x;
    }

    /// <summary>Fuzz seed 82: <c>t = t = e</c> once staged <c>t = e; t = t;</c> (CS1717 in generated code).</summary>
    [Differentiable, Sample(-2, 2)]
    public static double ChainedOntoItself(double x, double z)
    {
        double t = x;
        t = t = Math.Sqrt(1 + z * z) * x;
        return t * z;
    }

    [Differentiable, Sample(-2, 2)]
    public static double CompoundInsideCompound(double x, double y)
    {
        double s = y;
        double t = 2;
        s += (t *= x);
        return s * t;
    }

    [Differentiable, Sample(-2, 2, Ints = new[] { 4 })]
    public static double PostIncrementIndex(double x, int n)
    {
        double[] a = new double[n];
        int i = 0;
        while (i < n)
        {
            a[i++] = x * i;
        }

        double s = 0;
        int j = 0;
        while (j < n)
        {
            s += a[j++] * x;
        }

        return s;
    }

    [Differentiable, Sample(-2, 2)]
    public static double PostIncrementOfDouble(double x)
    {
        double y = x;
        double z = y++ * 3;
        double w = y-- * z;
        return w + y * z;
    }

    [Differentiable, Sample(-2, 2, Ints = new[] { 5 })]
    public static double DoConditionCounts(double x, int n)
    {
        double p = 1;
        int k = 0;
        do
        {
            p = p * x + Math.Cos(p);
        }
        while (++k < n);

        return p;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 6 })]
    public static double ForConditionAssigns(double x, int n)
    {
        double s = 0;
        double v = x;
        for (int i = 0; (v = v * 0.9 + x) < 100 && i < n; i++)
        {
            s += v * v;
        }

        return s + v;
    }

    [Differentiable, Sample(-2, 2)]
    public static double AssignmentAsCallArgument(double x, double y)
    {
        double t;
        return Math.Exp(t = x * y) + t * Math.Sin(y += x) + y;
    }

    [Differentiable, Sample(-2, 2)]
    public static double AssignmentInsideCalleeArgument(double x, double y)
    {
        double t;
        double u = Arithmetic.AddMultiply(t = x * x, y, t) + t;
        return u;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double SwitchOnIncrement(double x, int k)
    {
        double s = x;
        switch (k++)
        {
            case 3:
                s = s * x * k;
                break;
            default:
                s = -s;
                break;
        }

        return s;
    }

    [Differentiable, Sample(-2, 2)]
    public static double ArrayInitializerWithEffects(double x, double y)
    {
        double t = x;
        double[] v = { t *= y, t++, t };
        return v[0] * v[1] + v[2] * x;
    }

    [Differentiable, Sample(-2, 2, Ints = new[] { 3 })]
    public static float FloatElementCompoundInIndex(float x, int n)
    {
        float[] a = new float[n + 1];
        int i = 0;
        a[i] = x;
        a[++i] = x * x;
        float b = (a[i++] += x) * x;
        return a[0] + a[1] * b + i;
    }

    /// <summary>The fixed form docs/diagnostics.md gives for <c>x * (x = 2 * x)</c>: the old value read into a local first.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double ReadIntoLocalFirst(double x)
    {
        double old = x;
        return old * (x = 2 * x) + x;
    }
}
