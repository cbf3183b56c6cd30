namespace Backprop.Generator.Emit;

/// <summary>Backprop's definitions of <c>System.Numerics.Complex</c>'s functions (see <see cref="NumericsDefinitions"/>).</summary>
internal static partial class NumericsDefinitions
{
    private const string Complex = """

        /// <summary>What <see cref="global::System.Numerics.Complex"/>'s functions compute, written so that the generator can read them (a Complex is held as its Real and Imaginary).</summary>
        file static class BackpropComplexDefinitions
        {
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Zero() => new(0.0, 0.0);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex One() => new(1.0, 0.0);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex ImaginaryOne() => new(0.0, 1.0);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Addition(global::System.Numerics.Complex left, global::System.Numerics.Complex right) => new(left.Real + right.Real, left.Imaginary + right.Imaginary);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Addition(global::System.Numerics.Complex left, double right) => new(left.Real + right, left.Imaginary);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Addition(double left, global::System.Numerics.Complex right) => new(left + right.Real, right.Imaginary);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Subtraction(global::System.Numerics.Complex left, global::System.Numerics.Complex right) => new(left.Real - right.Real, left.Imaginary - right.Imaginary);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Subtraction(global::System.Numerics.Complex left, double right) => new(left.Real - right, left.Imaginary);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Subtraction(double left, global::System.Numerics.Complex right) => new(left - right.Real, -right.Imaginary);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Multiply(global::System.Numerics.Complex left, global::System.Numerics.Complex right) => new((left.Real * right.Real) - (left.Imaginary * right.Imaginary), (left.Imaginary * right.Real) + (left.Real * right.Imaginary));

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Multiply(global::System.Numerics.Complex left, double right) => new(left.Real * right, left.Imaginary * right);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Multiply(double left, global::System.Numerics.Complex right) => new(left * right.Real, left * right.Imaginary);

            /// <summary>Smith's division: the smaller part of the divisor over the larger, so that nothing overflows on the way.</summary>
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Division(global::System.Numerics.Complex left, global::System.Numerics.Complex right)
            {
                double a = left.Real;
                double b = left.Imaginary;
                double c = right.Real;
                double d = right.Imaginary;
                double real;
                double imaginary;
                if (global::System.Math.Abs(d) < global::System.Math.Abs(c))
                {
                    double doc = d / c;
                    real = (a + (b * doc)) / (c + (d * doc));
                    imaginary = (b - (a * doc)) / (c + (d * doc));
                }
                else
                {
                    double cod = c / d;
                    real = (b + (a * cod)) / (d + (c * cod));
                    imaginary = (-a + (b * cod)) / (d + (c * cod));
                }

                return new(real, imaginary);
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Division(global::System.Numerics.Complex left, double right) => new(left.Real / right, left.Imaginary / right);

            /// <summary>A double over a Complex: Smith's division with the dividend's imaginary part zero.</summary>
            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_Division(double left, global::System.Numerics.Complex right)
            {
                double c = right.Real;
                double d = right.Imaginary;
                double real;
                double imaginary;
                if (global::System.Math.Abs(d) < global::System.Math.Abs(c))
                {
                    double doc = d / c;
                    real = left / (c + (d * doc));
                    imaginary = (-left * doc) / (c + (d * doc));
                }
                else
                {
                    double cod = c / d;
                    real = (left * cod) / (d + (c * cod));
                    imaginary = -left / (d + (c * cod));
                }

                return new(real, imaginary);
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex op_UnaryNegation(global::System.Numerics.Complex value) => new(-value.Real, -value.Imaginary);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Add(global::System.Numerics.Complex left, global::System.Numerics.Complex right) => left + right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Subtract(global::System.Numerics.Complex left, global::System.Numerics.Complex right) => left - right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Multiply(global::System.Numerics.Complex left, global::System.Numerics.Complex right) => left * right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Divide(global::System.Numerics.Complex left, global::System.Numerics.Complex right) => left / right;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Negate(global::System.Numerics.Complex value) => -value;

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Conjugate(global::System.Numerics.Complex value) => new(value.Real, -value.Imaginary);

            [global::Backprop.Differentiable]
            public static double Abs(global::System.Numerics.Complex value) => double.Hypot(value.Real, value.Imaginary);

            [global::Backprop.Differentiable]
            public static double Magnitude(global::System.Numerics.Complex value) => double.Hypot(value.Real, value.Imaginary);

            [global::Backprop.Differentiable]
            public static double Phase(global::System.Numerics.Complex value) => global::System.Math.Atan2(value.Imaginary, value.Real);

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex FromPolarCoordinates(double magnitude, double phase) => new(magnitude * global::System.Math.Cos(phase), magnitude * global::System.Math.Sin(phase));

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Exp(global::System.Numerics.Complex value)
            {
                double expReal = global::System.Math.Exp(value.Real);
                return new(expReal * global::System.Math.Cos(value.Imaginary), expReal * global::System.Math.Sin(value.Imaginary));
            }

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Log(global::System.Numerics.Complex value) => new(global::System.Math.Log(double.Hypot(value.Real, value.Imaginary)), global::System.Math.Atan2(value.Imaginary, value.Real));

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Sin(global::System.Numerics.Complex value) => new(global::System.Math.Sin(value.Real) * global::System.Math.Cosh(value.Imaginary), global::System.Math.Cos(value.Real) * global::System.Math.Sinh(value.Imaginary));

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Cos(global::System.Numerics.Complex value) => new(global::System.Math.Cos(value.Real) * global::System.Math.Cosh(value.Imaginary), -global::System.Math.Sin(value.Real) * global::System.Math.Sinh(value.Imaginary));

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Sinh(global::System.Numerics.Complex value) => new(global::System.Math.Sinh(value.Real) * global::System.Math.Cos(value.Imaginary), global::System.Math.Cosh(value.Real) * global::System.Math.Sin(value.Imaginary));

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Cosh(global::System.Numerics.Complex value) => new(global::System.Math.Cosh(value.Real) * global::System.Math.Cos(value.Imaginary), global::System.Math.Sinh(value.Real) * global::System.Math.Sin(value.Imaginary));

            [global::Backprop.Differentiable]
            public static global::System.Numerics.Complex Reciprocal(global::System.Numerics.Complex value)
            {
                double real = 0.0;
                double imaginary = 0.0;
                if (value.Real != 0.0 || value.Imaginary != 0.0)
                {
                    var reciprocal = 1.0 / value;
                    real = reciprocal.Real;
                    imaginary = reciprocal.Imaginary;
                }

                return new(real, imaginary); // zero for zero, as the BCL's
            }
        }
        """;
}
