using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// One bundle adjustment problem of ADBench's sizes: n cameras, m points, p observations. ADBench's files hold one
/// camera, one point, one weight and one feature that its reader copies to all of them, and observation i sees camera
/// i mod n and point i mod m; here every camera, point, weight and feature is drawn from a seeded generator instead (the
/// work per observation is the same), so that the checks compare derivatives at many different points. Cameras look
/// down +z at points 3–6 units in front of them, through small rotations, with a focal length of a few hundred pixels
/// and slight radial distortion, as a real camera would.
/// </summary>
public sealed class BaProblem
{
    public BaProblem(int n, int m, int p, int seed = 20261202)
    {
        (N, M, P) = (n, m, p);
        var random = new Random(seed);
        double Uniform(double low, double high) => low + ((high - low) * random.NextDouble());

        Cams = new double[Ba.CameraParameters * n];
        for (var c = 0; c < n; c++)
        {
            var cam = Cams.AsSpan(Ba.CameraParameters * c, Ba.CameraParameters);
            for (var j = 0; j < 3; j++)
            {
                cam[j] = Uniform(-0.2, 0.2);      // rotation, radians
                cam[3 + j] = Uniform(-0.5, 0.5);  // centre
            }

            cam[6] = Uniform(300, 600);            // focal length
            cam[7] = Uniform(-5, 5);               // principal point
            cam[8] = Uniform(-5, 5);
            cam[9] = Uniform(-0.1, 0.1);           // radial distortion
            cam[10] = Uniform(-0.01, 0.01);
        }

        X = new double[3 * m];
        for (var i = 0; i < m; i++)
        {
            X[3 * i] = Uniform(-1, 1);
            X[(3 * i) + 1] = Uniform(-1, 1);
            X[(3 * i) + 2] = Uniform(3, 6);
        }

        W = new double[p];
        Obs = new int[2 * p];
        Features = new double[2 * p];
        for (var i = 0; i < p; i++)
        {
            W[i] = Uniform(0.5, 1.5);
            Obs[2 * i] = i % n;
            Obs[(2 * i) + 1] = i % m;
            Features[2 * i] = Uniform(-200, 200);
            Features[(2 * i) + 1] = Uniform(-200, 200);
        }
    }

    /// <summary>The number of cameras.</summary>
    public int N { get; }

    /// <summary>The number of points.</summary>
    public int M { get; }

    /// <summary>The number of observations.</summary>
    public int P { get; }

    /// <summary>The cameras, 11 numbers each.</summary>
    public double[] Cams { get; }

    /// <summary>The points, 3 numbers each.</summary>
    public double[] X { get; }

    /// <summary>Each observation's weight.</summary>
    public double[] W { get; }

    /// <summary>Each observation's camera and point index.</summary>
    public int[] Obs { get; }

    /// <summary>Each observation's measured feature (x, y).</summary>
    public double[] Features { get; }

    /// <summary>The camera observation <paramref name="i"/> is seen by.</summary>
    public ReadOnlySpan<double> Camera(int i) => Cams.AsSpan(Ba.CameraParameters * Obs[2 * i], Ba.CameraParameters);

    /// <summary>The point observation <paramref name="i"/> sees.</summary>
    public ReadOnlySpan<double> Point(int i) => X.AsSpan(3 * Obs[(2 * i) + 1], 3);

    public override string ToString() => $"n={N}, m={M}, p={P}";
}
