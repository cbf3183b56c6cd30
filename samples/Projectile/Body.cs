using System;
using Backprop;

namespace Projectile;

/// <summary>A point, velocity or acceleration in the plane, with the operators a simulation needs.</summary>
/// <remarks>The operators are [Differentiable]: the generator reads them in place wherever a differentiated method uses them.</remarks>
public readonly partial record struct Vec2(double X, double Y)
{
    [Differentiable]
    public static Vec2 operator +(Vec2 a, Vec2 b) => new(a.X + b.X, a.Y + b.Y);

    [Differentiable]
    public static Vec2 operator -(Vec2 a, Vec2 b) => new(a.X - b.X, a.Y - b.Y);

    [Differentiable]
    public static Vec2 operator *(double k, Vec2 a) => new(k * a.X, k * a.Y);

    /// <summary>The dot product.</summary>
    [Differentiable]
    public static double operator *(Vec2 a, Vec2 b) => (a.X * b.X) + (a.Y * b.Y);

    /// <summary>The length; the generator writes LengthGradient(Vec2 a, out Vec2 da) for it too.</summary>
    [Differentiable]
    public static double Length(Vec2 a) => Math.Sqrt(a * a);
}

/// <summary>Where a ball is and how fast it moves, in metres and metres per second.</summary>
public readonly record struct Body(Vec2 Position, Vec2 Velocity);
