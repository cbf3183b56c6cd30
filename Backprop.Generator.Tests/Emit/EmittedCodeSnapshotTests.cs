using System.IO;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// Pins the code the generator writes for representative methods. Each output is also compiled with its
/// input under nullable, and must produce no error and no warning.
/// </summary>
public sealed class EmittedCodeSnapshotTests
{
    [Fact]
    public void AddMultiply_LectureExample() => Verify("""
        public static partial class Circuits
        {
            [Differentiable]
            public static double F(double x, double y, double z)
            {
                double q = x + y;
                return q * z;
            }
        }
        """, "F");

    [Fact]
    public void KeywordAndVerbatimNames_AreEscaped() => Verify("""
        public static partial class Names
        {
            [Differentiable]
            public static double F(double[] @params, double o)
            {
                double @out = @params[0] * o;
                double ouble = @out + o;
                return ouble * @out;
            }
        }
        """, "F");

    [Fact]
    public void TensorModel_FieldsWithKeywordAdjoints() => Verify("""
        public sealed partial class Tiny
        {
            public Tensor o = Tensor.Matrix(3, 2);
            public Tensor @params = Tensor.Vector(2);

            [Differentiable]
            public float Loss([NoDiff] Tensor X) => Nn.Sum(Nn.Tanh(X * o + @params));
        }
        """, "Loss");

    [Fact]
    public void SigmoidNeuron_StagedLikeTheCircuit() => Verify("""
        public static partial class Circuits
        {
            [Differentiable]
            public static double Neuron(double w0, double w1, double w2, double x0, double x1) =>
                1 / (1 + System.Math.Exp(-(w0 * x0 + w1 * x1 + w2)));
        }
        """, "Neuron");

    [Fact]
    public void Reassignment_SavesTheOverwrittenValue() => Verify("""
        public static partial class Functions
        {
            [Differentiable]
            public static double Reassign(double x, double y)
            {
                double t = x * y;
                t = t * t + x;
                return t;
            }
        }
        """, "Reassign");

    [Fact]
    public void ArrayLoop_Rosenbrock() => Verify("""
        public static partial class Functions
        {
            [Differentiable]
            public static double Rosenbrock(double[] x)
            {
                double s = 0;
                for (int i = 0; i < x.Length - 1; i++)
                {
                    double a = x[i + 1] - x[i] * x[i];
                    double b = 1 - x[i];
                    s += 100 * a * a + b * b;
                }

                return s;
            }
        }
        """, "Rosenbrock");

    [Fact]
    public void LoopNotAtTheEnd_RecomputesIterationLocalsInsteadOfTaping() => Verify("""
        public static partial class Functions
        {
            [Differentiable]
            public static double RootOfSum(double[] x, double w)
            {
                double s = 1;
                for (int i = 0; i < x.Length; i++)
                {
                    double scaled = x[i] * w;
                    double shifted = scaled - 1;
                    s += shifted * shifted;
                }

                return System.Math.Sqrt(s);
            }
        }
        """, "RootOfSum");

    [Fact]
    public void SinLoop_KeepsCosFromSinCosOnTheTape() => Verify("""
        using System;

        public static partial class Functions
        {
            [Differentiable]
            public static double SinLoop(double x, double w)
            {
                double s = x;
                for (int i = 0; i < 100; i++)
                {
                    s = Math.Sin(s) * w;
                }

                return s;
            }
        }
        """, "SinLoop");

    [Fact]
    public void BreakAndContinue_RecordWhereEachIterationStopped() => Verify("""
        public static partial class Functions
        {
            [Differentiable]
            public static double Search(double x, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    if (i == 2)
                    {
                        continue;
                    }

                    s = s * x + i;
                    if (s > 10)
                    {
                        break;
                    }

                    s += x;
                }

                return s;
            }
        }
        """, "Search");

    [Fact]
    public void EarlyReturn_JumpsToTheBackwardPass() => Verify("""
        public static partial class Functions
        {
            [Differentiable]
            public static double Piecewise(double x, double y)
            {
                if (x < 0)
                {
                    return x * y;
                }

                double t = x * x;
                return t + y;
            }
        }
        """, "Piecewise");

    [Fact]
    public void MaxAndTernary_RouteTheGradient() => Verify("""
        using System;

        public static partial class Functions
        {
            [Differentiable]
            public static double Route(double x, double y) => Math.Max(x, 0.0) + (x > y ? x * y : Math.Exp(y));
        }
        """, "Route");

    [Fact]
    public void CallToAnotherDifferentiableMethod_UsesItsBackward() => Verify("""
        using System;

        public static partial class Functions
        {
            [Differentiable]
            public static double Sigmoid(double s)
            {
                double e = Math.Exp(-s);
                return 1 / (1 + e);
            }

            [Differentiable]
            public static double Loss(double w, double b, [NoDiff] double x, [NoDiff] double y)
            {
                double error = y - Sigmoid(w * x + b);
                return 0.5 * error * error;
            }
        }
        """, "Loss");

    /// <summary>A [Differentiable] method whose body is one expression is read in place: σ's gate keeps its result, not its argument.</summary>
    [Fact]
    public void ExpressionHelper_IsReadInPlace() => Verify("""
        using System;

        public static partial class Functions
        {
            [Differentiable]
            public static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

            [Differentiable]
            public static double Loss(double w, double b, [NoDiff] double x, [NoDiff] double y)
            {
                double error = y - Sigmoid(w * x + b);
                return 0.5 * error * error;
            }
        }
        """, "Loss");

    [Fact]
    public void FloatWithConversions() => Verify("""
        using System;

        public partial struct Model
        {
            public float Scale;

            [Differentiable]
            public readonly float Predict(float x, double w) => (float)(w * x) * Scale + MathF.Tanh(x);
        }
        """, "Predict");

    [Fact]
    public void SwitchAndLocalArray() => Verify("""
        namespace Samples.Nested;

        public static partial class Outer
        {
            public partial record Inner
            {
                [Differentiable]
                public static double Mixed(double[] x, int mode)
                {
                    double[] squares = new double[x.Length];
                    for (int i = 0; i < x.Length; i++)
                    {
                        squares[i] = x[i] * x[i];
                    }

                    switch (mode)
                    {
                        case 0:
                            return squares[0];
                        default:
                            return squares[0] + squares[x.Length - 1];
                    }
                }
            }
        }
        """, "Mixed");

    /// <summary>Each assignment or ++/-- inside an expression is a line of its own with its own gate comment; a loop condition that assigns is tested inside the loop.</summary>
    [Fact]
    public void SideEffectsInExpressions_AreStagedAsLinesOfTheirOwn() => Verify("""
        public static partial class Decay
        {
            [Differentiable]
            public static double Remaining(double x, double step, double[] w)
            {
                double r = 3 + x;
                double s = 0;
                int i = 0;
                while ((r -= step) > 0)
                {
                    s += r * w[i++ % w.Length];
                }

                return s;
            }
        }
        """, "Remaining");

    [Fact]
    public void TensorModel_ComposedOfLayers_IsReadInPlace() => Verify("""
        using static Backprop.Nn;

        public static partial class Layers
        {
            [Differentiable]
            public static Tensor Dense(Tensor x, Tensor w, Tensor b) => x * w + b;

            [Differentiable]
            public static Tensor Residual(Tensor h, Tensor w, Tensor b) => h + Tanh(Dense(h, w, b));
        }

        public sealed partial class Net
        {
            public Tensor W1 = Tensor.Matrix(784, 128), b1 = Tensor.Vector(128), W2 = Tensor.Matrix(128, 128), b2 = Tensor.Vector(128);
            public Tensor W3 = Tensor.Matrix(128, 10), b3 = Tensor.Vector(10);

            [Differentiable]
            public Tensor Scores(Tensor X) => Layers.Dense(Layers.Residual(Relu(Layers.Dense(X, W1, b1)), W2, b2), W3, b3);

            [Differentiable]
            public float Loss([NoDiff] Tensor X, int[] labels) => SoftmaxCrossEntropy(Scores(X), labels);
        }
        """, "Loss");

    [Fact]
    public void TensorModel_SubModules_GradientsLandInTheirOwnProperties() => Verify("""
        using static Backprop.Nn;

        public sealed partial class Linear
        {
            public Tensor W = Tensor.Matrix(4, 4), b = Tensor.Vector(4);

            [Differentiable]
            public Tensor Forward(Tensor x) => x * W + b;
        }

        public sealed partial class Net
        {
            public Linear Input = new(), Output = new();

            [Differentiable]
            public float Loss([NoDiff] Tensor X, int[] labels) => SoftmaxCrossEntropy(Output.Forward(Relu(Input.Forward(X))), labels);
        }
        """, "Loss");

    [Fact]
    public void TensorModel_Branches_GoBackThroughTheArmTaken() => Verify("""
        using static Backprop.Nn;

        public sealed partial class Net
        {
            public Tensor W1 = Tensor.Matrix(4, 4), W2 = Tensor.Matrix(4, 4), W3 = Tensor.Matrix(4, 3);

            [Differentiable]
            public float Loss([NoDiff] Tensor X, int[] labels, bool deep, [NoDiff] float limit)
            {
                var h = Relu(X * W1);
                if (deep)
                {
                    h = h + Tanh(h * W2);
                }

                var loss = SoftmaxCrossEntropy(h * W3, labels);
                return loss > limit ? 0.5f * loss : loss;
            }
        }
        """, "Loss");

    [Fact]
    public void TensorModel_LoopOverTensorArrays_KeepsEachIteration() => Verify("""
        using static Backprop.Nn;

        public sealed partial class Net
        {
            public Tensor W1 = Tensor.Matrix(4, 4), W3 = Tensor.Matrix(4, 3);
            public Tensor[] Ws = [Tensor.Matrix(4, 4), Tensor.Matrix(4, 4)], bs = [Tensor.Vector(4), Tensor.Vector(4)];

            [Differentiable]
            public float Loss([NoDiff] Tensor X, int[] labels)
            {
                var h = Relu(X * W1);
                var penalty = 0f;
                for (int i = 0; i < Ws.Length; i++)
                {
                    h = h + Tanh(h * Ws[i] + bs[i]);
                    penalty = penalty + 1e-3f * SumOfSquares(Ws[i]);
                }

                return SoftmaxCrossEntropy(h * W3, labels) + penalty;
            }
        }
        """, "Loss");

    [Fact]
    public void TensorModel_LoopsInsideALoopAndABranch_PushAndPopTheirValues() => Verify("""
        using static Backprop.Nn;

        public sealed partial class Net
        {
            public Tensor W1 = Tensor.Matrix(4, 4), W3 = Tensor.Matrix(4, 3);
            public Tensor[] Ws = [Tensor.Matrix(4, 4), Tensor.Matrix(4, 4)];

            [Differentiable]
            public float Loss([NoDiff] Tensor X, int[] labels, bool deep)
            {
                var h = Relu(X * W1);
                for (int i = 0; i < Ws.Length; i++)
                {
                    for (int j = 0; j <= i; j++)
                    {
                        h = h + Tanh(h * Ws[j]);
                    }
                }

                if (deep)
                {
                    foreach (var w in Ws)
                    {
                        h = Sigmoid(h * w);
                    }
                }

                return SoftmaxCrossEntropy(h * W3, labels);
            }
        }
        """, "Loss");

    [Fact]
    public void TensorModel_TwoLayerNetWithL2() => Verify("""
        using static Backprop.Nn;

        public sealed partial class TwoLayerNet
        {
            public Tensor W1 = Tensor.Matrix(784, 256), b1 = Tensor.Vector(256), W2 = Tensor.Matrix(256, 10), b2 = Tensor.Vector(10);

            [Differentiable]
            public float Loss([NoDiff] Tensor X, int[] labels, float lambda)
            {
                var h1 = Relu(X * W1 + b1);
                var scores = h1 * W2 + b2;
                var loss = SoftmaxCrossEntropy(scores, labels);
                loss += 0.5f * lambda * SumOfSquares(W1);
                return loss;
            }
        }
        """, "Loss");

    [Fact]
    public void ScalarCallThroughADerivativeRule() => Verify("""
        public static partial class Functions
        {
            [DerivativeRule(nameof(SoftplusBackward))]
            public static double Softplus(double x) => System.Math.Log(1 + System.Math.Exp(x));

            public static void SoftplusBackward(double x, double result, double dResult, ref double dx) => dx += dResult / (1 + System.Math.Exp(-x));

            [Differentiable]
            public static double UsesRule(double x, double w) => Softplus(x * w) * w;
        }
        """, "UsesRule");

    [Fact]
    public void VoidHelpers_AreReadInPlace() => Verify("""
        public static partial class Physics
        {
            [Differentiable]
            public static void Step(ref double x, ref double v, double k, double dt)
            {
                double a = -k * x;
                x += v * dt;
                v += a * dt;
            }

            [Differentiable]
            public static double Energy(double x, double v, double k)
            {
                Step(ref x, ref v, k, 0.1);
                return 0.5 * (k * x * x + v * v);
            }
        }
        """, "Energy");

    /// <summary>A span slice held in a local is read as its array's elements, from where it starts (kept where it is declared).</summary>
    [Fact]
    public void SpanSlice_IsReadAsTheElementsOfItsArray() => Verify("""
        using System;

        public static partial class Rows
        {
            [Differentiable]
            public static double LastRow(double[] x, int columns)
            {
                ReadOnlySpan<double> row = x.AsSpan(x.Length - columns, columns);
                double s = 0;
                foreach (var v in row)
                {
                    s += v * v;
                }

                return s * row[^1];
            }
        }
        """, "LastRow");

    /// <summary>
    /// A stackalloc'd span local is a local array on the stack, and so is its adjoint (and its tangent, held in a scoped
    /// span). (Of a length the generator does not know: see the next for three constant elements.)
    /// </summary>
    [Fact]
    public void StackallocLocal_HasAStackAllocatedAdjoint() => Verify("""
        using System;

        public static partial class Vectors
        {
            [Differentiable]
            public static double CrossNorm(double[] a, double[] b)
            {
                Span<double> c = stackalloc double[a.Length];
                c[0] = a[1] * b[2] - a[2] * b[1];
                c[1] = a[2] * b[0] - a[0] * b[2];
                c[2] = a[0] * b[1] - a[1] * b[0];
                return Math.Sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
            }
        }
        """, "CrossNorm");

    /// <summary>
    /// A rotation's 3-vectors (as ADBench BA's): arrays of a few constant elements, and their adjoints, held in one local per
    /// element; the loops over them unrolled, one block per iteration headed by the counter's value.
    /// </summary>
    [Fact]
    public void SmallConstantArrays_AreHeldInLocals() => Verify("""
        using System;

        public static partial class Vectors
        {
            [Differentiable]
            public static double Rotated(double[] w, double[] p, double angle)
            {
                Span<double> axis = stackalloc double[3];
                for (int i = 0; i < 3; i++)
                {
                    axis[i] = w[i] * angle;
                }

                Span<double> cross = stackalloc double[3];
                cross[0] = axis[1] * p[2] - axis[2] * p[1];
                cross[1] = axis[2] * p[0] - axis[0] * p[2];
                cross[2] = axis[0] * p[1] - axis[1] * p[0];
                double s = 0;
                for (int i = 0; i < 3; i++)
                {
                    s += (p[i] + cross[i]) * axis[i];
                }

                return s;
            }
        }
        """, "Rotated");

    /// <summary>A tuple swap: both values are kept before either is assigned, each element a local of its own.</summary>
    [Fact]
    public void TupleSwap_KeepsTheValuesFirst() => Verify("""
        using System;

        public static partial class Pairs
        {
            [Differentiable]
            public static double Swapped(double x, double y)
            {
                (double Low, double High) p = (x * y, Math.Exp(x));
                (p.Low, p.High) = (p.High, p.Low);
                return p.Low - 2 * p.High;
            }
        }
        """, "Swapped");

    /// <summary>A record struct local is a local per field; a helper that takes and returns one is read in place, its result a local per field.</summary>
    [Fact]
    public void StructLocal_IsALocalPerField() => Verify("""
        public record struct Particle(double X, double V);

        public static partial class Springs
        {
            [Differentiable]
            static Particle Step(Particle p, double k) => p with { X = p.X + 0.1 * p.V, V = p.V - 0.1 * k * p.X };

            [Differentiable]
            public static double Energy(double x0, double k)
            {
                var p = new Particle(x0, 0.0);
                for (int i = 0; i < 3; i++)
                {
                    p = Step(p, k);
                }

                return 0.5 * (p.V * p.V + k * p.X * p.X);
            }
        }
        """, "Energy");

    /// <summary>A struct parameter is a parameter per field in the generated members; overloads take and give the struct whole.</summary>
    [Fact]
    public void StructParameter_HasOverloadsThatTakeItWhole() => Verify("""
        public readonly record struct Point(double X, double Y);

        public static partial class Geometry
        {
            [Differentiable]
            public static double Distance(Point a, double scale) => scale * System.Math.Sqrt(a.X * a.X + a.Y * a.Y);
        }
        """, "Distance");

    /// <summary>System.Numerics' Vector3: its constructor, operators and Dot read in place through the definitions Backprop brings.</summary>
    [Fact]
    public void Vector3_IsReadThroughItsDefinitions() => Verify("""
        using System.Numerics;

        public static partial class Springs
        {
            [Differentiable]
            public static float Stretch(float x, float y, float k)
            {
                var anchor = new Vector3(0f, 1f, 0f);
                var end = new Vector3(x, y, 0f) - anchor;
                return 0.5f * k * Vector3.Dot(end, end);
            }
        }
        """, "Stretch");

    /// <summary>System.Numerics' Complex, whose fields are private: held as its Real and Imaginary, its gradient a Complex made with its constructor.</summary>
    [Fact]
    public void ComplexParameter_IsHeldAsItsRealAndImaginary() => Verify("""
        using System.Numerics;

        public static partial class Signals
        {
            [Differentiable]
            public static double Power(Complex z, double k)
            {
                var w = z * new Complex(k, 1.0);
                return w.Real * w.Real + w.Imaginary * w.Imaginary;
            }
        }
        """, "Power");

    /// <summary>A vector-valued function: its Tangent, Backward (the outputs' adjoints seeded from dy) and Jacobian.</summary>
    [Fact]
    public void VectorFunction_TangentBackwardAndJacobian() => Verify("""
        using System;

        public static partial class Kinematics
        {
            /// <summary>Where the hand of a two-link arm is.</summary>
            [Differentiable]
            public static void Hand(double shoulder, double elbow, ReadOnlySpan<double> links, Span<double> hand)
            {
                double reach = shoulder + elbow;
                hand[0] = links[0] * Math.Cos(shoulder) + links[1] * Math.Cos(reach);
                hand[1] = links[0] * Math.Sin(shoulder) + links[1] * Math.Sin(reach);
            }
        }
        """, "Hand");

    [Fact]
    public void GenericMath_IsDifferentiatedOnce_ForEveryFloatingPointT() => Verify("""
        public static partial class Fit
        {
            [Differentiable]
            public static T Loss<T>(T a, T b, [NoDiff] T x, [NoDiff] T y) where T : System.Numerics.IFloatingPointIeee754<T>
            {
                var e = a * T.Exp(b * x) - y;
                for (int i = 0; i < 2; i++)
                {
                    e = T.Sqrt(e * e + T.One) * T.CreateChecked(0.5);
                }

                return e * e / T.CreateChecked(2);
            }
        }
        """, "Loss");

    private static void Verify(string source, string method, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var (result, output) = GeneratorHarness.Run("using Backprop;\n" + source);
        Assert.Empty(result.Diagnostics.Where(d => d.Id != "BP0015")); // a helper read in place is told so: a note, expected
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
        var methods = result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath).Split('.')[^4]).ToList();
        Assert.Contains(method, methods);
        Snapshot.Match(GeneratorHarness.GeneratedFor(result, method), nameof(EmittedCodeSnapshotTests), test);
    }
}
