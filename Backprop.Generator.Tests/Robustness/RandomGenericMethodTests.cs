using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>
/// Generic math under fuzzing: each random body over x, y, an array w and a count n is written twice, once over
/// <c>T : IFloatingPointIeee754&lt;T&gt;</c> (<c>T.Sin</c>, <c>T.CreateChecked(0.5)</c>, <c>T.CreateChecked(i)</c>) and once
/// over double (<c>Math.Sin</c>, <c>0.5</c>, <c>i</c>); the generic method's generated members instantiated with double
/// must give the non-generic ones' values and derivatives bit for bit — Gradient, Tangent and HessianVector, the array's
/// too — so that everything the random-method campaign checks of the double method holds for the generic one.
/// BACKPROP_FUZZ_GENERIC sets the number of methods (default 40), BACKPROP_FUZZ_SEED the seed.
/// </summary>
public sealed class RandomGenericMethodTests
{
    [Fact]
    public void RandomGenericMethods_InstantiatedWithDouble_GiveTheDoubleMethodsDerivatives_BitForBit()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_GENERIC"), out var t) && t > 0 ? t : 40;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_SEED"), out var s) ? s : 20261202;
        var random = new Random(seed);
        var checkedPoints = 0;
        for (var batch = 0; batch * 20 < total; batch++)
        {
            var count = Math.Min(20, total - (batch * 20));
            var sources = Enumerable.Range(0, count).Select(i => new GenericBody(random).Source($"R{batch}_{i}")).ToArray();
            var (result, output) = GeneratorHarness.Run(sources);
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"seed {seed}, batch {batch}: {string.Join("\n", errors)}\n{string.Join("\n", errors.Select(e => e.Location.SourceTree))}");
            using var loaded = LoadedAssembly.Emit(output, $"generic{batch}");
            for (var i = 0; i < count; i++)
            {
                var type = loaded.Assembly.GetType($"R{batch}_{i}")!;
                for (var point = 0; point < 3; point++)
                {
                    double Draw(double scale) => ((random.NextDouble() * 2) - 1) * scale;
                    object[] arguments = [Draw(2), Draw(2), new[] { Draw(2), Draw(2), Draw(2) }, random.Next(0, 4), Draw(1), Draw(1), new[] { Draw(1), Draw(1), Draw(1) }];
                    var generic = (double[])type.GetMethod("ProbeGeneric")!.Invoke(null, arguments)!;
                    var plain = (double[])type.GetMethod("ProbeDouble")!.Invoke(null, arguments)!;
                    var at = Enumerable.Range(0, generic.Length).FirstOrDefault(k => BitConverter.DoubleToInt64Bits(generic[k]) != BitConverter.DoubleToInt64Bits(plain[k]), -1);
                    Assert.True(at < 0, at < 0 ? null
                        : $"{GenericBody.Results[at]}: {generic[at]:R} (generic) against {plain[at]:R} (seed {seed}, batch {batch}, method {i}, "
                          + $"x = {arguments[0]:R}, y = {arguments[1]:R}, w = [{string.Join(", ", ((double[])arguments[2]).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}], n = {arguments[3]}):\n{sources[i]}");
                    checkedPoints++;
                }
            }
        }

        Console.WriteLine($"generic methods, seed {seed}: {total} methods, {checkedPoints} points, Gradient, Tangent and HessianVector bit for bit");
    }

    /// <summary>
    /// A random body over x, y, w and n in the subset of C# that generic math supports (locals, compound assignment,
    /// counted loops, branches on comparisons, array elements, counts as values, T's functions, constants), written for
    /// T and for double.
    /// </summary>
    private sealed class GenericBody
    {
        private static readonly string[] s_unary = ["Sin", "Cos", "Tanh", "Atan"];

        /// <summary>What each element of a probe's result is: the value and derivatives of Gradient, Tangent and HessianVector.</summary>
        public static readonly string[] Results =
            ["Gradient's value", "dx", "dy", "dw[0]", "dw[1]", "dw[2]", "Tangent's value", "its dResult", "HessianVector's value", "hx", "hy", "hw[0]", "hw[1]", "hw[2]"];

        private readonly Random _random;
        private readonly List<string> _variables = ["x", "y"];
        private readonly List<string> _counters = [];
        private readonly List<string> _lines = [];
        private int _locals;

        public GenericBody(Random random)
        {
            _random = random;
            Statements(_random.Next(2, 6), depth: 0);
            _lines.Add($"return {Expression(2)};");
        }

        /// <summary>A class with the generic method G and its double twin D.</summary>
        public string Source(string className)
        {
            var body = string.Join("\n        ", _lines);
            return $$"""
                using System;
                using System.Numerics;
                using Backprop;

                public static partial class {{className}}
                {
                    [Differentiable]
                    public static T G<T>(T x, T y, T[] w, int n) where T : IFloatingPointIeee754<T>
                    {
                        {{Spell(body, generic: true)}}
                    }

                    [Differentiable]
                    public static double D(double x, double y, double[] w, int n)
                    {
                        {{Spell(body, generic: false)}}
                    }

                    public static double[] ProbeGeneric(double x, double y, double[] w, int n, double vx, double vy, double[] vw)
                    {
                        var (dw, hw) = (new double[3], new double[3]);
                        var value = GGradient<double>(x, y, w, n, out var dx, out var dy, dw);
                        var tangent = GTangent<double>(x, y, w, n, vx, vy, vw, out var dResult);
                        var hv = GHessianVector<double>(x, y, w, n, vx, vy, vw, out var hx, out var hy, hw);
                        return [value, dx, dy, .. dw, tangent, dResult, hv, hx, hy, .. hw];
                    }

                    public static double[] ProbeDouble(double x, double y, double[] w, int n, double vx, double vy, double[] vw)
                    {
                        var (dw, hw) = (new double[3], new double[3]);
                        var value = DGradient(x, y, w, n, out var dx, out var dy, dw);
                        var tangent = DTangent(x, y, w, n, vx, vy, vw, out var dResult);
                        var hv = DHessianVector(x, y, w, n, vx, vy, vw, out var hx, out var hy, hw);
                        return [value, dx, dy, .. dw, tangent, dResult, hv, hx, hy, .. hw];
                    }
                }
                """;
        }

        /// <summary>The body with its placeholders spelled: ⟦T⟧ the type, ⟦F:Sin⟧ a function, ⟦C:0.5⟧ a constant.</summary>
        private static string Spell(string body, bool generic)
        {
            var text = new StringBuilder(body);
            text.Replace("⟦T⟧", generic ? "T" : "double");
            foreach (var function in s_unary.Concat(["Exp", "Sqrt", "Log", "Abs", "Max", "Min", "Pow"]))
            {
                text.Replace($"⟦F:{function}⟧", generic ? $"T.{function}" : $"Math.{function}");
            }

            var spelled = text.ToString();
            while (spelled.IndexOf("⟦C:", StringComparison.Ordinal) is var at and >= 0)
            {
                var end = spelled.IndexOf('⟧', at);
                var number = spelled.Substring(at + 3, end - at - 3);
                spelled = spelled[..at] + (generic ? $"T.CreateChecked({number})" : number) + spelled[(end + 1)..];
            }

            while (spelled.IndexOf("⟦N:", StringComparison.Ordinal) is var at and >= 0)
            {
                // A count as a value: converted by T.CreateChecked, or implicitly to double.
                var end = spelled.IndexOf('⟧', at);
                var count = spelled.Substring(at + 3, end - at - 3);
                spelled = spelled[..at] + (generic ? $"T.CreateChecked({count})" : count) + spelled[(end + 1)..];
            }

            return spelled;
        }

        private void Statements(int count, int depth)
        {
            for (var i = 0; i < count; i++)
            {
                switch (_random.Next(depth < 2 ? 6 : 4))
                {
                    case 0:
                        var local = $"v{_locals++}";
                        _lines.Add($"⟦T⟧ {local} = {Expression(2)};");
                        _variables.Add(local);
                        break;
                    case 1:
                        _lines.Add($"{Pick()} {(_random.Next(2) == 0 ? "+=" : "-=")} {Expression(2)};");
                        break;
                    case 2:
                        _lines.Add($"{Pick()} *= {Bounded(Expression(1))};");
                        break;
                    case 3:
                        _lines.Add($"{Pick()} = {Expression(2)};");
                        break;
                    case 4:
                        _lines.Add($"if ({Expression(1)} {(_random.Next(2) == 0 ? "<" : ">=")} {Expression(1)})");
                        Block(depth);
                        if (_random.Next(2) == 0)
                        {
                            _lines.Add("else");
                            Block(depth);
                        }

                        break;
                    default:
                        _lines.Add($"for (int i{depth} = 0; i{depth} < {(_random.Next(2) == 0 ? "n" : _random.Next(1, 4).ToString(CultureInfo.InvariantCulture))}; i{depth}++)");
                        _counters.Add($"i{depth}");
                        Block(depth);
                        _counters.RemoveAt(_counters.Count - 1);
                        break;
                }
            }
        }

        /// <summary>A braced block; the locals declared inside it go out of scope after it.</summary>
        private void Block(int depth)
        {
            var scope = _variables.Count;
            _lines.Add("{");
            Statements(_random.Next(1, 3), depth + 1);
            _lines.Add("}");
            _variables.RemoveRange(scope, _variables.Count - scope);
        }

        private string Pick() => _variables[_random.Next(_variables.Count)];

        /// <summary>An expression whose value stays modest: products are bounded by tanh, divisions by 1 + e².</summary>
        private string Expression(int depth)
        {
            if (depth == 0 || _random.Next(4) == 0)
            {
                return _random.Next(6) switch
                {
                    0 => Constant(),
                    1 => $"w[{(_counters.Count > 0 && _random.Next(2) == 0 ? $"{_counters[_random.Next(_counters.Count)]} % 3" : _random.Next(3).ToString(CultureInfo.InvariantCulture))}]",
                    2 when _counters.Count > 0 => $"(⟦N:{_counters[_random.Next(_counters.Count)]}⟧ * {Constant(0.25)})",
                    _ => Pick(),
                };
            }

            var (a, b) = (Expression(depth - 1), Expression(depth - 1));
            return _random.Next(12) switch
            {
                10 => $"⟦F:Pow⟧({Constant(0.5)} + ⟦F:Abs⟧({Bounded(a)}), {Constant(Math.Round(_random.NextDouble() * 2, 1) + 0.5)})",
                11 => $"⟦F:Abs⟧({a})",
                0 => $"({a} + {b})",
                1 => $"({a} - {b})",
                2 => $"({a} * {Bounded(b)})",
                3 => $"({a} / ({Constant(1.5)} + ({b}) * ({b})))",
                4 => $"⟦F:{s_unary[_random.Next(s_unary.Length)]}⟧({a})",
                5 => $"⟦F:Exp⟧({Bounded(a)})",
                6 => $"⟦F:Sqrt⟧({Constant(1)} + ({a}) * ({a}))",
                7 => $"⟦F:Log⟧({Constant(2)} + {Bounded(a)})",
                8 => $"⟦F:{(_random.Next(2) == 0 ? "Max" : "Min")}⟧({a}, {b})",
                _ => $"(-{Bounded(a)})",
            };
        }

        private static string Bounded(string expression) => $"⟦F:Tanh⟧({expression})";

        private string Constant() => Constant(Math.Round((_random.NextDouble() * 4) - 2, 2));

        private static string Constant(double value) => $"⟦C:{value.ToString("0.0#", CultureInfo.InvariantCulture)}⟧";
    }
}
