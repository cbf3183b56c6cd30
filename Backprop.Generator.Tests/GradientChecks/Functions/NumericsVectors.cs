using System;
using System.Numerics;
using Backprop;

[assembly: Definitions(typeof(Vector4), typeof(Backprop.Generator.Tests.GradientChecks.Functions.Vector4Definitions))]

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
}

/// <summary>
/// Definitions of a type this project does not own, given by the user: Vector4's constructor, addition and product
/// (Backprop brings none for Vector4), so the generator can read them.
/// </summary>
public static class Vector4Definitions
{
    [Differentiable]
    public static Vector4 New(float x, float y, float z, float w) => new() { X = x, Y = y, Z = z, W = w };

    [Differentiable]
    public static Vector4 op_Addition(Vector4 left, Vector4 right) => new() { X = left.X + right.X, Y = left.Y + right.Y, Z = left.Z + right.Z, W = left.W + right.W };

    /// <summary>Componentwise, as the BCL computes it (Dot is left out: the BCL sums its products in an order of the hardware's).</summary>
    [Differentiable]
    public static Vector4 op_Multiply(Vector4 left, Vector4 right) => new() { X = left.X * right.X, Y = left.Y * right.Y, Z = left.Z * right.Z, W = left.W * right.W };
}

/// <summary>A method written with Vector4, read through the user's definitions.</summary>
public static partial class UserDefinitions
{
    [Differentiable, Sample(-1, 1)]
    public static float Vector4Dot(float x, float y)
    {
        var a = new Vector4(x, y, x * y, 1f);
        var c = a * (a + new Vector4(y, 2f, -x, x));
        return c.X + (c.Y * c.Z) + c.W;
    }
}
