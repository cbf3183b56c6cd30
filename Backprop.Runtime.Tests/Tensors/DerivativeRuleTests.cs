using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Backprop.Runtime.Tests.Tensors;

/// <summary>
/// Every tensor operation's derivative rule against central finite differences of the operation itself: with a random
/// dResult w, the rule's adjoint of each input must be ∂(Σ w ⊙ f(x))/∂x. Also checks that the list below covers every
/// [DerivativeRule] the runtime declares, so a new operation cannot ship without its check.
/// </summary>
public sealed class DerivativeRuleTests
{
    private delegate object Forward(Tensor[] inputs, float[] scalars);

    private delegate void Rule(Tensor[] inputs, float[] scalars, object result, object dResult, Tensor?[] adjoints, float[] scalarAdjoints);

    private sealed record Case(string Function, TensorShape[] Shapes, float[] Scalars, Forward F, Rule R, bool Separated = false);

    private static readonly int[] s_labels = [2, 0, 3, 3];

    private static readonly BatchNormLayer s_training = new(2);

    private static readonly BatchNormLayer s_rows = new(3);

    private static readonly BatchNormLayer s_evaluation = new(2) { Training = false };

    private static readonly Case[] s_cases =
    [
        new("MatMul", [S(4, 3), S(3, 5)], [], (x, _) => Nn.MatMul(x[0], x[1]), (x, _, r, d, a, _) => Nn.MatMulBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("MatMul (vector row)", [S(1, 3), S(3, 5)], [], (x, _) => Nn.MatMul(x[0], x[1]), (x, _, r, d, a, _) => Nn.MatMulBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("op_Multiply", [S(4, 3), S(3, 5)], [], (x, _) => x[0] * x[1], (x, _, r, d, a, _) => Nn.MatMulBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("Add", [S(4, 3), S(4, 3)], [], (x, _) => Nn.Add(x[0], x[1]), (x, _, r, d, a, _) => Nn.AddBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("Add (bias)", [S(4, 3), S(0, 3)], [], (x, _) => x[0] + x[1], (x, _, r, d, a, _) => Nn.AddBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("op_Addition (bias first)", [S(0, 3), S(4, 3)], [], (x, _) => x[0] + x[1], (x, _, r, d, a, _) => Nn.AddBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("Subtract", [S(4, 3), S(4, 3)], [], (x, _) => Nn.Subtract(x[0], x[1]), (x, _, r, d, a, _) => Nn.SubtractBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("op_Subtraction (bias)", [S(4, 3), S(0, 3)], [], (x, _) => x[0] - x[1], (x, _, r, d, a, _) => Nn.SubtractBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("Subtract (bias first)", [S(0, 3), S(4, 3)], [], (x, _) => x[0] - x[1], (x, _, r, d, a, _) => Nn.SubtractBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("Multiply", [S(4, 3), S(4, 3)], [], (x, _) => Nn.Multiply(x[0], x[1]), (x, _, r, d, a, _) => Nn.MultiplyBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("Scale", [S(4, 3)], [1.7f], (x, s) => Nn.Scale(x[0], s[0]), (x, s, r, d, a, ds) => Nn.ScaleBackward(x[0], s[0], (Tensor)r, (Tensor)d, a[0], ref ds[0])),
        new("op_Multiply (scalar right)", [S(4, 3)], [1.7f], (x, s) => x[0] * s[0], (x, s, r, d, a, ds) => Nn.ScaleBackward(x[0], s[0], (Tensor)r, (Tensor)d, a[0], ref ds[0])),
        new("op_Multiply (scalar left)", [S(4, 3)], [-0.6f], (x, s) => s[0] * x[0], (x, s, r, d, a, ds) => Tensor.ScaleLeftBackward(s[0], x[0], (Tensor)r, (Tensor)d, ref ds[0], a[0])),
        new("Axpy", [S(4, 3), S(4, 3)], [0.8f], (x, s) => Nn.Axpy(s[0], x[0], x[1]), (x, s, r, d, a, ds) => Nn.AxpyBackward(s[0], x[0], x[1], (Tensor)r, (Tensor)d, ref ds[0], a[0], a[1])),
        new("Sum", [S(4, 3)], [], (x, _) => Nn.Sum(x[0]), (x, _, r, d, a, _) => Nn.SumBackward(x[0], (float)r, (float)d, a[0])),
        new("SumOfSquares", [S(4, 3)], [], (x, _) => Nn.SumOfSquares(x[0]), (x, _, r, d, a, _) => Nn.SumOfSquaresBackward(x[0], (float)r, (float)d, a[0])),
        new("RowSums", [S(4, 3)], [], (x, _) => Nn.RowSums(x[0]), (x, _, r, d, a, _) => Nn.RowSumsBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
        new("ColumnSums", [S(4, 3)], [], (x, _) => Nn.ColumnSums(x[0]), (x, _, r, d, a, _) => Nn.ColumnSumsBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
        new("Relu", [S(4, 5)], [], (x, _) => Nn.Relu(x[0]), (x, _, r, d, a, _) => Nn.ReluBackward(x[0], (Tensor)r, (Tensor)d, a[0]), Separated: true),
        new("LeakyRelu", [S(4, 5)], [0.1f], (x, s) => Nn.LeakyRelu(x[0], s[0]), (x, s, r, d, a, _) => Nn.LeakyReluBackward(x[0], s[0], (Tensor)r, (Tensor)d, a[0]), Separated: true),
        new("Elu", [S(4, 5)], [1.3f], (x, s) => Nn.Elu(x[0], s[0]), (x, s, r, d, a, _) => Nn.EluBackward(x[0], s[0], (Tensor)r, (Tensor)d, a[0]), Separated: true),
        new("Sigmoid", [S(4, 5)], [], (x, _) => Nn.Sigmoid(x[0]), (x, _, r, d, a, _) => Nn.SigmoidBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
        new("Tanh", [S(4, 5)], [], (x, _) => Nn.Tanh(x[0]), (x, _, r, d, a, _) => Nn.TanhBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
        new("Softmax", [S(4, 5)], [], (x, _) => Nn.Softmax(x[0]), (x, _, r, d, a, _) => Nn.SoftmaxBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
        new("Softmax (last axis of three)", [new(2, 3, 4)], [], (x, _) => Nn.Softmax(x[0]), (x, _, r, d, a, _) => Nn.SoftmaxBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
        new("Maxout", [S(4, 5), S(4, 5)], [], (x, _) => Nn.Maxout(x[0], x[1]), (x, _, r, d, a, _) => Nn.MaxoutBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1]), Separated: true),
        new("MeanSquaredError", [S(4, 5), S(4, 5)], [], (x, _) => Nn.MeanSquaredError(x[0], x[1]), (x, _, r, d, a, _) => Nn.MeanSquaredErrorBackward(x[0], x[1], (float)r, (float)d, a[0], a[1])),
        new("SoftmaxCrossEntropy", [S(4, 5)], [], (x, _) => Nn.SoftmaxCrossEntropy(x[0], s_labels), (x, _, r, d, a, _) =>
        {
            Nn.SoftmaxCrossEntropyForward(x[0], s_labels, out var probabilities);
            Nn.SoftmaxCrossEntropyBackward(x[0], s_labels, (float)r, probabilities, (float)d, a[0]);
        }),
        new("MulticlassHinge", [S(4, 5)], [1f], (x, s) => Nn.MulticlassHinge(x[0], s_labels, s[0]), (x, s, r, d, a, _) => Nn.MulticlassHingeBackward(x[0], s_labels, s[0], (float)r, (float)d, a[0])),
        new("Conv2d", [new(2, 2, 5, 4), new(3, 2, 3, 3), S(0, 3)], [], (x, _) => Nn.Conv2d(x[0], x[1], x[2], stride: 1, padding: 1), (x, _, r, d, a, _) => Nn.Conv2dBackward(x[0], x[1], x[2], 1, 1, (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("Conv2d (as many outputs as inputs: dx as a correlation with the flipped kernels)", [new(2, 3, 5, 4), new(3, 3, 3, 3), S(0, 3)], [], (x, _) => Nn.Conv2d(x[0], x[1], x[2], stride: 1, padding: 1), (x, _, r, d, a, _) => Nn.Conv2dBackward(x[0], x[1], x[2], 1, 1, (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("Conv2d (5×5 kernels, padding 2, fewer outputs than inputs: dx as a correlation)", [new(2, 4, 6, 5), new(2, 4, 5, 5), S(0, 2)], [], (x, _) => Nn.Conv2d(x[0], x[1], x[2], stride: 1, padding: 2), (x, _, r, d, a, _) => Nn.Conv2dBackward(x[0], x[1], x[2], 1, 2, (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("Conv2d (4×3 kernels over two rows: a kernel row reads only padding)", [new(2, 3, 2, 5), new(2, 3, 4, 3), S(0, 2)], [], (x, _) => Nn.Conv2d(x[0], x[1], x[2], stride: 1, padding: 1), (x, _, r, d, a, _) => Nn.Conv2dBackward(x[0], x[1], x[2], 1, 1, (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("Conv2d (stride 2, no padding)", [new(2, 3, 7, 6), new(2, 3, 3, 2), S(0, 2)], [], (x, _) => Nn.Conv2d(x[0], x[1], x[2], stride: 2), (x, _, r, d, a, _) => Nn.Conv2dBackward(x[0], x[1], x[2], 2, 0, (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("MaxPool2d", [new(2, 2, 4, 5)], [], (x, _) => Nn.MaxPool2d(x[0]), (x, _, r, d, a, _) => Nn.MaxPool2dBackward(x[0], 2, 2, 0, (Tensor)r, (Tensor)d, a[0]), Separated: true),
        new("MaxPool2d (3×3, stride 2, padding 1)", [new(1, 2, 5, 5)], [], (x, _) => Nn.MaxPool2d(x[0], 3, 2, 1), (x, _, r, d, a, _) => Nn.MaxPool2dBackward(x[0], 3, 2, 1, (Tensor)r, (Tensor)d, a[0]), Separated: true),
        new("AvgPool2d", [new(2, 2, 4, 5)], [], (x, _) => Nn.AvgPool2d(x[0]), (x, _, r, d, a, _) => Nn.AvgPool2dBackward(x[0], 2, 2, 0, (Tensor)r, (Tensor)d, a[0])),
        new("AvgPool2d (3×3, stride 2, padding 1)", [new(1, 2, 5, 5)], [], (x, _) => Nn.AvgPool2d(x[0], 3, 2, 1), (x, _, r, d, a, _) => Nn.AvgPool2dBackward(x[0], 3, 2, 1, (Tensor)r, (Tensor)d, a[0])),
        new("LayerNorm", [S(4, 6), S(0, 6), S(0, 6)], [1e-5f], (x, s) => Nn.LayerNorm(x[0], x[1], x[2], s[0]), (x, s, r, d, a, _) => Nn.LayerNormBackward(x[0], x[1], x[2], s[0], (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("LayerNorm (tokens)", [new(2, 3, 5), S(0, 5), S(0, 5)], [1e-3f], (x, s) => Nn.LayerNorm(x[0], x[1], x[2], s[0]), (x, s, r, d, a, _) => Nn.LayerNormBackward(x[0], x[1], x[2], s[0], (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("Gelu", [S(4, 5)], [], (x, _) => Nn.Gelu(x[0]), (x, _, r, d, a, _) => Nn.GeluBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
        new("Linear", [new(2, 3, 4), S(4, 5), S(0, 5)], [], (x, _) => Nn.Linear(x[0], x[1], x[2]), (x, _, r, d, a, _) => Nn.LinearBackward(x[0], x[1], x[2], (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("Linear (rows)", [S(3, 4), S(4, 2), S(0, 2)], [], (x, _) => Nn.Linear(x[0], x[1], x[2]), (x, _, r, d, a, _) => Nn.LinearBackward(x[0], x[1], x[2], (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("BatchMatMul", [new(2, 3, 4), new(2, 4, 5)], [], (x, _) => Nn.BatchMatMul(x[0], x[1]), (x, _, r, d, a, _) => Nn.BatchMatMulBackward(x[0], x[1], false, (Tensor)r, (Tensor)d, a[0], a[1])),
        new("BatchMatMul (transposed)", [new(2, 3, 4), new(2, 5, 4)], [], (x, _) => Nn.BatchMatMul(x[0], x[1], transposeB: true), (x, _, r, d, a, _) => Nn.BatchMatMulBackward(x[0], x[1], true, (Tensor)r, (Tensor)d, a[0], a[1])),
        new("CausalMask (then Softmax)", [new(2, 4, 4)], [], (x, _) => Nn.Softmax(Nn.CausalMask(x[0])), (x, _, r, d, a, _) =>
        {
            var masked = Nn.CausalMask(x[0]);
            var dMasked = Tensor.ZerosLike(masked);
            Nn.SoftmaxBackward(masked, (Tensor)r, (Tensor)d, dMasked);
            Nn.CausalMaskBackward(x[0], masked, dMasked, a[0]);
        }),
        new("SplitHeads", [new(2, 3, 6)], [], (x, _) => Nn.SplitHeads(x[0], 3), (x, _, r, d, a, _) => Nn.SplitHeadsBackward(x[0], 3, (Tensor)r, (Tensor)d, a[0])),
        new("MergeHeads", [new(6, 3, 2)], [], (x, _) => Nn.MergeHeads(x[0], 3), (x, _, r, d, a, _) => Nn.MergeHeadsBackward(x[0], 3, (Tensor)r, (Tensor)d, a[0])),
        new("BatchNorm", [new(3, 2, 2, 3), S(0, 2), S(0, 2)], [], (x, _) => Nn.BatchNorm(x[0], x[1], x[2], s_training), (x, _, r, d, a, _) => Nn.BatchNormBackward(x[0], x[1], x[2], s_training, (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("BatchNorm (rows)", [S(5, 3), S(0, 3), S(0, 3)], [], (x, _) => Nn.BatchNorm(x[0], x[1], x[2], s_rows), (x, _, r, d, a, _) => Nn.BatchNormBackward(x[0], x[1], x[2], s_rows, (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("BatchNorm (evaluation)", [new(3, 2, 2, 3), S(0, 2), S(0, 2)], [], (x, _) => Nn.BatchNorm(x[0], x[1], x[2], s_evaluation), (x, _, r, d, a, _) => Nn.BatchNormBackward(x[0], x[1], x[2], s_evaluation, (Tensor)r, (Tensor)d, a[0], a[1], a[2])),
        new("Flatten", [new(2, 3, 2, 2)], [], (x, _) => Nn.Flatten(x[0]), (x, _, r, d, a, _) => Nn.FlattenBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
        new("ConcatColumns", [S(4, 3), S(4, 2)], [], (x, _) => Nn.ConcatColumns(x[0], x[1]), (x, _, r, d, a, _) => Nn.ConcatColumnsBackward(x[0], x[1], (Tensor)r, (Tensor)d, a[0], a[1])),
        new("SliceColumns", [S(4, 5)], [], (x, _) => Nn.SliceColumns(x[0], 1, 3), (x, _, r, d, a, _) => Nn.SliceColumnsBackward(x[0], 1, 3, (Tensor)r, (Tensor)d, a[0])),
        new("GlobalAveragePool", [new(2, 3, 2, 3)], [], (x, _) => Nn.GlobalAveragePool(x[0]), (x, _, r, d, a, _) => Nn.GlobalAveragePoolBackward(x[0], (Tensor)r, (Tensor)d, a[0])),
    ];

    public static TheoryData<string> Cases() => [.. s_cases.Select(c => c.Function)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_MatchesFiniteDifferences(string function)
    {
        var c = s_cases.Single(c => c.Function == function);
        var random = new Random(function.Length * 31);
        var inputs = c.Shapes.Select(s => RandomTensor(s, random, c.Separated)).ToArray();
        if (c.Function == "Maxout")
        {
            // Keep the pieces apart so no finite difference crosses the tie.
            var b = inputs[1].Span;
            var a = inputs[0].Span;
            for (var i = 0; i < a.Length; i++)
            {
                b[i] = a[i] + (i % 2 == 0 ? 0.5f : -0.5f) + (0.1f * b[i]);
            }
        }

        var result = c.F(inputs, c.Scalars);
        var weights = result is Tensor t ? RandomTensor(t.Shape, random, false) : null;
        object dResult = weights is null ? -1.75f : weights;

        // Pre-filled adjoints: a rule must add.
        var adjoints = inputs.Select(x => (Tensor?)Filled(x, 0.25f)).ToArray();
        var scalarAdjoints = c.Scalars.Select(_ => 0.25f).ToArray();
        c.R(inputs, c.Scalars, result, dResult, adjoints, scalarAdjoints);

        double Objective() => Dot(c.F(inputs, c.Scalars), weights, -1.75);
        var checkedCount = 0;
        for (var input = 0; input < inputs.Length; input++)
        {
            var values = inputs[input].Span;
            for (var i = 0; i < values.Length; i++)
            {
                var numeric = Central(Objective, v => inputs[input].Span[i] = v, values[i], 1e-2f);
                var half = Central(Objective, v => inputs[input].Span[i] = v, values[i], 5e-3f);
                if (Math.Abs(numeric - half) > 2e-2 * Math.Max(1, Math.Abs(numeric)))
                {
                    continue; // a kink between the two steps
                }

                var analytic = adjoints[input]!.Span[i] - 0.25f;
                Assert.True(Math.Abs(analytic - numeric) <= 5e-3 * Math.Max(1, Math.Abs(numeric)),
                    $"{function}: d{input}[{i}] = {analytic}, finite difference {numeric}");
                checkedCount++;
            }
        }

        for (var s = 0; s < c.Scalars.Length; s++)
        {
            if (c.Function.Split(' ')[0] is "LeakyRelu" or "Elu" or "MulticlassHinge" or "LayerNorm")
            {
                continue; // [NoDiff] parameters: the rule has no adjoint for them
            }

            var index = s;
            var numeric = Central(Objective, v => c.Scalars[index] = v, c.Scalars[s], 1e-2f);
            Assert.True(Math.Abs((scalarAdjoints[s] - 0.25f) - numeric) <= 5e-3 * Math.Max(1, Math.Abs(numeric)),
                $"{function}: dscalar{s} = {scalarAdjoints[s] - 0.25f}, finite difference {numeric}");
        }

        Assert.True(checkedCount >= inputs.Sum(x => x.Length) / 2, $"{function}: only {checkedCount} elements were away from kinks");
    }

    [Fact]
    public void Rules_SkipNullAdjoints()
    {
        var a = RandomTensor(S(3, 4), new Random(1), false);
        var b = RandomTensor(S(4, 2), new Random(2), false);
        var result = Nn.MatMul(a, b);
        var db = Tensor.Matrix(4, 2);
        Nn.MatMulBackward(a, b, result, Filled(result, 1f), null, db);
        Assert.Equal(Enumerable.Range(0, 4).Select(row => Enumerable.Range(0, 3).Sum(i => a[i, row])), Enumerable.Range(0, 4).Select(row => db[row, 0]), new Tolerance());
    }

    [Fact]
    public void EveryDeclaredRule_HasACheck_AndTheSignatureTheAttributeDocuments()
    {
        var functions = typeof(Tensor).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<DerivativeRuleAttribute>() is not null)
            .ToList();
        Assert.NotEmpty(functions);
        // Dropout draws a new mask per forward pass, so finite differences cannot see it: TrainingPiecesTests checks its rule.
        var covered = s_cases.Select(c => c.Function.Split(' ')[0]).Append("Dropout").ToHashSet();
        foreach (var function in functions)
        {
            Assert.True(covered.Contains(function.Name), $"{function.DeclaringType!.Name}.{function.Name} has a derivative rule but no finite-difference check");
            var attribute = function.GetCustomAttribute<DerivativeRuleAttribute>()!;
            var rule = (attribute.RuleType ?? function.DeclaringType!).GetMethod(attribute.RuleName);
            Assert.NotNull(rule);
            var expected = ExpectedRuleParameters(function, attribute.Forward is not null);
            Assert.Equal(expected, rule!.GetParameters().Select(p => p.ParameterType));
            Assert.Equal(typeof(void), rule.ReturnType);
            if (attribute.Forward is { } forward)
            {
                // The forward companion: the function's parameters, then out Tensor residual; the function's return type.
                var companion = function.DeclaringType!.GetMethod(forward);
                Assert.NotNull(companion);
                Assert.Equal([.. function.GetParameters().Select(p => p.ParameterType), typeof(Tensor).MakeByRefType()], companion!.GetParameters().Select(p => p.ParameterType));
                Assert.True(companion.GetParameters()[^1].IsOut);
                Assert.Equal(function.ReturnType, companion.ReturnType);
            }
        }
    }

    [Fact]
    public void ShapeErrors_NameTheOperationAndBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Nn.MatMul(Tensor.Matrix(128, 784), Tensor.Matrix(256, 10)));
        Assert.Contains("MatMul: [128×784] · [256×10]", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Tensor.Matrix(4, 3) + Tensor.Vector(4));
        Assert.Contains("Add: the shapes [4×3] and [4]", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Nn.Multiply(Tensor.Matrix(2, 3), Tensor.Matrix(3, 2)));
        Assert.Contains("Multiply: the shapes [2×3] and [3×2] must be equal", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Nn.ConcatColumns(Tensor.Matrix(2, 3), Tensor.Matrix(3, 2)));
        Assert.Contains("ConcatColumns: a [2×3] and b [3×2] must be matrices with the same number of rows", error.Message, StringComparison.Ordinal);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => Nn.SliceColumns(Tensor.Matrix(2, 5), 3, 3));
        Assert.Contains("SliceColumns: columns 3 to 5 (3 from 3) are not all within x [2×5]", outside.Message, StringComparison.Ordinal);
    }

    /// <summary>The rule signature the attribute documents: primal parameters, result, the residual if any, dResult, one adjoint per differentiable parameter.</summary>
    private static Type[] ExpectedRuleParameters(MethodInfo function, bool residual)
    {
        var parameters = function.GetParameters();
        var adjoints = parameters
            .Where(p => p.GetCustomAttribute<NoDiffAttribute>() is null)
            .Select(p => p.ParameterType == typeof(Tensor) ? typeof(Tensor) : p.ParameterType == typeof(float) ? typeof(float).MakeByRefType() : null)
            .OfType<Type>();
        return [.. parameters.Select(p => p.ParameterType), function.ReturnType, .. residual ? [typeof(Tensor)] : Type.EmptyTypes, function.ReturnType, .. adjoints];
    }

    private static double Central(Func<double> objective, Action<float> set, float value, float h)
    {
        set(value + h);
        var plus = objective();
        set(value - h);
        var minus = objective();
        set(value);
        return (plus - minus) / (2.0 * h);
    }

    private static double Dot(object value, Tensor? weights, double scalarWeight)
    {
        if (value is float f)
        {
            return f * scalarWeight;
        }

        var tensor = (Tensor)value;
        double sum = 0;
        for (var i = 0; i < tensor.Length; i++)
        {
            sum += (double)tensor[i] * weights![i];
        }

        return sum;
    }

    /// <summary>A matrix shape, or a vector's when <paramref name="rows"/> is 0.</summary>
    private static TensorShape S(int rows, int columns) => rows == 0 ? TensorShape.Vector(columns) : TensorShape.Matrix(rows, columns);

    private static Tensor RandomTensor(TensorShape shape, Random random, bool separated)
    {
        var tensor = Tensor.Zeros(shape);
        var span = tensor.Span;
        for (var i = 0; i < span.Length; i++)
        {
            var value = (float)((random.NextDouble() * 4) - 2);
            span[i] = separated && Math.Abs(value) < 0.1f ? value + (value < 0 ? -0.2f : 0.2f) : value;
        }

        return tensor;
    }

    private static Tensor Filled(Tensor like, float value)
    {
        var tensor = Tensor.ZerosLike(like);
        tensor.Fill(value);
        return tensor;
    }

    private sealed class Tolerance : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f * Math.Max(1f, Math.Abs(x));

        public int GetHashCode(float obj) => 0;
    }
}
