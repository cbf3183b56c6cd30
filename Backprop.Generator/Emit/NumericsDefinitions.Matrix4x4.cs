namespace Backprop.Generator.Emit;

/// <summary>Backprop's definitions of <c>System.Numerics.Matrix4x4</c>'s functions (see <see cref="NumericsDefinitions"/>).</summary>
internal static partial class NumericsDefinitions
{
    private const string Matrix4x4 = """

        /// <summary>What <see cref="global::System.Numerics.Matrix4x4"/>'s functions compute, written so that the generator can read them.</summary>
        file static class BackpropMatrix4x4Definitions
        {
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 New(float m11, float m12, float m13, float m14, float m21, float m22, float m23, float m24, float m31, float m32, float m33, float m34, float m41, float m42, float m43, float m44) => new()
            {
                M11 = m11,
                M12 = m12,
                M13 = m13,
                M14 = m14,
                M21 = m21,
                M22 = m22,
                M23 = m23,
                M24 = m24,
                M31 = m31,
                M32 = m32,
                M33 = m33,
                M34 = m34,
                M41 = m41,
                M42 = m42,
                M43 = m43,
                M44 = m44,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 Identity() => new()
            {
                M11 = 1f,
                M12 = 0f,
                M13 = 0f,
                M14 = 0f,
                M21 = 0f,
                M22 = 1f,
                M23 = 0f,
                M24 = 0f,
                M31 = 0f,
                M32 = 0f,
                M33 = 1f,
                M34 = 0f,
                M41 = 0f,
                M42 = 0f,
                M43 = 0f,
                M44 = 1f,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 op_Addition(global::System.Numerics.Matrix4x4 value1, global::System.Numerics.Matrix4x4 value2) => new()
            {
                M11 = value1.M11 + value2.M11,
                M12 = value1.M12 + value2.M12,
                M13 = value1.M13 + value2.M13,
                M14 = value1.M14 + value2.M14,
                M21 = value1.M21 + value2.M21,
                M22 = value1.M22 + value2.M22,
                M23 = value1.M23 + value2.M23,
                M24 = value1.M24 + value2.M24,
                M31 = value1.M31 + value2.M31,
                M32 = value1.M32 + value2.M32,
                M33 = value1.M33 + value2.M33,
                M34 = value1.M34 + value2.M34,
                M41 = value1.M41 + value2.M41,
                M42 = value1.M42 + value2.M42,
                M43 = value1.M43 + value2.M43,
                M44 = value1.M44 + value2.M44,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 op_Subtraction(global::System.Numerics.Matrix4x4 value1, global::System.Numerics.Matrix4x4 value2) => new()
            {
                M11 = value1.M11 - value2.M11,
                M12 = value1.M12 - value2.M12,
                M13 = value1.M13 - value2.M13,
                M14 = value1.M14 - value2.M14,
                M21 = value1.M21 - value2.M21,
                M22 = value1.M22 - value2.M22,
                M23 = value1.M23 - value2.M23,
                M24 = value1.M24 - value2.M24,
                M31 = value1.M31 - value2.M31,
                M32 = value1.M32 - value2.M32,
                M33 = value1.M33 - value2.M33,
                M34 = value1.M34 - value2.M34,
                M41 = value1.M41 - value2.M41,
                M42 = value1.M42 - value2.M42,
                M43 = value1.M43 - value2.M43,
                M44 = value1.M44 - value2.M44,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 op_Multiply(global::System.Numerics.Matrix4x4 value1, float value2) => new()
            {
                M11 = value1.M11 * value2,
                M12 = value1.M12 * value2,
                M13 = value1.M13 * value2,
                M14 = value1.M14 * value2,
                M21 = value1.M21 * value2,
                M22 = value1.M22 * value2,
                M23 = value1.M23 * value2,
                M24 = value1.M24 * value2,
                M31 = value1.M31 * value2,
                M32 = value1.M32 * value2,
                M33 = value1.M33 * value2,
                M34 = value1.M34 * value2,
                M41 = value1.M41 * value2,
                M42 = value1.M42 * value2,
                M43 = value1.M43 * value2,
                M44 = value1.M44 * value2,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 op_UnaryNegation(global::System.Numerics.Matrix4x4 value) => new()
            {
                M11 = -value.M11,
                M12 = -value.M12,
                M13 = -value.M13,
                M14 = -value.M14,
                M21 = -value.M21,
                M22 = -value.M22,
                M23 = -value.M23,
                M24 = -value.M24,
                M31 = -value.M31,
                M32 = -value.M32,
                M33 = -value.M33,
                M34 = -value.M34,
                M41 = -value.M41,
                M42 = -value.M42,
                M43 = -value.M43,
                M44 = -value.M44,
            };

            /// <summary>The matrix product: row i of value1 times column j of value2.</summary>
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 op_Multiply(global::System.Numerics.Matrix4x4 value1, global::System.Numerics.Matrix4x4 value2) => new()
            {
                M11 = (value1.M11 * value2.M11) + (value1.M12 * value2.M21) + (value1.M13 * value2.M31) + (value1.M14 * value2.M41),
                M12 = (value1.M11 * value2.M12) + (value1.M12 * value2.M22) + (value1.M13 * value2.M32) + (value1.M14 * value2.M42),
                M13 = (value1.M11 * value2.M13) + (value1.M12 * value2.M23) + (value1.M13 * value2.M33) + (value1.M14 * value2.M43),
                M14 = (value1.M11 * value2.M14) + (value1.M12 * value2.M24) + (value1.M13 * value2.M34) + (value1.M14 * value2.M44),
                M21 = (value1.M21 * value2.M11) + (value1.M22 * value2.M21) + (value1.M23 * value2.M31) + (value1.M24 * value2.M41),
                M22 = (value1.M21 * value2.M12) + (value1.M22 * value2.M22) + (value1.M23 * value2.M32) + (value1.M24 * value2.M42),
                M23 = (value1.M21 * value2.M13) + (value1.M22 * value2.M23) + (value1.M23 * value2.M33) + (value1.M24 * value2.M43),
                M24 = (value1.M21 * value2.M14) + (value1.M22 * value2.M24) + (value1.M23 * value2.M34) + (value1.M24 * value2.M44),
                M31 = (value1.M31 * value2.M11) + (value1.M32 * value2.M21) + (value1.M33 * value2.M31) + (value1.M34 * value2.M41),
                M32 = (value1.M31 * value2.M12) + (value1.M32 * value2.M22) + (value1.M33 * value2.M32) + (value1.M34 * value2.M42),
                M33 = (value1.M31 * value2.M13) + (value1.M32 * value2.M23) + (value1.M33 * value2.M33) + (value1.M34 * value2.M43),
                M34 = (value1.M31 * value2.M14) + (value1.M32 * value2.M24) + (value1.M33 * value2.M34) + (value1.M34 * value2.M44),
                M41 = (value1.M41 * value2.M11) + (value1.M42 * value2.M21) + (value1.M43 * value2.M31) + (value1.M44 * value2.M41),
                M42 = (value1.M41 * value2.M12) + (value1.M42 * value2.M22) + (value1.M43 * value2.M32) + (value1.M44 * value2.M42),
                M43 = (value1.M41 * value2.M13) + (value1.M42 * value2.M23) + (value1.M43 * value2.M33) + (value1.M44 * value2.M43),
                M44 = (value1.M41 * value2.M14) + (value1.M42 * value2.M24) + (value1.M43 * value2.M34) + (value1.M44 * value2.M44),
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 Transpose(global::System.Numerics.Matrix4x4 matrix) => new()
            {
                M11 = matrix.M11,
                M12 = matrix.M21,
                M13 = matrix.M31,
                M14 = matrix.M41,
                M21 = matrix.M12,
                M22 = matrix.M22,
                M23 = matrix.M32,
                M24 = matrix.M42,
                M31 = matrix.M13,
                M32 = matrix.M23,
                M33 = matrix.M33,
                M34 = matrix.M43,
                M41 = matrix.M14,
                M42 = matrix.M24,
                M43 = matrix.M34,
                M44 = matrix.M44,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Vector3 Translation(global::System.Numerics.Matrix4x4 matrix) => new() { X = matrix.M41, Y = matrix.M42, Z = matrix.M43 };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateTranslation(float xPosition, float yPosition, float zPosition) => new()
            {
                M11 = 1f,
                M12 = 0f,
                M13 = 0f,
                M14 = 0f,
                M21 = 0f,
                M22 = 1f,
                M23 = 0f,
                M24 = 0f,
                M31 = 0f,
                M32 = 0f,
                M33 = 1f,
                M34 = 0f,
                M41 = xPosition,
                M42 = yPosition,
                M43 = zPosition,
                M44 = 1f,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateTranslation(global::System.Numerics.Vector3 position) => new()
            {
                M11 = 1f,
                M12 = 0f,
                M13 = 0f,
                M14 = 0f,
                M21 = 0f,
                M22 = 1f,
                M23 = 0f,
                M24 = 0f,
                M31 = 0f,
                M32 = 0f,
                M33 = 1f,
                M34 = 0f,
                M41 = position.X,
                M42 = position.Y,
                M43 = position.Z,
                M44 = 1f,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateScale(float xScale, float yScale, float zScale) => new()
            {
                M11 = xScale,
                M12 = 0f,
                M13 = 0f,
                M14 = 0f,
                M21 = 0f,
                M22 = yScale,
                M23 = 0f,
                M24 = 0f,
                M31 = 0f,
                M32 = 0f,
                M33 = zScale,
                M34 = 0f,
                M41 = 0f,
                M42 = 0f,
                M43 = 0f,
                M44 = 1f,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateScale(global::System.Numerics.Vector3 scales) => new()
            {
                M11 = scales.X,
                M12 = 0f,
                M13 = 0f,
                M14 = 0f,
                M21 = 0f,
                M22 = scales.Y,
                M23 = 0f,
                M24 = 0f,
                M31 = 0f,
                M32 = 0f,
                M33 = scales.Z,
                M34 = 0f,
                M41 = 0f,
                M42 = 0f,
                M43 = 0f,
                M44 = 1f,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateScale(float scale) => new()
            {
                M11 = scale,
                M12 = 0f,
                M13 = 0f,
                M14 = 0f,
                M21 = 0f,
                M22 = scale,
                M23 = 0f,
                M24 = 0f,
                M31 = 0f,
                M32 = 0f,
                M33 = scale,
                M34 = 0f,
                M41 = 0f,
                M42 = 0f,
                M43 = 0f,
                M44 = 1f,
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateRotationX(float radians)
            {
                float cos = global::System.MathF.Cos(radians);
                float sin = global::System.MathF.Sin(radians);
                return new()
                {
                    M11 = 1f,
                    M12 = 0f,
                    M13 = 0f,
                    M14 = 0f,
                    M21 = 0f,
                    M22 = cos,
                    M23 = sin,
                    M24 = 0f,
                    M31 = 0f,
                    M32 = -sin,
                    M33 = cos,
                    M34 = 0f,
                    M41 = 0f,
                    M42 = 0f,
                    M43 = 0f,
                    M44 = 1f,
                };
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateRotationY(float radians)
            {
                float cos = global::System.MathF.Cos(radians);
                float sin = global::System.MathF.Sin(radians);
                return new()
                {
                    M11 = cos,
                    M12 = 0f,
                    M13 = -sin,
                    M14 = 0f,
                    M21 = 0f,
                    M22 = 1f,
                    M23 = 0f,
                    M24 = 0f,
                    M31 = sin,
                    M32 = 0f,
                    M33 = cos,
                    M34 = 0f,
                    M41 = 0f,
                    M42 = 0f,
                    M43 = 0f,
                    M44 = 1f,
                };
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateRotationZ(float radians)
            {
                float cos = global::System.MathF.Cos(radians);
                float sin = global::System.MathF.Sin(radians);
                return new()
                {
                    M11 = cos,
                    M12 = sin,
                    M13 = 0f,
                    M14 = 0f,
                    M21 = -sin,
                    M22 = cos,
                    M23 = 0f,
                    M24 = 0f,
                    M31 = 0f,
                    M32 = 0f,
                    M33 = 1f,
                    M34 = 0f,
                    M41 = 0f,
                    M42 = 0f,
                    M43 = 0f,
                    M44 = 1f,
                };
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 CreateFromQuaternion(global::System.Numerics.Quaternion quaternion)
            {
                float xx = quaternion.X * quaternion.X;
                float yy = quaternion.Y * quaternion.Y;
                float zz = quaternion.Z * quaternion.Z;
                float xy = quaternion.X * quaternion.Y;
                float wz = quaternion.Z * quaternion.W;
                float xz = quaternion.Z * quaternion.X;
                float wy = quaternion.Y * quaternion.W;
                float yz = quaternion.Y * quaternion.Z;
                float wx = quaternion.X * quaternion.W;
                return new()
                {
                    M11 = 1f - (2f * (yy + zz)),
                    M12 = 2f * (xy + wz),
                    M13 = 2f * (xz - wy),
                    M14 = 0f,
                    M21 = 2f * (xy - wz),
                    M22 = 1f - (2f * (zz + xx)),
                    M23 = 2f * (yz + wx),
                    M24 = 0f,
                    M31 = 2f * (xz + wy),
                    M32 = 2f * (yz - wx),
                    M33 = 1f - (2f * (yy + xx)),
                    M34 = 0f,
                    M41 = 0f,
                    M42 = 0f,
                    M43 = 0f,
                    M44 = 1f,
                };
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 Add(global::System.Numerics.Matrix4x4 value1, global::System.Numerics.Matrix4x4 value2) => value1 + value2;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 Subtract(global::System.Numerics.Matrix4x4 value1, global::System.Numerics.Matrix4x4 value2) => value1 - value2;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 Multiply(global::System.Numerics.Matrix4x4 value1, global::System.Numerics.Matrix4x4 value2) => value1 * value2;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 Multiply(global::System.Numerics.Matrix4x4 value1, float value2) => value1 * value2;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 Negate(global::System.Numerics.Matrix4x4 value) => -value;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Matrix4x4 Lerp(global::System.Numerics.Matrix4x4 matrix1, global::System.Numerics.Matrix4x4 matrix2, float amount) => new()
            {
                M11 = matrix1.M11 + ((matrix2.M11 - matrix1.M11) * amount),
                M12 = matrix1.M12 + ((matrix2.M12 - matrix1.M12) * amount),
                M13 = matrix1.M13 + ((matrix2.M13 - matrix1.M13) * amount),
                M14 = matrix1.M14 + ((matrix2.M14 - matrix1.M14) * amount),
                M21 = matrix1.M21 + ((matrix2.M21 - matrix1.M21) * amount),
                M22 = matrix1.M22 + ((matrix2.M22 - matrix1.M22) * amount),
                M23 = matrix1.M23 + ((matrix2.M23 - matrix1.M23) * amount),
                M24 = matrix1.M24 + ((matrix2.M24 - matrix1.M24) * amount),
                M31 = matrix1.M31 + ((matrix2.M31 - matrix1.M31) * amount),
                M32 = matrix1.M32 + ((matrix2.M32 - matrix1.M32) * amount),
                M33 = matrix1.M33 + ((matrix2.M33 - matrix1.M33) * amount),
                M34 = matrix1.M34 + ((matrix2.M34 - matrix1.M34) * amount),
                M41 = matrix1.M41 + ((matrix2.M41 - matrix1.M41) * amount),
                M42 = matrix1.M42 + ((matrix2.M42 - matrix1.M42) * amount),
                M43 = matrix1.M43 + ((matrix2.M43 - matrix1.M43) * amount),
                M44 = matrix1.M44 + ((matrix2.M44 - matrix1.M44) * amount),
            };

            [global::Backprop.Differentiable]
            public static float GetDeterminant(global::System.Numerics.Matrix4x4 value)
            {
                float kpLo = (value.M33 * value.M44) - (value.M34 * value.M43);
                float jpLn = (value.M32 * value.M44) - (value.M34 * value.M42);
                float joKn = (value.M32 * value.M43) - (value.M33 * value.M42);
                float ipLm = (value.M31 * value.M44) - (value.M34 * value.M41);
                float ioKm = (value.M31 * value.M43) - (value.M33 * value.M41);
                float inJm = (value.M31 * value.M42) - (value.M32 * value.M41);
                return (value.M11 * ((value.M22 * kpLo) - (value.M23 * jpLn) + (value.M24 * joKn)))
                    - (value.M12 * ((value.M21 * kpLo) - (value.M23 * ipLm) + (value.M24 * ioKm)))
                    + (value.M13 * ((value.M21 * jpLn) - (value.M22 * ipLm) + (value.M24 * inJm)))
                    - (value.M14 * ((value.M21 * joKn) - (value.M22 * ioKm) + (value.M23 * inJm)));
            }
        }
        """;
}
