using System;
using System.Globalization;
using System.IO;
using System.Numerics;
using Projectile;

// Throw a ball through air so that it is at a target after a given time: fit the speed and angle of the throw by
// gradient descent, the gradient taken through every step of the simulation by the generated MissFromThrowGradient.
//   dotnet run -c Release --project samples/Projectile [-- --target 12,3 --seconds 1.5 --drag 0.05 --plot path.png]
var options = Options.Parse(args);
if (options is null)
{
    return 2;
}

var (target, steps, drag) = (new Vec2(options.TargetX, options.TargetY), options.Steps, options.Drag);
Console.WriteLine($"Target ({target.X} m, {target.Y} m) after {steps} steps of {Flight.Dt} s, drag {drag} per metre.");

// The gradient the generator wrote, against central differences, before it is trusted with the fit.
var (speed, angle) = (8.0, 0.3);
var worst = GradientCheck(speed, angle);
Console.WriteLine($"Gradient check at speed {speed} m/s, angle {angle} rad: largest relative difference from central differences {worst:E1}.");
if (worst > 1e-6)
{
    Console.Error.WriteLine("The gradient disagrees with finite differences: stopping.");
    return 1;
}

// The derivative of the miss with respect to the whole starting state is a Body too.
Flight.MissGradient(Flight.Launch(speed, angle), drag, steps, target, out Body dstart, out var ddrag);
Console.WriteLine($"∂miss/∂start = {dstart} (a Body, as the start is); ∂miss/∂drag = {ddrag:F3}");

var before = (speed, angle);
var adam = new Adam(speedRate: 0.1, angleRate: 0.01);
const int Iterations = 400;
double miss = 0;
for (var i = 0; i <= Iterations; i++)
{
    miss = Flight.MissFromThrowGradient(speed, angle, drag, steps, target, out var dspeed, out var dangle);
    if (i % 50 == 0 || i == Iterations)
    {
        Console.WriteLine($"iteration {i,3}: speed {speed,7:F3} m/s, angle {angle,6:F4} rad, miss {Math.Sqrt(miss):F4} m");
    }

    if (miss < 1e-10)
    {
        Console.WriteLine($"iteration {i,3}: on target (miss {Math.Sqrt(miss):E1} m)");
        break;
    }

    (speed, angle) = adam.Step(speed, angle, dspeed, dangle);
}

Console.WriteLine($"Thrown at {speed:F3} m/s, {angle * 180 / Math.PI:F2}°: the ball ends {Math.Sqrt(miss) * 1000:F2} mm from the target.");
Trajectories.Plot(options.PlotPath, before, (speed, angle), drag, steps, target);
Console.WriteLine($"Trajectories before and after the fit: {options.PlotPath}");
var spun = FitSpin();
return Math.Sqrt(miss) < 0.01 && spun ? 0 : 1;

// A spinning body, written with System.Numerics' Vector3 and Quaternion: find the angular velocity that turns a point
// of the body, (1, 0, 0), onto (0, 0.6, 0.8) in one second; the gradient of the miss is a Vector3, dω.
static bool FitSpin()
{
    var (marker, goal, seconds) = (Vector3.UnitX, new Vector3(0, 0.6f, 0.8f), 1f);
    var steps = (int)MathF.Round(seconds / Spin.Dt);
    var omega = new Vector3(0.3f, 0.2f, 0.1f);
    Console.WriteLine();
    Console.WriteLine($"A body spinning for {seconds} s ({steps} quaternion steps): find ω that turns its point {marker} onto {goal}.");

    // The generated SpinGradient against central differences first (in float: a step of 1e-2 rad/s).
    Spin.MissGradient(omega, steps, marker, goal, out Vector3 check);
    const float H = 1e-2f;
    Vector3 Difference(Vector3 along) => along * ((Spin.Miss(omega + (H * along), steps, marker, goal) - Spin.Miss(omega - (H * along), steps, marker, goal)) / (2 * H));
    var differences = Difference(Vector3.UnitX) + Difference(Vector3.UnitY) + Difference(Vector3.UnitZ);
    var worst = (check - differences).Length() / MathF.Max(1, differences.Length());
    Console.WriteLine($"Gradient check at ω = {omega}: dω = {check}, central differences {differences}, relative difference {worst:E1}.");
    if (worst > 1e-2f)
    {
        Console.Error.WriteLine("The spin's gradient disagrees with finite differences: stopping.");
        return false;
    }

    float spinMiss = 0;
    var (m, v) = (Vector3.Zero, Vector3.Zero);
    for (var t = 1; t <= 500; t++)
    {
        spinMiss = Spin.MissGradient(omega, steps, marker, goal, out Vector3 domega);
        if (spinMiss < 1e-8f)
        {
            break;
        }

        // Adam, rate 0.05 rad/s.
        (m, v) = ((0.9f * m) + (0.1f * domega), (0.999f * v) + (0.001f * domega * domega));
        var (c1, c2) = (1 - MathF.Pow(0.9f, t), 1 - MathF.Pow(0.999f, t));
        omega -= 0.05f * (m / c1) / (Vector3.SquareRoot(v / c2) + new Vector3(1e-8f));
        if (t % 100 == 0)
        {
            Console.WriteLine($"iteration {t,3}: ω {omega}, miss {MathF.Sqrt(spinMiss):F4}");
        }
    }

    var landed = Vector3.Transform(marker, Quaternion.CreateFromAxisAngle(Vector3.Normalize(omega), omega.Length() * seconds));
    Console.WriteLine($"Spun at ω = {omega} rad/s: the point ends {MathF.Sqrt(spinMiss):E1} from the goal, on a sphere of radius 1 (the exact rotation of ω·t puts it at {landed}).");
    return MathF.Sqrt(spinMiss) < 0.01f;
}

double GradientCheck(double s, double a)
{
    Flight.MissFromThrowGradient(s, a, drag, steps, target, out var ds, out var da);
    const double H = 1e-6;
    var fs = (Flight.MissFromThrow(s + H, a, drag, steps, target) - Flight.MissFromThrow(s - H, a, drag, steps, target)) / (2 * H);
    var fa = (Flight.MissFromThrow(s, a + H, drag, steps, target) - Flight.MissFromThrow(s, a - H, drag, steps, target)) / (2 * H);
    return Math.Max(Math.Abs(ds - fs) / Math.Max(1, Math.Abs(fs)), Math.Abs(da - fa) / Math.Max(1, Math.Abs(fa)));
}

/// <summary>Adam on the two numbers of the throw: steps of about their rates (m/s, rad) whatever the gradient's scale.</summary>
internal sealed class Adam(double speedRate, double angleRate)
{
    private double _m0, _m1, _v0, _v1;
    private int _t;

    public (double Speed, double Angle) Step(double speed, double angle, double dspeed, double dangle)
    {
        _t++;
        (_m0, _m1) = ((0.9 * _m0) + (0.1 * dspeed), (0.9 * _m1) + (0.1 * dangle));
        (_v0, _v1) = ((0.999 * _v0) + (0.001 * dspeed * dspeed), (0.999 * _v1) + (0.001 * dangle * dangle));
        var (c1, c2) = (1 - Math.Pow(0.9, _t), 1 - Math.Pow(0.999, _t));
        return (speed - (speedRate * _m0 / c1 / (Math.Sqrt(_v0 / c2) + 1e-12)), angle - (angleRate * _m1 / c1 / (Math.Sqrt(_v1 / c2) + 1e-12)));
    }
}

/// <summary>The command line: where the target is, after how long, how much drag, where the picture goes.</summary>
internal sealed record Options(double TargetX, double TargetY, int Steps, double Drag, string PlotPath)
{
    public static Options? Parse(string[] args)
    {
        var options = new Options(12, 3, 150, 0.05, Path.Combine(Path.GetTempPath(), "projectile.png"));
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            try
            {
                options = args[i] switch
                {
                    "--target" => Value().Split(',') is [var x, var y]
                        ? options with { TargetX = double.Parse(x, CultureInfo.InvariantCulture), TargetY = double.Parse(y, CultureInfo.InvariantCulture) }
                        : throw new FormatException("--target takes two numbers, X,Y in metres (--target 12,3)"),
                    "--seconds" => options with { Steps = (int)Math.Round(double.Parse(Value(), CultureInfo.InvariantCulture) / Flight.Dt) },
                    "--drag" => options with { Drag = double.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--plot" => options with { PlotPath = Value() },
                    _ => throw new FormatException($"unknown option '{args[i]}' (use --target X,Y --seconds T --drag C --plot file.png)"),
                };
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine(e.Message);
                return null;
            }
        }

        if (options.Steps < 1 || options.Drag < 0)
        {
            Console.Error.WriteLine("--seconds must be at least one step (0.01 s) and --drag at least 0");
            return null;
        }

        return options;
    }
}
