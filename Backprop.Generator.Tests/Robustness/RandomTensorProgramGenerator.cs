using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>
/// Random straight-line tensor methods: <c>static float F(Tensor a, Tensor b, Tensor c, Tensor v, float s)</c> (three
/// 3×3 matrices, a bias vector, a float) built from the add, subtract, MatMul, Hadamard, scale, Axpy and broadcast
/// gates, the activations (Relu's kinks included), Softmax, Maxout, Linear, LayerNorm, column sums, the reductions and
/// losses to float, float arithmetic and Math functions on them, and a [Differentiable] helper layer read in place.
/// Values are read again at random distances, locals are reassigned, and the same value may meet itself — the shapes
/// where the backward sweep's adjoint sharing, versioning and accumulation can go wrong.
/// </summary>
internal sealed class RandomTensorProgramGenerator(int seed)
{
    private readonly Random _random = new(seed);

    public const int Size = 3;

    /// <summary>
    /// The source of a class <paramref name="name"/> holding F and the helper layer it may call; one in ten holds a
    /// construct tensor code does not support yet (a loop counting by two, an array element, a return inside a branch),
    /// which must get a BP error.
    /// </summary>
    public (string Source, bool Unsupported) Next(string name)
    {
        var tensors = new List<string> { "a", "b", "c" };
        var vectors = new List<string> { "v" };
        var floats = new List<string> { "s" };
        var body = new StringBuilder();
        var steps = _random.Next(3, 10);
        var locals = 0;
        for (var step = 0; step < steps; step++)
        {
            if (_random.Next(10) == 0)
            {
                // A branch on a comparison of the float parameter: both arms are reached across methods.
                var chosen = Recent(tensors);
                if (_random.Next(2) == 0)
                {
                    var target = $"t{locals++}";
                    body.AppendLine($"        var {target} = s > {Threshold()} ? {TensorExpression(tensors, vectors, floats)} : {Pick(tensors)};");
                    tensors.Add(target);
                }
                else if (chosen.StartsWith('t'))
                {
                    var otherwise = _random.Next(2) == 0 ? string.Empty : $" else {{ {chosen} = {TensorExpression(tensors, vectors, floats)}; }}";
                    var condition = _random.Next(3) == 0 ? $"Sum({Pick(tensors)}) > 0" : $"s < {Threshold()}";
                    body.AppendLine($"        if ({condition}) {{ {chosen} = {TensorExpression(tensors, vectors, floats)}; }}{otherwise}");
                    tensors.Remove(chosen);
                    tensors.Add(chosen);
                }

                continue;
            }

            if (_random.Next(12) == 0)
            {
                // A counted loop carrying a tensor (and a float local, when there is one) from one iteration to the next.
                var carried = Recent(tensors);
                if (carried.StartsWith('t'))
                {
                    var accumulated = floats.LastOrDefault(f => f.StartsWith('f'));
                    var accumulate = accumulated is null ? string.Empty : $" {accumulated} = {accumulated} + 0.1f * Sum({carried});";
                    tensors.Remove(carried);
                    tensors.Add(carried);

                    // One to three statements; locals of the body are read only inside it.
                    var inBody = new List<string>(tensors);
                    var statements = new StringBuilder();
                    for (var k = _random.Next(1, 4); k > 1; k--)
                    {
                        var local = $"t{locals++}";
                        statements.Append($" var {local} = {TensorExpression(inBody, vectors, floats)};");
                        inBody.Add(local);
                    }

                    statements.Append($" {carried} = {TensorExpression(inBody, vectors, floats)};");
                    var loop = $"for (var i = 0; i < {_random.Next(4)}; i++) {{{statements}{accumulate} }}";
                    body.AppendLine(_random.Next(8) switch
                    {
                        // Nested: an inner loop counted by the outer counter, or a loop inside a branch; or counting down; or skipping an
                        // iteration; or stepping by more than one, up or down (from bounds that may give no iteration).
                        0 => $"        for (var k = 0; k < {_random.Next(1, 3)}; k++) {{ for (var i = 0; i <= k; i++) {{{statements}{accumulate} }} }}",
                        1 => $"        if (s < {Threshold()}) {{ {loop} }}",
                        2 => $"        for (var i = {_random.Next(3)}; i >= 0; i--) {{{statements}{accumulate} }}",
                        3 => $"        for (var i = 0; i < {_random.Next(4)}; i++) {{ if (i == 1) continue;{statements}{accumulate} }}",
                        4 => $"        for (var i = {_random.Next(3)}; i < {_random.Next(6)}; i += {_random.Next(2, 4)}) {{{statements}{accumulate} }}",
                        5 => $"        for (var i = {_random.Next(6)}; i >= {_random.Next(2)}; i -= 2) {{{statements}{accumulate} }}",
                        _ => $"        {loop}",
                    });
                }

                continue;
            }

            if (_random.Next(8) == 0)
            {
                var vector = $"u{locals++}";
                body.AppendLine($"        var {vector} = {VectorExpression(tensors, vectors)};");
                vectors.Add(vector);
                continue;
            }

            if (_random.Next(5) == 0)
            {
                var value = FloatExpression(tensors, floats);
                var target = $"f{locals++}";
                body.AppendLine($"        float {target} = {value};");
                floats.Add(target);
                continue;
            }

            var expression = TensorExpression(tensors, vectors, floats);
            var reassigned = tensors.Where(t => t.StartsWith('t')).ToList();
            if (reassigned.Count > 0 && _random.Next(4) == 0)
            {
                var target = reassigned[_random.Next(reassigned.Count)];
                body.AppendLine($"        {target} = {expression};");
                tensors.Remove(target);
                tensors.Add(target);
            }
            else
            {
                var target = $"t{locals++}";
                body.AppendLine($"        var {target} = {expression};");
                tensors.Add(target);
            }
        }

        var unsupported = _random.Next(10) == 0;
        if (unsupported)
        {
            var target = Recent(tensors);
            body.AppendLine(_random.Next(3) switch
            {
                0 => $"        if (s > 0) {{ return Sum({target}); }}",
                1 => $"        for (var i = 1; i < 4; i *= 2) {{ {target} = {target} + {Pick(tensors)}; }}",
                _ => $"        var t{locals++} = new[] {{ {target}, {Pick(tensors)} }}[1];",
            });
        }

        var result = $"SumOfSquares({Recent(tensors)}) + SumOfSquares({Recent(vectors)})";
        if (_random.Next(2) == 0)
        {
            result += $" + {Pick(floats)}";
        }

        if (_random.Next(3) == 0)
        {
            result += $" - 0.5f * Sum({Pick(tensors)})";
        }

        return ($$"""
            using System;
            using Backprop;
            using static Backprop.Nn;

            public static partial class {{name}}
            {
                private static readonly int[] Labels = [2, 0, 1];

                [Differentiable]
                public static float F(Tensor a, Tensor b, Tensor c, Tensor v, float s)
                {
            {{body}}        return {{result}};
                }

                [Differentiable]
                public static Tensor Layer(Tensor x, Tensor w) => Tanh(x * w + x);

                /// <summary>Scalar code, called from tensor code through its pullback.</summary>
                [Differentiable]
                public static float Soft(float x, int n)
                {
                    var y = x;
                    for (int i = 0; i < n; i++)
                    {
                        y = y < 0f ? 0.5f * y : y * (1f + 0.1f * y);
                    }

                    return y;
                }
            }
            """, unsupported);
    }

    private string TensorExpression(List<string> tensors, List<string> vectors, List<string> floats)
    {
        var x = Recent(tensors);
        var y = Pick(tensors);
        return _random.Next(21) switch
        {
            0 => $"{x} + {y}",
            1 => $"{y} + {x}",
            2 => $"{x} - {y}",
            3 => $"{x} * {y}",
            4 => $"Multiply({x}, {y})",
            5 => $"Tanh({x})",
            6 => $"Sigmoid({x} + {y})",
            7 => $"{x} + {Pick(vectors)}",
            8 => $"{x} * (0.25f * {Pick(floats)})",
            9 => $"Layer({x}, {y})",
            10 => $"Relu({x})",
            11 => $"LeakyRelu({x}, 0.2f)",
            12 => $"Elu({x})",
            13 => $"Gelu({x})",
            14 => $"Softmax({x})",
            15 => $"Maxout({x}, {y})",
            16 => $"Linear({x}, {y}, {Pick(vectors)})",
            17 => $"Axpy(0.5f * {Pick(floats)}, {x}, {y})",
            18 => $"LayerNorm({x}, {Pick(vectors)}, {Pick(vectors)})",
            19 => $"{Pick(vectors)} - {x}",
            _ => $"{x} + Tanh({x} * {y})",
        };
    }

    private string VectorExpression(List<string> tensors, List<string> vectors) => _random.Next(3) switch
    {
        0 => $"ColumnSums({Recent(tensors)})",
        1 => $"Tanh({Pick(vectors)} + {Pick(vectors)})",
        _ => $"0.5f * {Pick(vectors)}",
    };

    private string FloatExpression(List<string> tensors, List<string> floats) => _random.Next(9) switch
    {
        7 => $"Soft({Pick(floats)}, 2) * {Pick(floats)}",
        0 => $"Sum({Recent(tensors)})",
        1 => $"0.1f * SumOfSquares({Pick(tensors)})",
        2 => $"{Pick(floats)} * Sum({Recent(tensors)})",
        3 => $"MeanSquaredError({Recent(tensors)}, {Pick(tensors)})",
        4 => $"SoftmaxCrossEntropy({Recent(tensors)}, Labels)",
        5 => $"MathF.Tanh({Pick(floats)}) * {Pick(floats)}",
        6 => $"MathF.Sqrt(1f + {Pick(floats)} * {Pick(floats)})",
        _ => $"{Pick(floats)} - 0.5f * {Pick(floats)}",
    };

    private string Threshold() => _random.Next(3) switch { 0 => "0", 1 => "0.25f", _ => "-0.25f" };

    /// <summary>One of the last few values, so chains grow deep as well as wide.</summary>
    private string Recent(List<string> values) => values[Math.Max(0, values.Count - 1 - _random.Next(Math.Min(3, values.Count)))];

    private string Pick(List<string> values) => values[_random.Next(values.Count)];
}
