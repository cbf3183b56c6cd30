using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>for, while and do loops, break, continue, early return, nested loops, reused loop variables.</summary>
public static partial class Loops
{
    [Differentiable, Sample(-1.5, 1.5, Ints = new[] { 5 })]
    public static double PowerByLoop(double x, int n)
    {
        double p = 1;
        for (int i = 0; i < n; i++)
        {
            p = p * x;
        }

        return p;
    }

    [Differentiable, Sample(-1, 1)]
    public static double SinLoop(double x, double w)
    {
        double s = x;
        for (int i = 0; i < 100; i++)
        {
            s = Math.Sin(s) * w + x * 0.01;
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 7 })]
    public static double AccumulatorStartsConstant(double x, int n)
    {
        double sum = 0;
        for (int i = 1; i <= n; i++)
        {
            sum += x * i + Math.Cos(x * i);
        }

        return sum;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 6 })]
    public static double CountingDown(double x, int n)
    {
        double s = 1;
        for (int i = n; i > 0; i--)
        {
            s = s * x + i;
        }

        return s;
    }

    [Differentiable, Sample(0.5, 1.5)]
    public static double WhileLoop(double x)
    {
        double s = x;
        int k = 0;
        while (s < 10 && k < 20)
        {
            s = s * 1.5 + x;
            k++;
        }

        return s * k;
    }

    [Differentiable, Sample(0.5, 1.5)]
    public static double DoWhileLoop(double x)
    {
        double s = 0;
        int k = 0;
        do
        {
            s += x * x;
            k++;
        }
        while (k < 4);

        return s;
    }

    [Differentiable, Sample(-2, 2, Ints = new[] { 10 })]
    public static double BreakOut(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = s * 0.9 + x;
            if (s > 3)
            {
                break;
            }

            s = s + 0.1 * x * x;
        }

        return s;
    }

    [Differentiable, Sample(-2, 2, Ints = new[] { 10 })]
    public static double ContinueSkips(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double t = x * i;
            if (i % 3 == 0)
            {
                continue;
            }

            s += t * t;
        }

        return s;
    }

    [Differentiable, Sample(-2, 2, Ints = new[] { 10 })]
    public static double ReturnFromLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = s * x + 1;
            if (s > 5)
            {
                return s * 2;
            }
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 4, 3 })]
    public static double NestedLoops(double x, int rows, int columns)
    {
        double s = 0;
        for (int i = 0; i < rows; i++)
        {
            double row = x * (i + 1);
            for (int j = 0; j < columns; j++)
            {
                row = row * x + j;
                s += row;
            }
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 5 })]
    public static double SiblingLoopsReuseName(double x, int n)
    {
        double a = 0;
        for (int i = 0; i < n; i++)
        {
            double t = x * i;
            a += t * x;
        }

        for (int i = 0; i < n; i++)
        {
            double t = a * 0.1;
            a = a + t * x;
        }

        return a;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 6 })]
    public static double NestedBreakAndContinue(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (i == 1)
            {
                continue;
            }

            for (int j = 0; j < n; j++)
            {
                if (j > i)
                {
                    break;
                }

                s += x * (i - j) + s * 0.01;
            }

            if (s > 100)
            {
                break;
            }
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 8 })]
    public static double ReturnFromNestedLoop(double x, int n)
    {
        double s = 1;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s = s * (1 + x * 0.1) + x;
                if (i * n + j > 20)
                {
                    return s - x;
                }
            }
        }

        return s;
    }

    [Differentiable, Sample(0.5, 1.5)]
    public static double GeneralForLoop(double x)
    {
        double s = 0;
        for (int i = 1; i < 50; i *= 2)
        {
            s += x * i;
            s = s * x;
        }

        return s;
    }

    [Differentiable, Sample(0.1, 0.9)]
    public static double LoopBoundFromData(double x)
    {
        double s = x;
        int steps = 0;
        while (s < 50)
        {
            s = s * 2 + x;
            steps++;
        }

        return s + steps;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 5 })]
    public static double BranchInsideLoop(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0)
            {
                s = s + x * x;
            }
            else
            {
                s = s * x;
            }
        }

        return s;
    }

    /// <summary>
    /// A branch in a loop on a parameter that is assigned after the loop (fuzz seed 1701): going back, y holds its new
    /// value (nothing reads the old one, so it is not put back), so which arm ran must be taped, not evaluated again.
    /// </summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double BranchOnParameterAssignedAfter(double x, double y, int n)
    {
        double s = 0.5;
        for (int i = 0; i < n; i++)
        {
            s = y < 0 ? s + (x * x) : s * Math.Sin(x);
        }

        y = -y;
        return s + y;
    }

    /// <summary>
    /// A loop bounded by a parameter that is assigned after the loop: going back, n holds its new value, so the backward
    /// loop must not count to n again.
    /// </summary>
    /// <summary>
    /// An <c>if (true)</c> with no else in a loop whose saves are one block (fuzz seed 1612, batch 95): the sweeps add an
    /// else arm that skips the slots the then arm keeps, which never runs — the file turns off CS0162 for it.
    /// </summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double ConstantConditionInABlockLoop(double x, double y, int n)
    {
        double s = y;
        for (int i = 0; i < n; i++)
        {
            if (true)
            {
                s = Math.Sin(s) * x + y;
            }
        }

        return s * s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double CountParameterAssignedAfter(double x, double y, int n)
    {
        double s = y;
        for (int i = 0; i < n; i++)
        {
            s = s * x + 1;
        }

        n = 7;
        return s * n;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double TernaryInsideLoop(double x, int n)
    {
        double s = 0.5;
        for (int i = 0; i < n; i++)
        {
            s = s > 0 ? s * x + 1 : Math.Exp(s) * x;
        }

        return s;
    }

    [Differentiable, Sample(-1, 1, Ints = new[] { 3 })]
    public static double LoopStartFromParameter(double x, int start)
    {
        double s = x;
        for (int i = start; i < start + 4; i++)
        {
            s = s * x + i;
        }

        return s;
    }

    [Differentiable, Sample(-1, 1)]
    public static double EmptyLoopBodyBackward(double x)
    {
        int k = 0;
        for (int i = 0; i < 5; i++)
        {
            k += i;
        }

        return x * k;
    }

    /// <summary>
    /// Fuzz seed 1022, reduced: a constant written over an element at an index that changes in a while loop. The
    /// backward zeroes that element's adjoint, so it must read the index as it was in each pass (it used the last one).
    /// </summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 4 })]
    public static double ConstantOverElementAtMovingIndex(double x, double y, int n)
    {
        double[] buffer = new double[3];
        for (int k = 0; k < n; k++)
        {
            buffer[k % 3] = x * k;
        }

        int e = 0;
        int o = 0;
        while (o < 2)
        {
            e = e + 1;
            buffer[e % 3] = 2.0;
            o = o + 1;
        }

        return (buffer[0] + buffer[1] + buffer[2]) * y;
    }

    /// <summary>Counted loops of every comparison, bounds from a parameter, a local set once and an outer counter: gone back through from their bounds.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 0, 1, 4 })]
    public static double CountedEveryWay(double x, int n)
    {
        double s = x;
        int top = n + 1;
        for (int i = 1; i <= n; i++)
        {
            s = (s * 0.9) + Math.Sin(s * i);
        }

        for (int i = top; i > 0; i--)
        {
            s = (s * 0.8) + (Math.Cos(s) * i);
        }

        for (int i = n; i >= -1; i--)
        {
            s = Math.Tanh((s * i) + x);
        }

        for (int i = 0; i < top; i++)
        {
            for (int j = i; j < top; j++)
            {
                s = s * Math.Sin(s + j);
            }
        }

        return s;
    }

    /// <summary>A loop left early, and a loop whose bound changes as it runs: both keep their iteration counts.</summary>
    [Differentiable, Sample(-1, 1, Ints = new[] { 3, 6 })]
    public static double CountKeptWhenLeftEarlyOrBoundChanges(double x, int n)
    {
        double s = x;
        int limit = n;
        for (int r = 0; r < 2; r++)
        {
            for (int i = 0; i < n; i++)
            {
                if (s > 2)
                {
                    break;
                }

                s = (s * 1.3) + 0.5 + Math.Sin(s);
            }

            for (int i = 0; i < limit; i++)
            {
                s = (s * 0.7) + Math.Cos(s * i);
                limit--;
            }
        }

        return s;
    }

    /// <summary>A divide gate in a loop that does not write its divisor: going back, the loop multiplies by 1/s, worked out once before it.</summary>
    [Differentiable, Sample(0.5, 2, Ints = new[] { 4 })]
    public static double DividedByWhatTheLoopKeeps(double x, double s, int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double q = (x + i) / s;
            total += q * q;
        }

        return total;
    }

    /// <summary>The near miss: the loop writes the divisor, so each iteration going back divides by its own.</summary>
    [Differentiable, Sample(0.5, 2, Ints = new[] { 4 })]
    public static double DividedByWhatTheLoopChanges(double x, double s, int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            s = s + (x * x);
            double q = (x + i) / s;
            total += q * q;
        }

        return total;
    }
}
