using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

public enum Activation
{
    Identity,
    Square,
    Tanh,
}

/// <summary>if/else if/else, ?:, &amp;&amp;, ||, comparisons, switch statements and expressions, early returns, int and bool locals.</summary>
public static partial class ControlFlow
{
    [Differentiable, Sample(-3, 3)]
    public static double IfElse(double x, double y)
    {
        double r;
        if (x > y)
        {
            r = x * x;
        }
        else
        {
            r = y * x;
        }

        return r + x;
    }

    [Differentiable, Sample(-3, 3)]
    public static double ElseIfChain(double x)
    {
        double r = x;
        if (x < -1)
        {
            r = -x * 2;
        }
        else if (x < 1)
        {
            r = x * x * x;
        }
        else
        {
            r = Math.Sqrt(x) + r;
        }

        return r * x;
    }

    [Differentiable, Sample(-3, 3)]
    public static double Ternary(double x, double y) => x > 0 ? x * y : y - x * x;

    [Differentiable, Sample(-3, 3)]
    public static double NestedTernary(double x, double y) => x > y ? (x > 0 ? x : -x * y) : Math.Exp(y * 0.3);

    [Differentiable, Sample(-3, 3)]
    public static double LogicalOperators(double x, double y)
    {
        bool both = x > 0 && y > 0;
        bool either = x < -1 || y < -1;
        if (both || !either)
        {
            return x * y;
        }

        return x + y * y;
    }

    [Differentiable, Sample(-3, 3)]
    public static double EarlyReturn(double x, double y)
    {
        if (x < 0)
        {
            return x * y;
        }

        double t = x * x;
        if (t > 4)
        {
            return t - y;
        }

        t = t * y;
        return t + x;
    }

    [Differentiable, Sample(-3, 3, Ints = new[] { 2 })]
    public static double SwitchStatement(double x, int mode)
    {
        double r = 0;
        switch (mode)
        {
            case 0:
                r = x;
                break;
            case 1:
            case 2:
                r = x * x;
                break;
            default:
                r = -x;
                break;
        }

        return r * 3;
    }

    [Differentiable, Sample(-3, 3, Ints = new[] { 1 })]
    public static double SwitchExpression(double x, int mode) => mode switch
    {
        0 => x,
        1 => Math.Sin(x) * x,
        _ => x * x * x,
    };

    [Differentiable, Sample(-2, 2)]
    public static double SwitchOnEnum(double x) => Apply(x, Activation.Tanh) + Apply(x, Activation.Square);

    [Differentiable, Sample(-2, 2)]
    public static double Apply(double x, Activation activation)
    {
        switch (activation)
        {
            case Activation.Square:
                return x * x;
            case Activation.Tanh:
                return Math.Tanh(x);
            default:
                return x;
        }
    }

    [Differentiable, Sample(-3, 3, Ints = new[] { 3 }, Bools = new[] { true })]
    public static double IntAndBoolParameters(double x, int n, bool flip)
    {
        int k = n * 2 + 1;
        double r = x * k;
        if (flip)
        {
            r = -r;
        }

        return r + (double)n * x;
    }

    [Differentiable, Sample(-3, 3)]
    public static double CastToIntHasNoGradient(double x) => (int)NoDiff.Value(x * 10) + x;

    [Differentiable, Sample(-3, 3)]
    public static double IntCastToDouble(double x)
    {
        int k = 3;
        k++;
        k--;
        k += 2;
        return x * k / (double)(k + 1);
    }

    [Differentiable, Sample(-3, 3)]
    public static double ReturnInsideElse(double x)
    {
        if (x > 1)
        {
            x = x * 2;
        }
        else
        {
            return x * x;
        }

        return x * 3;
    }

    /// <summary><c>goto case</c> and <c>goto default</c> at the end of a section: C#'s fall-through, chained twice (issue 12).</summary>
    [Differentiable, Sample(-2, 2, Ints = new[] { 1 })]
    public static double GotoCaseChain(double x, double y, int mode)
    {
        double s = x;
        switch (mode)
        {
            case 0:
                s = s * y;
                break;
            case 1:
                s = s + Math.Sin(y);
                goto case 2;
            case 2:
                double t = s * x;
                s = t + y;
                goto default;
            default:
                s = s * Math.Exp(-y * y);
                break;
        }

        return s;
    }

    /// <summary>The same switch entered at the section the chain above jumps to, in a loop over the modes.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double GotoCaseInLoop(double x, int n)
    {
        double s = x;
        for (int mode = 0; mode < n; mode++)
        {
            switch (mode % 3)
            {
                case 0:
                    s = s * 0.5 + x;
                    goto default;
                case 1:
                    s = Math.Tanh(s);
                    break;
                default:
                    s = s * x;
                    break;
            }
        }

        return s;
    }

    /// <summary>
    /// A value only one arm of an if touches, in a loop: its adjoint carries from one iteration back to the one before, so
    /// it must not be declared in the arm (where it would start at zero each time the arm runs).
    /// </summary>
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 5 })]
    public static double CarriedInOneArm(double x, int n)
    {
        double s = 1;
        double r = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0)
            {
                s = s * x;
                r += Math.Sin(s);
            }
        }

        return r;
    }

    /// <summary>Values only one arm touches, outside loops: their adjoints are declared in that arm.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double OneArmEach(double x, double y)
    {
        double r;
        if (x > 0)
        {
            double p = x * y;
            r = p * p;
        }
        else
        {
            double q = x - y;
            r = Math.Exp(q);
        }

        return r * y;
    }
}
