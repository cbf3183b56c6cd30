using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Vector-valued functions (issue 11): void [Differentiable] methods that write their results into Span outputs — the
/// residuals of a fit, an ODE's right-hand side, a robot arm's forward kinematics — each with …Tangent, …Backward and
/// …Jacobian generated for it.
/// </summary>
public static partial class VectorFunctions
{
    /// <summary>The residuals of fitting a·exp(-b·t) + c to observations: m = t.Length rows, 3 inputs (forward mode).</summary>
    [Differentiable]
    public static void DecayResiduals(double a, double b, double c, [NoDiff] ReadOnlySpan<double> t, [NoDiff] ReadOnlySpan<double> observed, Span<double> residuals)
    {
        for (int i = 0; i < t.Length; i++)
        {
            residuals[i] = a * Math.Exp(-b * t[i]) + c - observed[i];
        }
    }

    /// <summary>Lotka–Volterra: the rates of change of prey and predators (2 outputs, 6 inputs: reverse mode).</summary>
    [Differentiable]
    public static void LotkaVolterra(ReadOnlySpan<double> state, double alpha, double beta, double delta, double gamma, Span<double> rate)
    {
        double prey = state[0];
        double predators = state[1];
        rate[0] = alpha * prey - beta * prey * predators;
        rate[1] = delta * prey * predators - gamma * predators;
    }

    /// <summary>A two-link planar arm: where the hand is for given joint angles and link lengths.</summary>
    [Differentiable]
    public static void TwoLinkArm(double shoulder, double elbow, double upper, double fore, Span<double> hand)
    {
        hand[0] = upper * Math.Cos(shoulder) + fore * Math.Cos(shoulder + elbow);
        hand[1] = upper * Math.Sin(shoulder) + fore * Math.Sin(shoulder + elbow);
    }

    /// <summary>Reads back what it wrote: each output builds on the one before.</summary>
    [Differentiable]
    public static void Recurrence(ReadOnlySpan<double> x, Span<double> y)
    {
        y[0] = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            y[i] = y[i - 1] * Math.Sin(x[i]) + x[i];
        }
    }

    /// <summary>Two outputs, an array and an int among the inputs, a call, and an output element written twice.</summary>
    [Differentiable]
    public static void PolarParts(double[] xs, ReadOnlySpan<double> ys, int squared, Span<double> radius, Span<double> angle)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            radius[i] = Hypotenuse(xs[i], ys[i]);
            angle[i] = Math.Atan2(ys[i], xs[i]);
            if (i == squared)
            {
                radius[i] = radius[i] * radius[i];
            }
        }
    }

    [Differentiable]
    public static double Hypotenuse(double x, double y) => Math.Sqrt(x * x + y * y);

    /// <summary>Single precision, and a branch.</summary>
    [Differentiable]
    public static void ScaledTanh(ReadOnlySpan<float> x, float k, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] > 0 ? MathF.Tanh(k * x[i]) : k * x[i];
        }
    }

    /// <summary>A [Differentiable] method that calls a vector function: it is read in place there, as a helper.</summary>
    [Differentiable]
    public static double ArmReach(double shoulder, double elbow)
    {
        double[] hand = new double[2];
        TwoLinkArm(shoulder, elbow, 1.0, 0.5, hand);
        return hand[0] * hand[0] + hand[1] * hand[1];
    }

    /// <summary>Cartesian to polar: two out numbers (2 inputs, 2 outputs: forward mode).</summary>
    [Differentiable]
    public static void ToPolar(double x, double y, out double radius, out double angle)
    {
        radius = Math.Sqrt(x * x + y * y);
        angle = Math.Atan2(y, x);
    }

    /// <summary>An out number beside a Span output, an out number assigned twice, and a loop (reverse mode for short spans).</summary>
    [Differentiable]
    public static void Moments(ReadOnlySpan<double> x, double shift, out double mean, Span<double> centred, out float spread)
    {
        mean = 0;
        for (int i = 0; i < x.Length; i++)
        {
            mean += x[i] + shift;
        }

        mean /= x.Length;
        double squares = 0;
        for (int i = 0; i < x.Length; i++)
        {
            centred[i] = x[i] + shift - mean;
            squares += centred[i] * centred[i];
        }

        spread = (float)Math.Sqrt(squares / x.Length);
    }

    /// <summary>Built from another vector function, read in place into its own output, then reading that back.</summary>
    [Differentiable]
    public static void ArmWithGrip(double shoulder, double elbow, double grip, Span<double> pose)
    {
        TwoLinkArm(shoulder, elbow, 1.0, 0.5, pose);
        pose[2] = Math.Atan2(pose[1], pose[0]) + grip * elbow;
    }

    /// <summary>
    /// A local array in a vector function (fuzz: a write into one once counted as writing an input, and the method
    /// silently got no members), and a lambda whose parameter is named like a generated tangent (fuzz: 'dx => …' read in
    /// place became a local dx beside the tangent parameter dx).
    /// </summary>
    [Differentiable]
    public static void MovingSums(ReadOnlySpan<double> x, Span<double> sums)
    {
        Func<double, double> square = dx => dx * dx;
        double[] running = new double[x.Length];
        running[0] = square(x[0]);
        for (int i = 1; i < x.Length; i++)
        {
            running[i] = running[i - 1] + square(x[i]);
        }

        for (int i = 0; i < sums.Length; i++)
        {
            sums[i] = Math.Sqrt(running[i] + 1);
        }
    }

    /// <summary>
    /// Two outputs of four inputs (reverse mode, the forward pass once): a scratch array whose element 1 is read while
    /// still zero and written after — each row's backward pass must start from cleared adjoints, or the stale one
    /// carried over from the row before reaches the inputs through that write. (BA's Jacobian clears stack spans.)
    /// </summary>
    [Differentiable]
    public static void ReadBeforeWritten(ReadOnlySpan<double> x, Span<double> y)
    {
        double[] t = new double[2];
        t[0] = x[0] * x[1];
        double early = t[0] + t[1];
        t[1] = Math.Sin(x[2]) * x[3];
        y[0] = early + t[1];
        y[1] = (2 * early) - (3 * t[1]);
    }

    /// <summary>
    /// ReadBeforeWritten with a scratch array whose length the generator does not know (x has two more elements): it
    /// stays an array, whose adjoint each row clears (ReadBeforeWritten's, of two elements, is held in locals, zeroed per row).
    /// </summary>
    [Differentiable]
    public static void ReadBeforeWrittenInArray(ReadOnlySpan<double> x, Span<double> y)
    {
        double[] t = new double[x.Length - 2];
        t[0] = x[0] * x[1];
        double early = t[0] + t[1];
        t[1] = Math.Sin(x[2]) * x[3];
        y[0] = early + t[1];
        y[1] = (2 * early) - (3 * t[1]);
    }

    /// <summary>
    /// Three outputs of four inputs (reverse mode): scratch arrays each written whole before any element is read — at
    /// constant indices, by a loop over its length, in both arms of an if — and an output nothing reads. A backward pass
    /// takes back to zero all it added into their adjoints, so the Jacobian's rows do not clear them again (issue 14).
    /// (Held in locals, element by element: ScratchWrittenFirstInArrays keeps them arrays.)
    /// </summary>
    [Differentiable]
    public static void ScratchWrittenFirst(ReadOnlySpan<double> x, Span<double> y)
    {
        Span<double> p = stackalloc double[3];
        p[2] = x[0] * x[1];
        p[0] = Math.Sin(x[2]);
        p[1] = x[3] - x[0];
        Span<double> q = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            q[i] = p[i] * x[i + 1];
        }

        double[] r = new double[2];
        if (x[0] > 0)
        {
            r[0] = q[0] * q[1];
            r[1] = q[2];
        }
        else
        {
            r[1] = q[1];
            r[0] = q[2] - q[0];
        }

        y[0] = (r[0] * p[1]) + q[2];
        y[1] = r[1] * (1 + (p[0] * p[0]));
        y[2] = r[0] - (r[1] * q[0]);
    }

    /// <summary>
    /// ScratchWrittenFirst with each array also read at an index from x's length (p[2], q[2], r[1] for four inputs), which
    /// the generator does not take for a constant: they stay arrays, whose adjoints the rows do not clear either.
    /// </summary>
    [Differentiable]
    public static void ScratchWrittenFirstInArrays(ReadOnlySpan<double> x, Span<double> y)
    {
        Span<double> p = stackalloc double[3];
        p[2] = x[0] * x[1];
        p[0] = Math.Sin(x[2]);
        p[1] = x[3] - x[0];
        Span<double> q = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            q[i] = p[i] * x[i + 1];
        }

        double[] r = new double[2];
        if (x[0] > 0)
        {
            r[0] = q[0] * q[1];
            r[1] = q[2];
        }
        else
        {
            r[1] = q[1];
            r[0] = q[2] - q[0];
        }

        y[0] = (r[0] * p[1]) + q[2];
        y[1] = r[1] * (1 + (p[0] * p[0]));
        y[2] = r[0] - (r[1] * q[0]) + (p[x.Length - 2] * q[x.Length - 2] * r[x.Length - 3]);
    }

    /// <summary>
    /// A pinhole projection (2 outputs, 4 inputs: reverse mode): both rows divide by the depth and by p[2], which each
    /// row's divide gates multiply by the reciprocals of, worked out once before the rows. Each divide gate reads its
    /// result, an element of the output, going back: the first write of an output keeps nothing, so the rows run.
    /// </summary>
    [Differentiable]
    public static void Projection(ReadOnlySpan<double> p, double f, Span<double> uv)
    {
        double depth = p[2] + 0.5;
        uv[0] = f * p[0] / depth;
        uv[1] = f * p[1] / p[2];
    }

    /// <summary>
    /// An output element written, read, then written again: its first write keeps nothing (what it overwrote is the
    /// caller's), its second keeps the first's value, which the gates between read going back.
    /// </summary>
    [Differentiable]
    public static void OutputRewritten(ReadOnlySpan<double> x, Span<double> y)
    {
        y[0] = x[0] / x[1];
        y[1] = y[0] * x[2];
        y[0] = y[0] / x[2];
    }

    /// <summary>
    /// Two outputs of four elements and a scalar (reverse mode). Going back, the first contribution into each of a's
    /// elements and into w sets it — w's at the top, a[0] and a[1] in both arms of an if, a[2] and a[3] in a loop over
    /// constant bounds at an offset — so the Jacobian's rows are not cleared first (RowFirstWrites, issue 14).
    /// </summary>
    [Differentiable]
    public static void SetFirstInEveryRow(ReadOnlySpan<double> a, double w, Span<double> y)
    {
        double s = 0;
        for (int i = 0; i < 2; i++)
        {
            s += a[i + 2] * a[i + 2];
        }

        double t;
        if (a[0] > 0)
        {
            t = a[0] * a[1];
        }
        else
        {
            t = a[1] - a[0];
        }

        y[0] = w * (t + s);
        y[1] = Math.Sin(w) * t;
    }

    /// <summary>A near miss of <see cref="SetFirstInEveryRow"/>: w and a[2] are reached in one arm only, so no pass surely sets them and the rows are cleared.</summary>
    [Differentiable]
    public static void SetInOneArmOnly(ReadOnlySpan<double> a, double w, Span<double> y)
    {
        double t;
        if (a[1] > 0)
        {
            t = a[0] * a[2];
        }
        else
        {
            t = a[0] * w;
        }

        y[0] = t + a[1];
        y[1] = a[1] * t;
    }

    /// <summary>A near miss of <see cref="SetFirstInEveryRow"/>: a loop up to a's length (not a constant) adds into every element but a[0], which a contribution before it set; the rows are cleared when a has more than one element.</summary>
    [Differentiable]
    public static void SummedOverItsLength(ReadOnlySpan<double> a, double w, Span<double> y)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * a[i];
        }

        y[0] = w * s;
        y[1] = s + a[0];
    }
}
