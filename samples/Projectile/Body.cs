namespace Projectile;

/// <summary>Where a ball is and how fast it moves, in metres and metres per second.</summary>
public readonly record struct Body(double X, double Y, double Vx, double Vy);
