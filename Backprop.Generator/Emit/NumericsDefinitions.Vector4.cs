namespace Backprop.Generator.Emit;

/// <summary>Backprop's definitions of <c>System.Numerics.Vector4</c>'s functions (see <see cref="NumericsDefinitions"/>).</summary>
internal static partial class NumericsDefinitions
{
    private const string Vector4 = """

        /// <summary>What <see cref="global::System.Numerics.Vector4"/>'s functions compute, written so that the generator can read them.</summary>
        file static class BackpropVector4Definitions
        {
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 New(float x, float y, float z, float w) => new() { X = x, Y = y, Z = z, W = w };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 New(float value) => new() { X = value, Y = value, Z = value, W = value };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Zero() => new() { X = 0f, Y = 0f, Z = 0f, W = 0f };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 One() => new() { X = 1f, Y = 1f, Z = 1f, W = 1f };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 UnitX() => new() { X = 1f, Y = 0f, Z = 0f, W = 0f };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 UnitY() => new() { X = 0f, Y = 1f, Z = 0f, W = 0f };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 UnitZ() => new() { X = 0f, Y = 0f, Z = 1f, W = 0f };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 UnitW() => new() { X = 0f, Y = 0f, Z = 0f, W = 1f };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 New(global::System.Numerics.Vector3 value, float w) => new() { X = value.X, Y = value.Y, Z = value.Z, W = w };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 New(global::System.Numerics.Vector2 value, float z, float w) => new() { X = value.X, Y = value.Y, Z = z, W = w };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 op_Addition(global::System.Numerics.Vector4 left, global::System.Numerics.Vector4 right) => new() { X = left.X + right.X, Y = left.Y + right.Y, Z = left.Z + right.Z, W = left.W + right.W };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 op_Subtraction(global::System.Numerics.Vector4 left, global::System.Numerics.Vector4 right) => new() { X = left.X - right.X, Y = left.Y - right.Y, Z = left.Z - right.Z, W = left.W - right.W };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 op_Multiply(global::System.Numerics.Vector4 left, global::System.Numerics.Vector4 right) => new() { X = left.X * right.X, Y = left.Y * right.Y, Z = left.Z * right.Z, W = left.W * right.W };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 op_Division(global::System.Numerics.Vector4 left, global::System.Numerics.Vector4 right) => new() { X = left.X / right.X, Y = left.Y / right.Y, Z = left.Z / right.Z, W = left.W / right.W };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 op_Multiply(global::System.Numerics.Vector4 left, float right) => new() { X = left.X * right, Y = left.Y * right, Z = left.Z * right, W = left.W * right };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 op_Multiply(float left, global::System.Numerics.Vector4 right) => new() { X = left * right.X, Y = left * right.Y, Z = left * right.Z, W = left * right.W };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 op_Division(global::System.Numerics.Vector4 value1, float value2) => new() { X = value1.X / value2, Y = value1.Y / value2, Z = value1.Z / value2, W = value1.W / value2 };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 op_UnaryNegation(global::System.Numerics.Vector4 value) => new() { X = -value.X, Y = -value.Y, Z = -value.Z, W = -value.W };

            [global::Backprop.Differentiable]
            public static float Dot(global::System.Numerics.Vector4 vector1, global::System.Numerics.Vector4 vector2) => (vector1.X * vector2.X) + (vector1.Y * vector2.Y) + (vector1.Z * vector2.Z) + (vector1.W * vector2.W);

            [global::Backprop.Differentiable]
            public static float LengthSquared(global::System.Numerics.Vector4 value) => (value.X * value.X) + (value.Y * value.Y) + (value.Z * value.Z) + (value.W * value.W);

            [global::Backprop.Differentiable]
            public static float Length(global::System.Numerics.Vector4 value) => global::System.MathF.Sqrt((value.X * value.X) + (value.Y * value.Y) + (value.Z * value.Z) + (value.W * value.W));

            [global::Backprop.Differentiable]
            public static float DistanceSquared(global::System.Numerics.Vector4 value1, global::System.Numerics.Vector4 value2) => LengthSquared(value1 - value2);

            [global::Backprop.Differentiable]
            public static float Distance(global::System.Numerics.Vector4 value1, global::System.Numerics.Vector4 value2) => Length(value1 - value2);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Normalize(global::System.Numerics.Vector4 value)
            {
                float length = global::System.MathF.Sqrt((value.X * value.X) + (value.Y * value.Y) + (value.Z * value.Z) + (value.W * value.W));
                return new() { X = value.X / length, Y = value.Y / length, Z = value.Z / length, W = value.W / length };
            }

            /// <summary>Vector4.Transform(vector, matrix): the row vector times the matrix.</summary>
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Transform(global::System.Numerics.Vector4 vector, global::System.Numerics.Matrix4x4 matrix) => new()
            {
                X = (vector.X * matrix.M11) + (vector.Y * matrix.M21) + (vector.Z * matrix.M31) + (vector.W * matrix.M41),
                Y = (vector.X * matrix.M12) + (vector.Y * matrix.M22) + (vector.Z * matrix.M32) + (vector.W * matrix.M42),
                Z = (vector.X * matrix.M13) + (vector.Y * matrix.M23) + (vector.Z * matrix.M33) + (vector.W * matrix.M43),
                W = (vector.X * matrix.M14) + (vector.Y * matrix.M24) + (vector.Z * matrix.M34) + (vector.W * matrix.M44),
            };

            /// <summary>Vector4.Transform(position, matrix): (x, y, z, 1) times the matrix.</summary>
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Transform(global::System.Numerics.Vector3 position, global::System.Numerics.Matrix4x4 matrix) => new()
            {
                X = (position.X * matrix.M11) + (position.Y * matrix.M21) + (position.Z * matrix.M31) + matrix.M41,
                Y = (position.X * matrix.M12) + (position.Y * matrix.M22) + (position.Z * matrix.M32) + matrix.M42,
                Z = (position.X * matrix.M13) + (position.Y * matrix.M23) + (position.Z * matrix.M33) + matrix.M43,
                W = (position.X * matrix.M14) + (position.Y * matrix.M24) + (position.Z * matrix.M34) + matrix.M44,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Add(global::System.Numerics.Vector4 left, global::System.Numerics.Vector4 right) => left + right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Subtract(global::System.Numerics.Vector4 left, global::System.Numerics.Vector4 right) => left - right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Multiply(global::System.Numerics.Vector4 left, global::System.Numerics.Vector4 right) => left * right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Multiply(global::System.Numerics.Vector4 left, float right) => left * right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Multiply(float left, global::System.Numerics.Vector4 right) => left * right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Divide(global::System.Numerics.Vector4 left, global::System.Numerics.Vector4 right) => left / right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Divide(global::System.Numerics.Vector4 left, float divisor) => left / divisor;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Negate(global::System.Numerics.Vector4 value) => -value;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Lerp(global::System.Numerics.Vector4 value1, global::System.Numerics.Vector4 value2, float amount) => new() { X = value1.X + ((value2.X - value1.X) * amount), Y = value1.Y + ((value2.Y - value1.Y) * amount), Z = value1.Z + ((value2.Z - value1.Z) * amount), W = value1.W + ((value2.W - value1.W) * amount) };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Min(global::System.Numerics.Vector4 value1, global::System.Numerics.Vector4 value2) => new() { X = global::System.MathF.Min(value1.X, value2.X), Y = global::System.MathF.Min(value1.Y, value2.Y), Z = global::System.MathF.Min(value1.Z, value2.Z), W = global::System.MathF.Min(value1.W, value2.W) };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Max(global::System.Numerics.Vector4 value1, global::System.Numerics.Vector4 value2) => new() { X = global::System.MathF.Max(value1.X, value2.X), Y = global::System.MathF.Max(value1.Y, value2.Y), Z = global::System.MathF.Max(value1.Z, value2.Z), W = global::System.MathF.Max(value1.W, value2.W) };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Clamp(global::System.Numerics.Vector4 value1, global::System.Numerics.Vector4 min, global::System.Numerics.Vector4 max) => new() { X = global::System.MathF.Min(global::System.MathF.Max(value1.X, min.X), max.X), Y = global::System.MathF.Min(global::System.MathF.Max(value1.Y, min.Y), max.Y), Z = global::System.MathF.Min(global::System.MathF.Max(value1.Z, min.Z), max.Z), W = global::System.MathF.Min(global::System.MathF.Max(value1.W, min.W), max.W) };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 Abs(global::System.Numerics.Vector4 value) => new() { X = global::System.MathF.Abs(value.X), Y = global::System.MathF.Abs(value.Y), Z = global::System.MathF.Abs(value.Z), W = global::System.MathF.Abs(value.W) };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector4 SquareRoot(global::System.Numerics.Vector4 value) => new() { X = global::System.MathF.Sqrt(value.X), Y = global::System.MathF.Sqrt(value.Y), Z = global::System.MathF.Sqrt(value.Z), W = global::System.MathF.Sqrt(value.W) };
        }
        """;
}
