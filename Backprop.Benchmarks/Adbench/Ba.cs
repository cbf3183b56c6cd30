using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// ADBench's bundle adjustment objective (Šrajer, Kukelova, Fitzgibbon 2018, §4.2; microsoft/ADBench,
/// <c>src/cpp/shared/ba.h</c>), written in C# as a user would: one observation's reprojection error as a vector function
/// of its camera, its point and its weight, with every 3-vector on the stack. The generator writes its Jacobian
/// (<c>ReprojectionErrorJacobian</c>, 2 × 15), which is one block of the problem's sparse Jacobian.
/// </summary>
/// <remarks>
/// A camera is 11 numbers: an angle-axis rotation r (3), the centre C (3), the focal length f, the principal point
/// (u₀, v₀) and two radial distortion coefficients (k₁, k₂). A point X is projected as
/// Xcam = R(r)·(X − C), p = (Xcam₀, Xcam₁) / Xcam₂, distorted by L = 1 + k₁|p|² + k₂|p|⁴, then scaled and shifted:
/// proj = f·L·p + (u₀, v₀). The error is w·(proj − feature), and each weight has the error 1 − w².
/// </remarks>
public static partial class Ba
{
    /// <summary>The number of parameters of one camera.</summary>
    public const int CameraParameters = 11;

    /// <summary>The columns of one observation's Jacobian block: the camera's 11, the point's 3 and the weight.</summary>
    public const int BlockColumns = CameraParameters + 3 + 1;

    /// <summary>w·(proj − feature) for the point <paramref name="x"/> seen by the camera <paramref name="cam"/>.</summary>
    [Differentiable]
    public static void ReprojectionError(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, double w, [NoDiff] double featureX, [NoDiff] double featureY, Span<double> err)
    {
        Span<double> centred = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            centred[i] = x[i] - cam[3 + i];
        }

        Span<double> inCamera = stackalloc double[3];
        RotatePoint(cam.Slice(0, 3), centred, inCamera);

        double u = inCamera[0] / inCamera[2];
        double v = inCamera[1] / inCamera[2];
        double rsq = (u * u) + (v * v);
        double distortion = 1 + (cam[9] * rsq) + (cam[10] * rsq * rsq);
        err[0] = w * ((cam[6] * distortion * u) + cam[7] - featureX);
        err[1] = w * ((cam[6] * distortion * v) + cam[8] - featureY);
    }

    /// <summary>
    /// Rotates <paramref name="point"/> by the angle-axis vector <paramref name="rot"/> (Rodrigues' formula, in the form
    /// Ceres evaluates it), or to first order when the angle is zero.
    /// </summary>
    [Differentiable]
    public static void RotatePoint(ReadOnlySpan<double> rot, ReadOnlySpan<double> point, Span<double> rotated)
    {
        double sqTheta = Dot(rot, rot);
        if (sqTheta != 0)
        {
            double theta = Math.Sqrt(sqTheta);
            double cos = Math.Cos(theta);
            double sin = Math.Sin(theta);
            Span<double> axis = stackalloc double[3];
            for (int i = 0; i < 3; i++)
            {
                axis[i] = rot[i] / theta;
            }

            Span<double> axisCrossPoint = stackalloc double[3];
            Cross(axis, point, axisCrossPoint);
            double along = Dot(axis, point) * (1 - cos);
            for (int i = 0; i < 3; i++)
            {
                rotated[i] = (point[i] * cos) + (axisCrossPoint[i] * sin) + (axis[i] * along);
            }
        }
        else
        {
            Span<double> rotCrossPoint = stackalloc double[3];
            Cross(rot, point, rotCrossPoint);
            for (int i = 0; i < 3; i++)
            {
                rotated[i] = point[i] + rotCrossPoint[i];
            }
        }
    }

    /// <summary>a · b.</summary>
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    /// <summary>Writes a × b into c.</summary>
    [Differentiable]
    public static void Cross(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        c[0] = (a[1] * b[2]) - (a[2] * b[1]);
        c[1] = (a[2] * b[0]) - (a[0] * b[2]);
        c[2] = (a[0] * b[1]) - (a[1] * b[0]);
    }

    /// <summary>The objective: every observation's reprojection error (2 each) and every weight's error 1 − w².</summary>
    public static void Objective(BaProblem problem, Span<double> reprojectionErrors, Span<double> weightErrors)
    {
        for (int i = 0; i < problem.P; i++)
        {
            ReprojectionError(problem.Camera(i), problem.Point(i), problem.W[i], problem.Features[2 * i], problem.Features[(2 * i) + 1], reprojectionErrors.Slice(2 * i, 2));
            weightErrors[i] = 1 - (problem.W[i] * problem.W[i]);
        }
    }

    /// <summary>
    /// The sparse Jacobian's values, from the generated <c>ReprojectionErrorJacobian</c>: for each observation its
    /// 2 × 15 block (row-major: the camera's columns, the point's, then the weight's) in <paramref name="blocks"/>, and
    /// each weight error's derivative −2w in <paramref name="weightDerivatives"/>.
    /// </summary>
    public static void Jacobian(BaProblem problem, Span<double> reprojectionErrors, Span<double> weightErrors, Span<double> blocks, Span<double> weightDerivatives)
    {
        for (int i = 0; i < problem.P; i++)
        {
            ReprojectionErrorJacobian(problem.Camera(i), problem.Point(i), problem.W[i], problem.Features[2 * i], problem.Features[(2 * i) + 1], reprojectionErrors.Slice(2 * i, 2), blocks.Slice(2 * BlockColumns * i, 2 * BlockColumns));
            weightErrors[i] = 1 - (problem.W[i] * problem.W[i]);
            weightDerivatives[i] = -2 * problem.W[i];
        }
    }
}
