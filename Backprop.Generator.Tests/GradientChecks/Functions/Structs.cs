using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>A particle's state: a positional record struct.</summary>
public record struct Particle(double X, double V);

/// <summary>A camera's intrinsics: given, never differentiated ([NoDiff] where a method takes it).</summary>
public readonly record struct Camera(double Focal, double Offset);

/// <summary>A point or velocity in the plane, with operators of its own that the generator reads in place.</summary>
public record struct Vec2(double X, double Y)
{
    [Differentiable]
    public static Vec2 operator +(Vec2 a, Vec2 b) => new(a.X + b.X, a.Y + b.Y);

    [Differentiable]
    public static Vec2 operator -(Vec2 a) => new(-a.X, -a.Y);

    [Differentiable]
    public static Vec2 operator *(double k, Vec2 a) => new(k * a.X, k * a.Y);

    /// <summary>The dot product, a number.</summary>
    [Differentiable]
    public static double operator *(Vec2 a, Vec2 b) => (a.X * b.X) + (a.Y * b.Y);

    /// <summary>An instance method that reads <c>this</c>.</summary>
    [Differentiable]
    public readonly double Dot(Vec2 other) => (X * other.X) + (Y * other.Y);

    /// <summary>An instance method that changes <c>this</c>.</summary>
    [Differentiable]
    public void Scale(double k)
    {
        X *= k;
        Y = Y * k;
    }
}

/// <summary>A ball: structs inside a struct, and a number beside them.</summary>
public record struct Ball(Vec2 Position, Vec2 Velocity, double Mass);

/// <summary>A partial struct: its [Differentiable] method is differentiated on its own (its field a constant to it) and read in place where it is called on a struct.</summary>
public partial struct Gain
{
    public double K;

    [Differentiable]
    public readonly double Apply(double x) => K * Math.Sin(x);
}

/// <summary>A plain struct with public fields, one of them an integer that carries no gradient.</summary>
public struct Sample3
{
    public double A;
    public double B;
    public int Count;
}

/// <summary>A float vector with auto-properties and no constructor: made with an object initializer.</summary>
public struct Vec2F
{
    public float X { get; set; }

    public float Y { get; set; }
}

/// <summary>
/// Struct locals (issue 13): a local of a value type whose fields are numbers is a local for each field (<c>p.X</c> is
/// <c>pX</c>), made with a record's constructor, an object initializer, <c>default</c> or <c>with</c>, copied, and read
/// and written field by field.
/// </summary>
public static partial class Structs
{
    /// <summary>
    /// An operator read in place whose argument calls it again (a + (2a + b)): every argument is read before the
    /// operator's parameters are bound, so the inner reading does not unbind the outer one's.
    /// </summary>
    [Differentiable, Sample(-1, 1)]
    public static double NestedSameOperator(double x, double y)
    {
        var a = new Vec2(x, y);
        var s = a + ((2.0 * a) + new Vec2(y, 1.0));
        return s * (a + (a + s));
    }

    /// <summary>Leapfrog steps of a spring: a record struct made with its constructor and replaced each step with <c>with</c>.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double Spring(double x0, double k)
    {
        var p = new Particle(x0, 0.0);
        for (int i = 0; i < 6; i++)
        {
            var v = p.V - (0.1 * k * p.X);
            p = p with { X = p.X + (0.1 * v), V = v };
        }

        return (p.X * p.X) + (0.5 * p.V * p.V);
    }

    /// <summary>Fields written one at a time, a compound assignment, an integer field, and a copy that keeps the old values.</summary>
    [Differentiable, Sample(-2, 2)]
    public static double FieldByField(double x, double y)
    {
        Sample3 s = default;
        s.A = x * y;
        s.B = Math.Sin(x);
        s.Count = 2;
        var before = s;
        s.A += s.B * s.Count;
        s.B = before.A;
        return (s.A * before.B) + s.B;
    }

    /// <summary>A float struct made with an object initializer, then swapped with a second one through a third.</summary>
    [Differentiable, Sample(-1.5, 1.5)]
    public static float Initializers(float x, float y)
    {
        var a = new Vec2F { X = x * y, Y = MathF.Exp(x) };
        var b = new Vec2F { Y = y };
        var t = a;
        a = b;
        b = t;
        return (a.X * 3) + a.Y + (b.X * b.Y);
    }

    /// <summary>A leapfrog step as a helper: takes a particle and returns the next one (read in place where it is called).</summary>
    [Differentiable]
    private static Particle Step(Particle p, double k, double dt)
    {
        var v = p.V - (dt * k * p.X);
        return new Particle(p.X + (dt * v), v);
    }

    /// <summary>The spring again, each step a call of a helper that takes and returns the struct.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double SpringThroughHelper(double x0, double v0, double k)
    {
        var p = new Particle(x0, v0);
        for (int i = 0; i < 5; i++)
        {
            p = Step(p, k, 0.1);
        }

        return p.X * p.V;
    }

    /// <summary>A helper that writes a field of its struct parameter: its own copy, as C# passes a struct by value.</summary>
    [Differentiable]
    private static double Damped(Particle p, double c)
    {
        p.V *= c;
        return p.X + p.V;
    }

    /// <summary>The caller's particle keeps its velocity after <see cref="Damped"/> scaled the copy's.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double CopiedWhenPassed(double x, double c)
    {
        var p = new Particle(x, x * x);
        var a = Damped(p, c);
        return a * p.V;
    }

    /// <summary>A pinhole projection with given intrinsics: the camera's fields are read as values no gradient flows through.</summary>
    [Differentiable]
    public static double Project(double x, double z, [NoDiff] Camera camera) => (camera.Focal * x / z) + camera.Offset;

    /// <summary>A struct parameter that takes a gradient: its derivative is a <see cref="Particle"/>, <c>dp</c>.</summary>
    [Differentiable]
    public static double Energy(Particle p, double k) => 0.5 * ((p.V * p.V) + (k * p.X * p.X));

    /// <summary>A struct parameter copied into a local, stepped through a helper in a loop, with an integer field beside it.</summary>
    [Differentiable]
    public static double Flight(Particle start, Sample3 weights, double k)
    {
        var p = start;
        for (int i = 0; i < 4; i++)
        {
            p = Step(p, k, 0.1);
        }

        return (weights.A * p.X * p.X) + (weights.B * p.V * weights.Count);
    }

    /// <summary>A method with a struct parameter, called from another: the call is read in place.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double CallsEnergy(double x, double k)
    {
        var p = new Particle(x, 2 * x);
        return Energy(p, k) + Energy(new Particle(k, x), 1.5);
    }

    /// <summary>A method whose body holds a struct local, called from another: read in place, its struct local a local per field there too.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double CallsFlight(double x, double k) => Flight(new Particle(x, k), new Sample3 { A = x, B = 2, Count = 2 }, k);

    /// <summary>Structs inside a struct: a struct field set whole, read whole into a local, replaced with <c>with</c>, and read through.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double NestedFields(double x, double y)
    {
        var b = new Ball(new Vec2(x, y), default, 2.0);
        b.Velocity = new Vec2(y * x, Math.Sin(x));
        var v = b.Velocity;
        b.Position = b.Position with { X = b.Position.X + (0.1 * v.X) };
        b = b with { Mass = b.Mass * y };
        return (b.Position.X * b.Velocity.Y) + (b.Mass * v.X) + b.Position.Y;
    }

    /// <summary>A struct parameter with structs inside: its derivative is a <see cref="Ball"/> too.</summary>
    [Differentiable]
    public static double BallEnergy(Ball b, double g) =>
        (0.5 * b.Mass * ((b.Velocity.X * b.Velocity.X) + (b.Velocity.Y * b.Velocity.Y))) + (b.Mass * g * b.Position.Y);

    /// <summary>Operators of a struct of one's own, marked [Differentiable]: read in place where they are used, in a loop.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double Operators(double x, double y)
    {
        var p = new Vec2(x, y);
        var v = new Vec2(y, -x);
        for (int i = 0; i < 3; i++)
        {
            p = p + (0.1 * v);
            v = -v + (Math.Sin(x) * p);
        }

        return (p * v) + (p * p);
    }

    /// <summary>A [NoDiff] struct parameter's struct field passed to an operator: its fields are given values.</summary>
    [Differentiable]
    public static double Shifted(double x, [NoDiff] Ball ball)
    {
        var p = new Vec2(x, x * x) + ball.Position;
        return (p * p) + (ball.Mass * x);
    }

    /// <summary>Instance methods of a struct of one's own: one that changes it (on a local and on its copy), one that reads it, also on a struct made where it is called.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double InstanceMethods(double x, double y)
    {
        var v = new Vec2(x, y);
        v.Scale(1.5);
        var w = v;
        w.Scale(x);
        return v.Dot(w) + new Vec2(y, 1).Dot(v);
    }

    /// <summary>A helper that changes its struct parameter through a method: its own copy, as C# passes a struct by value.</summary>
    [Differentiable]
    private static double ScaledNorm(Vec2 p, double k)
    {
        p.Scale(k);
        return p.Dot(p);
    }

    /// <summary>The caller's struct keeps its values after <see cref="ScaledNorm"/> scaled the copy.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double PassedAndScaled(double x, double y)
    {
        var v = new Vec2(x, y);
        var n = ScaledNorm(v, 2);
        return n + (v.X * y);
    }

    /// <summary>A partial struct's method called on a struct local: read in place, so the gradient reaches the field.</summary>
    [Differentiable, Sample(-1, 1)]
    public static double GainThroughLocal(double k, double x)
    {
        var g = new Gain { K = k * k };
        return g.Apply(x) + g.K;
    }
}

/// <summary>A polynomial in powers of (x − Shift): a struct with an array field (issue 13).</summary>
public record struct Polynomial(double[] Coefficients, double Shift);

/// <summary>Structs with an array field: a parameter whose gradient is a struct of the same type, the array's element by element.</summary>
public static partial class ArrayStructs
{
    /// <summary>Σ c[i]·(x − shift)^i, read through the struct's array field.</summary>
    [Differentiable]
    public static double Evaluate(Polynomial p, double x)
    {
        double sum = 0.0;
        double power = 1.0;
        for (int i = 0; i < p.Coefficients.Length; i++)
        {
            sum += p.Coefficients[i] * power;
            power *= x - p.Shift;
        }

        return sum;
    }

    /// <summary>The struct passed on to a [Differentiable] method (read in place), and a sin of one coefficient.</summary>
    [Differentiable]
    public static double Squared(Polynomial p, double x) => (Evaluate(p, x) * Evaluate(p, 0.5 * x)) + Math.Sin(p.Coefficients[0]);

    /// <summary>Struct locals with an array field: made with the array parameter, copied with <c>with</c>, passed on.</summary>
    [Differentiable]
    public static double Locals(double[] c, double x)
    {
        var p = new Polynomial(c, 0.5);
        var q = p with { Shift = x };
        return Evaluate(q, x * x) + (q.Coefficients[1] * p.Coefficients.Length);
    }

    /// <summary>A struct with an array returned by a helper (the same array, another shift) and held in a local.</summary>
    [Differentiable]
    public static double ThroughAHelper(Polynomial p, double x)
    {
        var q = Shifted(p, x);
        return Evaluate(q, 1.5) * q.Shift;
    }

    [Differentiable]
    private static Polynomial Shifted(Polynomial p, double s) => p with { Shift = p.Shift + s };

    /// <summary>A [NoDiff] struct's array is read as given.</summary>
    [Differentiable]
    public static double Weighted(double x, [NoDiff] Polynomial weights) => (weights.Coefficients[1] * x * x) + (weights.Shift * x);
}
