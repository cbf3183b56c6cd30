namespace Backprop.Generator.Emit;

/// <summary>Backprop's definitions of <c>System.Numerics.Quaternion</c>'s functions (see <see cref="NumericsDefinitions"/>).</summary>
internal static partial class NumericsDefinitions
{
    private const string Quaternion = """

        /// <summary>What <see cref="global::System.Numerics.Quaternion"/>'s functions compute, written so that the generator can read them.</summary>
        file static class BackpropQuaternionDefinitions
        {
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion New(float x, float y, float z, float w) => new() { X = x, Y = y, Z = z, W = w };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion New(global::System.Numerics.Vector3 vectorPart, float scalarPart) => new() { X = vectorPart.X, Y = vectorPart.Y, Z = vectorPart.Z, W = scalarPart };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Identity() => new() { X = 0f, Y = 0f, Z = 0f, W = 1f };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion op_Addition(global::System.Numerics.Quaternion value1, global::System.Numerics.Quaternion value2) => new() { X = value1.X + value2.X, Y = value1.Y + value2.Y, Z = value1.Z + value2.Z, W = value1.W + value2.W };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion op_Subtraction(global::System.Numerics.Quaternion value1, global::System.Numerics.Quaternion value2) => new() { X = value1.X - value2.X, Y = value1.Y - value2.Y, Z = value1.Z - value2.Z, W = value1.W - value2.W };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion op_Multiply(global::System.Numerics.Quaternion value1, float value2) => new() { X = value1.X * value2, Y = value1.Y * value2, Z = value1.Z * value2, W = value1.W * value2 };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion op_UnaryNegation(global::System.Numerics.Quaternion value) => new() { X = -value.X, Y = -value.Y, Z = -value.Z, W = -value.W };

            /// <summary>The Hamilton product: value1's rotation after value2's.</summary>
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion op_Multiply(global::System.Numerics.Quaternion value1, global::System.Numerics.Quaternion value2) => new()
            {
                X = (value1.X * value2.W) + (value2.X * value1.W) + ((value1.Y * value2.Z) - (value1.Z * value2.Y)),
                Y = (value1.Y * value2.W) + (value2.Y * value1.W) + ((value1.Z * value2.X) - (value1.X * value2.Z)),
                Z = (value1.Z * value2.W) + (value2.Z * value1.W) + ((value1.X * value2.Y) - (value1.Y * value2.X)),
                W = (value1.W * value2.W) - ((value1.X * value2.X) + (value1.Y * value2.Y) + (value1.Z * value2.Z)),
            };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Concatenate(global::System.Numerics.Quaternion value1, global::System.Numerics.Quaternion value2) => value2 * value1;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Conjugate(global::System.Numerics.Quaternion value) => new() { X = -value.X, Y = -value.Y, Z = -value.Z, W = value.W };

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Inverse(global::System.Numerics.Quaternion value)
            {
                float lengthSquared = (value.X * value.X) + (value.Y * value.Y) + (value.Z * value.Z) + (value.W * value.W);
                return new() { X = -value.X / lengthSquared, Y = -value.Y / lengthSquared, Z = -value.Z / lengthSquared, W = value.W / lengthSquared };
            }

            [global::Backprop.Differentiable]
            public static float Dot(global::System.Numerics.Quaternion quaternion1, global::System.Numerics.Quaternion quaternion2) => (quaternion1.X * quaternion2.X) + (quaternion1.Y * quaternion2.Y) + (quaternion1.Z * quaternion2.Z) + (quaternion1.W * quaternion2.W);

            [global::Backprop.Differentiable]
            public static float LengthSquared(global::System.Numerics.Quaternion value) => (value.X * value.X) + (value.Y * value.Y) + (value.Z * value.Z) + (value.W * value.W);

            [global::Backprop.Differentiable]
            public static float Length(global::System.Numerics.Quaternion value) => global::System.MathF.Sqrt((value.X * value.X) + (value.Y * value.Y) + (value.Z * value.Z) + (value.W * value.W));

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Normalize(global::System.Numerics.Quaternion value)
            {
                float length = global::System.MathF.Sqrt((value.X * value.X) + (value.Y * value.Y) + (value.Z * value.Z) + (value.W * value.W));
                return new() { X = value.X / length, Y = value.Y / length, Z = value.Z / length, W = value.W / length };
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion CreateFromAxisAngle(global::System.Numerics.Vector3 axis, float angle)
            {
                float sin = global::System.MathF.Sin(angle * 0.5f);
                return new() { X = axis.X * sin, Y = axis.Y * sin, Z = axis.Z * sin, W = global::System.MathF.Cos(angle * 0.5f) };
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Add(global::System.Numerics.Quaternion value1, global::System.Numerics.Quaternion value2) => value1 + value2;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Subtract(global::System.Numerics.Quaternion value1, global::System.Numerics.Quaternion value2) => value1 - value2;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Multiply(global::System.Numerics.Quaternion value1, global::System.Numerics.Quaternion value2) => value1 * value2;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Multiply(global::System.Numerics.Quaternion value1, float value2) => value1 * value2;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Negate(global::System.Numerics.Quaternion value) => -value;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Lerp(global::System.Numerics.Quaternion quaternion1, global::System.Numerics.Quaternion quaternion2, float amount)
            {
                float dot = (quaternion1.X * quaternion2.X) + (quaternion1.Y * quaternion2.Y) + (quaternion1.Z * quaternion2.Z) + (quaternion1.W * quaternion2.W);
                float other = dot >= 0f ? amount : -amount;
                return Normalize(new() { X = ((1f - amount) * quaternion1.X) + (other * quaternion2.X), Y = ((1f - amount) * quaternion1.Y) + (other * quaternion2.Y), Z = ((1f - amount) * quaternion1.Z) + (other * quaternion2.Z), W = ((1f - amount) * quaternion1.W) + (other * quaternion2.W) });
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion CreateFromYawPitchRoll(float yaw, float pitch, float roll)
            {
                float sr = global::System.MathF.Sin(roll * 0.5f);
                float cr = global::System.MathF.Cos(roll * 0.5f);
                float sp = global::System.MathF.Sin(pitch * 0.5f);
                float cp = global::System.MathF.Cos(pitch * 0.5f);
                float sy = global::System.MathF.Sin(yaw * 0.5f);
                float cy = global::System.MathF.Cos(yaw * 0.5f);
                return new()
                {
                    X = (cy * sp * cr) + (sy * cp * sr),
                    Y = (sy * cp * cr) - (cy * sp * sr),
                    Z = (cy * cp * sr) - (sy * sp * cr),
                    W = (cy * cp * cr) + (sy * sp * sr),
                };
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Quaternion Slerp(global::System.Numerics.Quaternion quaternion1, global::System.Numerics.Quaternion quaternion2, float amount)
            {
                float cosOmega = (quaternion1.X * quaternion2.X) + (quaternion1.Y * quaternion2.Y) + (quaternion1.Z * quaternion2.Z) + (quaternion1.W * quaternion2.W);
                float sign = 1f;
                if (cosOmega < 0f)
                {
                    sign = -1f;
                    cosOmega = -cosOmega;
                }

                float s1;
                float s2;
                if (cosOmega > 1f - 1e-6f)
                {
                    s1 = 1f - amount; // too close: a straight line
                    s2 = sign * amount;
                }
                else
                {
                    float omega = global::System.MathF.Acos(cosOmega);
                    float invSinOmega = 1f / global::System.MathF.Sin(omega);
                    s1 = global::System.MathF.Sin((1f - amount) * omega) * invSinOmega;
                    s2 = sign * global::System.MathF.Sin(amount * omega) * invSinOmega;
                }

                return new()
                {
                    X = (s1 * quaternion1.X) + (s2 * quaternion2.X),
                    Y = (s1 * quaternion1.Y) + (s2 * quaternion2.Y),
                    Z = (s1 * quaternion1.Z) + (s2 * quaternion2.Z),
                    W = (s1 * quaternion1.W) + (s2 * quaternion2.W),
                };
            }
        }
        """;
}
