using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// The bundle adjustment Jacobian derived by hand, organised as ADBench's "Manual" derivative
/// (<c>src/cpp/modules/manual/ba_d.cpp</c>): one pass per observation that computes the rotation's two 3 × 3 Jacobians,
/// the projection's and the distortion's, and chains them into the 2 × 15 block with small matrix products — no tape.
/// The yardstick for the generated <see cref="Ba.Jacobian"/>; its blocks are laid out the same way (row-major: the
/// camera's 11 columns, the point's 3, the weight's).
/// </summary>
public static class BaManual
{
    /// <summary>The objective's values and the sparse Jacobian's, as <see cref="Ba.Jacobian"/> writes them.</summary>
    public static void Jacobian(BaProblem problem, Span<double> reprojectionErrors, Span<double> weightErrors, Span<double> blocks, Span<double> weightDerivatives)
    {
        for (int i = 0; i < problem.P; i++)
        {
            ReprojectionErrorJacobian(problem.Camera(i), problem.Point(i), problem.W[i], problem.Features[2 * i], problem.Features[(2 * i) + 1],
                reprojectionErrors.Slice(2 * i, 2), blocks.Slice(2 * Ba.BlockColumns * i, 2 * Ba.BlockColumns));
            weightErrors[i] = 1 - (problem.W[i] * problem.W[i]);
            weightDerivatives[i] = -2 * problem.W[i];
        }
    }

    /// <summary>One observation's error w·(proj − feature) and its 2 × 15 Jacobian block (row-major).</summary>
    public static void ReprojectionErrorJacobian(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, double w, double featureX, double featureY, Span<double> err, Span<double> jacobian)
    {
        const int columns = Ba.BlockColumns;
        Span<double> centred = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            centred[i] = x[i] - cam[3 + i];
        }

        // Xcam = R(r)·(X − C), with ∂Xcam/∂r and ∂Xcam/∂(X − C), 3 × 3 row-major each.
        Span<double> inCamera = stackalloc double[3];
        Span<double> byRotation = stackalloc double[9];
        Span<double> byPoint = stackalloc double[9];
        RotatePointJacobian(cam.Slice(0, 3), centred, inCamera, byRotation, byPoint);

        // p = (Xcam₀, Xcam₁) / Xcam₂, distorted by L = 1 + k₁|p|² + k₂|p|⁴.
        double inverseDepth = 1 / inCamera[2];
        double u = inCamera[0] * inverseDepth;
        double v = inCamera[1] * inverseDepth;
        double rsq = (u * u) + (v * v);
        double k1 = cam[9], k2 = cam[10], f = cam[6];
        double distortion = 1 + (k1 * rsq) + (k2 * rsq * rsq);
        double slope = (2 * k1) + (4 * k2 * rsq); // ∂L/∂p = slope·p

        // A = f·∂(L·p)/∂p·∂p/∂Xcam (2 × 3): ∂(L·p)/∂p = L·I + slope·p·pᵀ, ∂p/∂Xcam = [I/Xcam₂ | −p/Xcam₂].
        double d00 = distortion + (slope * u * u), d01 = slope * u * v, d11 = distortion + (slope * v * v);
        Span<double> a = stackalloc double[6];
        a[0] = f * d00 * inverseDepth;
        a[1] = f * d01 * inverseDepth;
        a[2] = -f * ((d00 * u) + (d01 * v)) * inverseDepth;
        a[3] = f * d01 * inverseDepth;
        a[4] = f * d11 * inverseDepth;
        a[5] = -f * ((d01 * u) + (d11 * v)) * inverseDepth;

        double projX = (f * distortion * u) + cam[7];
        double projY = (f * distortion * v) + cam[8];
        err[0] = w * (projX - featureX);
        err[1] = w * (projY - featureY);

        for (int row = 0; row < 2; row++)
        {
            Span<double> block = jacobian.Slice(row * columns, columns);
            double p = row == 0 ? u : v;
            for (int j = 0; j < 3; j++)
            {
                double rotation = 0, point = 0;
                for (int l = 0; l < 3; l++)
                {
                    rotation += a[(row * 3) + l] * byRotation[(l * 3) + j];
                    point += a[(row * 3) + l] * byPoint[(l * 3) + j];
                }

                block[j] = w * rotation;       // r
                block[3 + j] = -w * point;     // C
                block[11 + j] = w * point;     // X
            }

            block[6] = w * distortion * p;                 // f
            block[7] = row == 0 ? w : 0;                   // u₀
            block[8] = row == 0 ? 0 : w;                   // v₀
            block[9] = w * f * rsq * p;                    // k₁
            block[10] = w * f * rsq * rsq * p;             // k₂
            block[14] = row == 0 ? projX - featureX : projY - featureY; // w
        }
    }

    /// <summary>
    /// Rodrigues' rotation of <paramref name="point"/> by <paramref name="rot"/>, with its Jacobians by the rotation and
    /// by the point (3 × 3 row-major). With θ = |r|, w = r/θ: R·p = p cos θ + (w × p) sin θ + w (w·p)(1 − cos θ).
    /// </summary>
    private static void RotatePointJacobian(ReadOnlySpan<double> rot, ReadOnlySpan<double> point, Span<double> rotated, Span<double> byRotation, Span<double> byPoint)
    {
        double sqTheta = (rot[0] * rot[0]) + (rot[1] * rot[1]) + (rot[2] * rot[2]);
        if (sqTheta == 0)
        {
            // R·p ≈ p + r × p: ∂/∂r = −[p]×, ∂/∂p = I + [r]×.
            Span<double> rCrossP = stackalloc double[3];
            Ba.Cross(rot, point, rCrossP);
            for (int i = 0; i < 3; i++)
            {
                rotated[i] = point[i] + rCrossP[i];
            }

            CrossMatrix(point, -1, byRotation);
            CrossMatrix(rot, 1, byPoint);
            for (int i = 0; i < 3; i++)
            {
                byPoint[(i * 3) + i] += 1;
            }

            return;
        }

        double theta = Math.Sqrt(sqTheta);
        var (sin, cos) = Math.SinCos(theta);
        Span<double> w = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            w[i] = rot[i] / theta;
        }

        Span<double> wCrossP = stackalloc double[3];
        Ba.Cross(w, point, wCrossP);
        double wDotP = (w[0] * point[0]) + (w[1] * point[1]) + (w[2] * point[2]);
        for (int i = 0; i < 3; i++)
        {
            rotated[i] = (point[i] * cos) + (wCrossP[i] * sin) + (w[i] * wDotP * (1 - cos));
        }

        // ∂/∂p = cos θ·I + sin θ·[w]× + (1 − cos θ)·w wᵀ.
        CrossMatrix(w, sin, byPoint);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                byPoint[(i * 3) + j] += (1 - cos) * w[i] * w[j];
            }

            byPoint[(i * 3) + i] += cos;
        }

        // ∂/∂r = ∂/∂θ·wᵀ + ∂/∂w·(I − w wᵀ)/θ, where ∂/∂θ = −p sin θ + (w × p) cos θ + w (w·p) sin θ and
        // ∂/∂w = −sin θ·[p]× + (1 − cos θ)·(w pᵀ + (w·p)·I).
        Span<double> byAngle = stackalloc double[3];
        Span<double> byAxis = stackalloc double[9];
        CrossMatrix(point, -sin, byAxis);
        for (int i = 0; i < 3; i++)
        {
            byAngle[i] = (-point[i] * sin) + (wCrossP[i] * cos) + (w[i] * wDotP * sin);
            for (int j = 0; j < 3; j++)
            {
                byAxis[(i * 3) + j] += (1 - cos) * w[i] * point[j];
            }

            byAxis[(i * 3) + i] += (1 - cos) * wDotP;
        }

        for (int i = 0; i < 3; i++)
        {
            // (∂/∂w·(I − w wᵀ))ᵢⱼ = (∂/∂w)ᵢⱼ − ((∂/∂w)ᵢ·w) wⱼ
            double axisDotW = (byAxis[i * 3] * w[0]) + (byAxis[(i * 3) + 1] * w[1]) + (byAxis[(i * 3) + 2] * w[2]);
            for (int j = 0; j < 3; j++)
            {
                byRotation[(i * 3) + j] = (byAngle[i] * w[j]) + ((byAxis[(i * 3) + j] - (axisDotW * w[j])) / theta);
            }
        }
    }

    /// <summary>Writes scale·[v]× (the matrix of v × ·, row-major) into m.</summary>
    private static void CrossMatrix(ReadOnlySpan<double> v, double scale, Span<double> m)
    {
        m[0] = 0;
        m[1] = -scale * v[2];
        m[2] = scale * v[1];
        m[3] = scale * v[2];
        m[4] = 0;
        m[5] = -scale * v[0];
        m[6] = -scale * v[1];
        m[7] = scale * v[0];
        m[8] = 0;
    }
}
