using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>
/// Random straight-line tensor methods: <c>static float F(Tensor a, Tensor b, Tensor c, Tensor v, float s)</c> (three
/// 3×3 matrices, a bias vector, a float) built from the add, subtract, MatMul, Hadamard, scale and broadcast gates, Tanh
/// and Sigmoid, reductions to float and float arithmetic on them, and a [Differentiable] helper layer read in place.
/// Values are read again at random distances, locals are reassigned, and the same value may meet itself — the shapes
/// where the backward sweep's adjoint sharing, versioning and accumulation can go wrong.
/// </summary>
internal sealed class RandomTensorProgramGenerator(int seed)
{
    private readonly Random _random = new(seed);

    public const int Size = 3;

    /// <summary>The source of a class <paramref name="name"/> holding F and the helper layer it may call.</summary>
    public string Next(string name)
    {
        var tensors = new List<string> { "a", "b", "c" };
        var floats = new List<string> { "s" };
        var body = new StringBuilder();
        var steps = _random.Next(3, 10);
        var locals = 0;
        for (var step = 0; step < steps; step++)
        {
            if (_random.Next(5) == 0)
            {
                var value = FloatExpression(tensors, floats);
                var target = $"f{locals++}";
                body.AppendLine($"        float {target} = {value};");
                floats.Add(target);
                continue;
            }

            var expression = TensorExpression(tensors, floats);
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

        var result = $"SumOfSquares({Recent(tensors)})";
        if (_random.Next(2) == 0)
        {
            result += $" + {Pick(floats)}";
        }

        if (_random.Next(3) == 0)
        {
            result += $" - 0.5f * Sum({Pick(tensors)})";
        }

        return $$"""
            using Backprop;
            using static Backprop.Nn;

            public static partial class {{name}}
            {
                [Differentiable]
                public static float F(Tensor a, Tensor b, Tensor c, Tensor v, float s)
                {
            {{body}}        return {{result}};
                }

                [Differentiable]
                public static Tensor Layer(Tensor x, Tensor w) => Tanh(x * w + x);
            }
            """;
    }

    private string TensorExpression(List<string> tensors, List<string> floats)
    {
        var x = Recent(tensors);
        var y = Pick(tensors);
        return _random.Next(11) switch
        {
            0 => $"{x} + {y}",
            1 => $"{y} + {x}",
            2 => $"{x} - {y}",
            3 => $"{x} * {y}",
            4 => $"Multiply({x}, {y})",
            5 => $"Tanh({x})",
            6 => $"Sigmoid({x} + {y})",
            7 => $"{x} + v",
            8 => $"{x} * (0.25f * {Pick(floats)})",
            9 => $"Layer({x}, {y})",
            _ => $"{x} + Tanh({x} * {y})",
        };
    }

    private string FloatExpression(List<string> tensors, List<string> floats) => _random.Next(4) switch
    {
        0 => $"Sum({Recent(tensors)})",
        1 => $"0.1f * SumOfSquares({Pick(tensors)})",
        2 => $"{Pick(floats)} * Sum({Recent(tensors)})",
        _ => $"{Pick(floats)} - 0.5f * {Pick(floats)}",
    };

    /// <summary>One of the last few values, so chains grow deep as well as wide.</summary>
    private string Recent(List<string> values) => values[Math.Max(0, values.Count - 1 - _random.Next(Math.Min(3, values.Count)))];

    private string Pick(List<string> values) => values[_random.Next(values.Count)];
}
