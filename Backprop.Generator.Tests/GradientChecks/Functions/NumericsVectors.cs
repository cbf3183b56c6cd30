using System;
using System.Numerics;
using Backprop;

[assembly: Definitions(typeof(Plane), typeof(Backprop.Generator.Tests.GradientChecks.Functions.PlaneDefinitions))]

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// System.Numerics' vectors (issue 13): their constructors, operators and functions are read through the definitions
/// Backprop brings, so a method written with the vectors users already have differentiates.
/// </summary>
public static partial class NumericsVectors
{
    /// <summary>Constructors, operators, Dot, Cross, Normalize, Length and Distance of Vector3, and a field written.</summary>
    [Differentiable, Sample(-1, 1)]
    public static float Vector3Functions(float x, float y)
    {
        var a = new Vector3(x, y, 1f);
        var b = new Vector3(y, x * x, -x);
        var c = Vector3.Cross(a, b) + (2f * a) - (b / 3f);
        c.Z += a.X * b.Y;
        return Vector3.Dot(c, a) + Vector3.Normalize(b).Y + (a.Length() * Vector3.Distance(a, -b));
    }

    /// <summary>A Vector2 stepped in a loop: scalar and componentwise products, a vector made of one value.</summary>
    [Differentiable, Sample(-1, 1)]
    public static float Vector2Steps(float x, float k)
    {
        var p = new Vector2(x, 1f);
        var target = new Vector2(k, x * k);
        for (int i = 0; i < 4; i++)
        {
            p = (0.7f * p) + (0.3f * (target * p)) - new Vector2(0.1f);
        }

        return p.LengthSquared() + p.X;
    }

    /// <summary>Vector4: constructors (of a Vector3 and a w too), operators, Dot, Normalize, Length, Distance, Transform by a matrix.</summary>
    [Differentiable, Sample(-1, 1, ValueTolerance = 1e-6)]
    public static float Vector4Functions(float x, float y)
    {
        var a = new Vector4(x, y, x * y, 1f);
        var b = new Vector4(new Vector3(y, 2f, -x), x);
        var c = (a * (a + b)) - (b / 2f) + (0.5f * -a);
        var moved = Vector4.Transform(c, Matrix4x4.CreateRotationZ(x));
        return Vector4.Dot(c, a) + Vector4.Normalize(b).W + (a.Length() * Vector4.Distance(a, b)) + moved.Y;
    }
}

/// <summary>The named and componentwise functions of the vectors: Add…Negate, Lerp, Min, Max, Clamp, Abs, SquareRoot, Reflect.</summary>
public static partial class NumericsVectorFunctions
{
    [Differentiable, Sample(-1, 1, ValueTolerance = 1e-6)]
    public static float Componentwise(float x, float y)
    {
        var a = new Vector3(x, y, 0.5f);
        var b = Vector3.Add(new Vector3(y, 2f, -x), Vector3.Multiply(0.5f, a));
        var c = Vector3.Lerp(a, b, 0.3f) + Vector3.Max(a, b) - Vector3.Min(a, Vector3.Negate(b));
        var d = Vector3.Clamp(c, new Vector3(-0.5f), new Vector3(0.8f)) + Vector3.Abs(b) + Vector3.SquareRoot(Vector3.Abs(a) + Vector3.One);
        var e = Vector3.Reflect(d, Vector3.Normalize(new Vector3(1f, x, 2f)));
        var f = Vector2.Lerp(new Vector2(x, y), Vector2.Subtract(new Vector2(1f, x), new Vector2(y)), y) + Vector2.Reflect(new Vector2(y, 1f), Vector2.UnitY);
        var g = Vector4.Divide(Vector4.Max(new Vector4(x, y, 1f, 2f), new Vector4(y)), 2f);
        return e.X + (2f * e.Y) + e.Z + f.X + (f.Y * g.W) + g.X;
    }
}

/// <summary>System.Numerics' Quaternion and Matrix4x4 (issue 13): rotations and transforms, read through Backprop's definitions.</summary>
public static partial class NumericsRotations
{
    /// <summary>A vector rotated about an axis by a quaternion, and back by its inverse; a product, a conjugate, a normalised sum.</summary>
    [Differentiable, Sample(-1.5, 1.5, ValueTolerance = 1e-5)]
    public static float QuaternionRotation(float angle, float tilt)
    {
        var axis = Vector3.Normalize(new Vector3(1f, tilt, 0.5f));
        var q = Quaternion.CreateFromAxisAngle(axis, angle);
        var p = Quaternion.CreateFromAxisAngle(Vector3.UnitZ, tilt * angle);
        var turned = Vector3.Transform(new Vector3(tilt, 1f, 2f), q * p);
        var back = Vector3.Transform(turned, Quaternion.Inverse(q * p));
        var r = Quaternion.Normalize(q + Quaternion.Conjugate(p));
        return turned.X + (2f * back.Y) + (r.W * turned.Z) + Quaternion.Dot(q, p) + (q * 2f).Length();
    }

    /// <summary>A point through rotations, a translation and a scale; a product, a transpose, the translation read back, a quaternion's matrix.</summary>
    [Differentiable, Sample(-1.5, 1.5, ValueTolerance = 1e-5)]
    public static float MatrixTransforms(float angle, float shift)
    {
        var m = Matrix4x4.CreateRotationZ(angle) * Matrix4x4.CreateTranslation(shift, 1f, 2f) * Matrix4x4.CreateScale(1.5f);
        var n = (Matrix4x4.CreateRotationX(shift) * Matrix4x4.CreateRotationY(angle * shift)) + Matrix4x4.Identity;
        var point = Vector3.Transform(new Vector3(shift, 1f, angle), m * Matrix4x4.Transpose(n));
        var normal = Vector3.TransformNormal(Vector3.UnitY, m);
        var r = Matrix4x4.CreateFromQuaternion(Quaternion.CreateFromAxisAngle(Vector3.UnitX, angle));
        return point.X + (point.Y * normal.Z) + m.Translation.X + r.M23 + (n * 0.5f).M12;
    }

    /// <summary>A quaternion from yaw, pitch and roll, blended with Lerp (both signs of the dot product); a matrix Lerp and the named operations.</summary>
    [Differentiable, Sample(-1.5, 1.5, ValueTolerance = 1e-5)]
    public static float Blends(float yaw, float pitch)
    {
        var q = Quaternion.CreateFromYawPitchRoll(yaw, pitch, 0.3f);
        var p = Quaternion.Negate(Quaternion.CreateFromAxisAngle(Vector3.UnitY, pitch));
        var blend = Quaternion.Lerp(q, p, 0.4f);
        var other = Quaternion.Lerp(q, Quaternion.Multiply(p, -1f), 0.4f);
        var m = Matrix4x4.Lerp(Matrix4x4.CreateRotationX(yaw), Matrix4x4.Multiply(Matrix4x4.CreateScale(2f), 0.5f), pitch * 0.3f);
        var moved = Vector3.Transform(new Vector3(1f, 2f, 3f), Quaternion.Add(blend, other) * Quaternion.Subtract(q, p));
        return moved.X + (2f * moved.Z) + blend.W + other.X + m.M22 + m.M23;
    }

    /// <summary>Slerp, both signs of the dot product, and a determinant (the instance method GetDeterminant).</summary>
    [Differentiable, Sample(-1.5, 1.5, ValueTolerance = 1e-5)]
    public static float SlerpAndDeterminant(float yaw, float pitch)
    {
        var q = Quaternion.CreateFromYawPitchRoll(yaw, pitch, 0.3f);
        var p = Quaternion.CreateFromAxisAngle(Vector3.UnitZ, pitch * yaw);
        var near = Quaternion.Slerp(q, p, 0.3f);
        var far = Quaternion.Slerp(q, -p, 0.6f);
        var m = Matrix4x4.CreateRotationX(yaw) * Matrix4x4.CreateScale(1f + (0.2f * pitch), 2f, 1.5f) + Matrix4x4.CreateTranslation(pitch, 1f, yaw);
        m.M14 = 0.3f * yaw;
        return near.X + (2f * near.W) + far.Y - far.Z + m.GetDeterminant();
    }
}

/// <summary>System.Numerics' Complex (issue 13): held as its Real and Imaginary, read through Backprop's definitions.</summary>
public static partial class NumericsComplex
{
    /// <summary>Arithmetic (with doubles too), Smith's division both ways, Exp, Log, Sin, Cos, Abs, Magnitude and Phase.</summary>
    [Differentiable, Sample(0.2, 1.5)]
    public static double ComplexFunctions(double re, double im)
    {
        var z = new Complex(re, im);
        var w = (z * z) + (1.0 / z) - (Complex.Exp(z) / (2.0 + z)) + (z / new Complex(im, re));
        var v = (Complex.Log(w) * Complex.Conjugate(z)) - Complex.Sin(z * 0.5) + Complex.Cos(-z);
        return w.Real + (v.Imaginary * Complex.Abs(z)) + z.Magnitude + w.Phase;
    }

    /// <summary>A Complex parameter (its gradient a Complex, dz): |exp(z)·w + z²|² with a Complex weight.</summary>
    [Differentiable]
    public static double ComplexParameter(Complex z, Complex w)
    {
        var u = (Complex.Exp(z) * w) + (z * z);
        return (u.Real * u.Real) + (u.Imaginary * u.Imaginary);
    }

    /// <summary>Sinh, Cosh and Reciprocal (written through Smith's division), and the named operations.</summary>
    [Differentiable, Sample(0.2, 1.5)]
    public static double Hyperbolic(double re, double im)
    {
        var z = new Complex(re, im);
        var w = Complex.Add(Complex.Sinh(z), Complex.Multiply(Complex.Cosh(z * 0.5), Complex.Reciprocal(z)));
        var v = Complex.Divide(Complex.Subtract(w, Complex.One), Complex.Negate(z + Complex.ImaginaryOne));
        return v.Real + (2.0 * v.Imaginary) + Complex.Abs(w);
    }

    /// <summary>z ← z² + c, the Mandelbrot step, a few times from zero: |z|² as a function of c.</summary>
    [Differentiable, Sample(-0.6, 0.4)]
    public static double MandelbrotSteps(double cx, double cy)
    {
        var c = new Complex(cx, cy);
        var z = Complex.Zero;
        for (int i = 0; i < 5; i++)
        {
            z = (z * z) + c;
        }

        return (z.Real * z.Real) + (z.Imaginary * z.Imaginary);
    }
}

/// <summary>
/// Definitions of a type this project does not own, given by the user: Plane's constructor and DotCoordinate (Backprop
/// brings none for Plane), so the generator can read them; Plane holds a Vector3 (Normal) and a float (D).
/// </summary>
public static class PlaneDefinitions
{
    [Differentiable]
    public static Plane New(float x, float y, float z, float d) => new() { Normal = new Vector3(x, y, z), D = d };

    [Differentiable]
    public static float DotCoordinate(Plane plane, Vector3 value) => Vector3.Dot(plane.Normal, value) + plane.D;
}

/// <summary>A method written with Plane, read through the user's definitions.</summary>
public static partial class UserDefinitions
{
    [Differentiable, Sample(-1, 1, ValueTolerance = 1e-6)]
    public static float PlaneDistance(float x, float y)
    {
        var plane = new Plane(x, y, 1f, x * y);
        var point = new Vector3(y, 2f, -x);
        return Plane.DotCoordinate(plane, point) * plane.Normal.Y;
    }
}
