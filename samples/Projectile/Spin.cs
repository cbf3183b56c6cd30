using System.Numerics;
using Backprop;

namespace Projectile;

/// <summary>
/// A body spinning at a constant angular velocity, its orientation a <see cref="Quaternion"/> stepped through time: the
/// same kind of fit as the throw, written with the System.Numerics types users already have (Vector3, Quaternion), which
/// the generator reads through the definitions Backprop brings.
/// </summary>
public static partial class Spin
{
    /// <summary>Time step, in seconds.</summary>
    public const float Dt = 0.01f;

    /// <summary>One step: the orientation turned by the small rotation ω·dt (as a quaternion), kept of unit length.</summary>
    [Differentiable]
    public static Quaternion Step(Quaternion orientation, Vector3 omega)
    {
        var turn = new Quaternion(0.5f * Dt * omega, 1f);
        return Quaternion.Normalize(turn * orientation);
    }

    /// <summary>
    /// Squared distance between where a point fixed in the body (<paramref name="marker"/>) is after
    /// <paramref name="steps"/> steps at angular velocity <paramref name="omega"/> (rad/s), and <paramref name="target"/>;
    /// its derivative with respect to <paramref name="omega"/> is a Vector3.
    /// </summary>
    [Differentiable]
    public static float Miss(Vector3 omega, int steps, [NoDiff] Vector3 marker, [NoDiff] Vector3 target)
    {
        var orientation = Quaternion.Identity;
        for (int i = 0; i < steps; i++)
        {
            orientation = Step(orientation, omega);
        }

        return Vector3.DistanceSquared(Vector3.Transform(marker, orientation), target);
    }
}
