using System;
using Backprop;

namespace Projectile;

/// <summary>
/// A ball thrown through air that slows it (drag proportional to the square of its speed), simulated step by step.
/// Every method here is written with <see cref="Body"/> and <see cref="Vec2"/> values; the generator differentiates
/// through all the steps.
/// </summary>
public static partial class Flight
{
    public const double Gravity = 9.81;

    /// <summary>Time step of the simulation, in seconds.</summary>
    public const double Dt = 0.01;

    /// <summary>The ball as it leaves the hand: at the origin, <paramref name="speed"/> m/s at <paramref name="angle"/> radians.</summary>
    [Differentiable]
    public static Body Launch(double speed, double angle) => new(new Vec2(0, 0), new Vec2(speed * Math.Cos(angle), speed * Math.Sin(angle)));

    /// <summary>One step of semi-implicit Euler: the velocity first (gravity and drag), then the position with the new velocity.</summary>
    [Differentiable]
    public static Body Step(Body b, double drag)
    {
        var v = b.Velocity;
        var acceleration = (-drag * Vec2.Length(v) * v) - new Vec2(0, Gravity);
        var velocity = v + (Dt * acceleration);
        return new Body(b.Position + (Dt * velocity), velocity);
    }

    /// <summary>Squared distance, in m², between the ball after <paramref name="steps"/> steps and the target (its derivative: a Body and a drag).</summary>
    [Differentiable]
    public static double Miss(Body start, double drag, int steps, [NoDiff] Vec2 target)
    {
        var b = start;
        for (int i = 0; i < steps; i++)
        {
            b = Step(b, drag);
        }

        var off = b.Position - target;
        return off * off;
    }

    /// <summary>The same miss, as a function of how the ball is thrown: what the fit adjusts.</summary>
    [Differentiable]
    public static double MissFromThrow(double speed, double angle, [NoDiff] double drag, int steps, [NoDiff] Vec2 target) =>
        Miss(Launch(speed, angle), drag, steps, target);
}
