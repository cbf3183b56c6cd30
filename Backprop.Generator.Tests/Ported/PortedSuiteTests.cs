using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace Backprop.Generator.Tests.Ported;

/// <summary>
/// Runs <see cref="CladGradientSuite"/>, functions nobody here wrote, through the generator: each is differentiated
/// correctly (its gradient matches central differences at random points) or rejected with a BP error — never wrong.
/// The share differentiated is a ratchet: it may rise, not fall. The test's output lists every function's outcome.
/// </summary>
public sealed class PortedSuiteTests(ITestOutputHelper output)
{
    /// <summary>The share of the suite differentiated today; raise it when more C# differentiates.</summary>
    private const double DifferentiatedAtLeast = 0.87;

    private const int ArrayLength = 4;

    private const int IntArgument = 3;

    [Fact]
    public void CladGradientSuite_IsDifferentiatedCorrectlyOrRejected_NeverWrong()
    {
        var functions = CladGradientSuite.Functions;
        var sources = functions.Select((f, i) => $$"""
            using System;
            using Backprop;

            public partial class Ported{{i}}
            {
                {{Declare(f.Name, f.Source)}}
            }
            """).ToArray();
        var (result, compiled) = GeneratorHarness.Run(sources);

        var outcomes = new List<string>();
        var accepted = new List<int>();
        for (var i = 0; i < functions.Length; i++)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.GetLineSpan().Path == $"Input{i}.cs").ToList();
            if (errors.Count > 0)
            {
                outcomes.Add($"rejected      {functions[i].Name}: {errors[0].Id} {errors[0].GetMessage(CultureInfo.InvariantCulture)}");
            }
            else
            {
                accepted.Add(i);
            }
        }

        var probes = accepted.Select(i => Probe(i, compiled)).ToList();
        using var loaded = LoadedAssembly.Emit(compiled.AddSyntaxTrees(probes.Select(p => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(p, GeneratorHarness.ParseOptions))), "ported");
        var wrong = 0;
        var random = new Random(20261201);
        foreach (var i in accepted)
        {
            var type = loaded.Assembly.GetType($"Ported{i}")!;
            var problem = Check(type, random);
            if (problem is null)
            {
                outcomes.Add($"differentiated {functions[i].Name}");
            }
            else
            {
                wrong++;
                outcomes.Add($"WRONG         {functions[i].Name}: {problem}");
            }
        }

        foreach (var outcome in outcomes.OrderBy(o => o, StringComparer.Ordinal))
        {
            output.WriteLine(outcome);
        }

        var share = (double)(accepted.Count - wrong) / functions.Length;
        output.WriteLine($"{accepted.Count - wrong} of {functions.Length} differentiated ({share:P0}), {functions.Length - accepted.Count} rejected, {wrong} wrong");
        Assert.True(wrong == 0, string.Join("\n", outcomes.Where(o => o.StartsWith("WRONG", StringComparison.Ordinal))));
        Assert.True(share >= DifferentiatedAtLeast, $"only {share:P0} of the ported suite differentiates:\n{string.Join("\n", outcomes.Where(o => o.StartsWith("rejected", StringComparison.Ordinal)))}");
    }

    /// <summary>
    /// F made [Differentiable] and public, static unless it is a member function in the original (<c>S_f</c>). The
    /// functions it calls are [Differentiable] too: Clad differentiates any function a differentiated one calls, and
    /// the attribute is how C# code says the same.
    /// </summary>
    private static string Declare(string name, string source)
    {
        var modifiers = name.StartsWith("S_", StringComparison.Ordinal) ? "[Differentiable] public " : "[Differentiable] public static ";
        return System.Text.RegularExpressions.Regex.Replace(source, @"static (double|float|void) (\w+)\(", "[Differentiable] static $1 $2(")
            .Replace("double F(", modifiers + "double F(", StringComparison.Ordinal)
            .Replace("float F(", modifiers + "float F(", StringComparison.Ordinal);
    }

    /// <summary>
    /// A class beside the function's with <c>Value(p)</c> and <c>Gradient(p, g)</c> over a flat point: each double or float
    /// parameter one coordinate, each array <see cref="ArrayLength"/>; ints are <see cref="IntArgument"/>.
    /// </summary>
    private static string Probe(int index, Compilation compiled)
    {
        var type = compiled.GetTypeByMetadataName($"Ported{index}")!;
        var f = type.GetMembers("F").OfType<IMethodSymbol>().Single();
        var receiver = f.IsStatic ? $"Ported{index}" : $"new Ported{index}()";
        var arguments = new List<string>();
        var gradients = new List<string>();
        var copies = new List<string>();
        var declarations = new List<string>();
        var at = 0;
        foreach (var parameter in f.Parameters)
        {
            var typeName = parameter.Type.ToDisplayString();
            switch (typeName)
            {
                case "double" or "float":
                    arguments.Add(typeName == "float" ? $"(float)p[{at}]" : $"p[{at}]");
                    gradients.Add($"out var d{at}");
                    copies.Add($"g[{at}] = d{at};");
                    at++;
                    break;
                case "double[]" or "float[]":
                    var element = typeName.TrimEnd('[', ']');
                    declarations.Add($"var a{at} = new {element}[{ArrayLength}]; for (int k = 0; k < {ArrayLength}; k++) a{at}[k] = ({element})p[{at} + k];");
                    declarations.Add($"var da{at} = new {element}[{ArrayLength}];");
                    arguments.Add($"a{at}");
                    gradients.Add($"da{at}");
                    copies.Add($"for (int k = 0; k < {ArrayLength}; k++) g[{at} + k] = da{at}[k];");
                    at += ArrayLength;
                    break;
                default:
                    arguments.Add($"({typeName}){IntArgument}");
                    break;
            }
        }

        return $$"""
            public static class Probe{{index}}
            {
                public const int Coordinates = {{at}};

                public static double Value(double[] p)
                {
                    {{string.Join("\n        ", declarations.Where(d => !d.StartsWith("var da", StringComparison.Ordinal)))}}
                    return {{receiver}}.F({{string.Join(", ", arguments)}});
                }

                public static double Gradient(double[] p, double[] g)
                {
                    {{string.Join("\n        ", declarations)}}
                    var value = {{receiver}}.FGradient({{string.Join(", ", arguments.Concat(gradients))}});
                    {{string.Join("\n        ", copies)}}
                    return value;
                }
            }
            """;
    }

    /// <summary>Null when the gradient matches central differences at three random points; else what differs.</summary>
    private static string? Check(Type ported, Random random)
    {
        var probe = ported.Assembly.GetType("Probe" + ported.Name.Substring("Ported".Length))!;
        var coordinates = (int)probe.GetField("Coordinates")!.GetValue(null)!;
        var value = probe.GetMethod("Value")!;
        var gradientOf = probe.GetMethod("Gradient")!;
        var f = ported.GetMethod("F", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)!;
        var isFloat = f.ReturnType == typeof(float) || f.GetParameters().Any(p => p.ParameterType == typeof(float) || p.ParameterType == typeof(float[]));
        for (var trial = 0; trial < 3; trial++)
        {
            var point = Enumerable.Range(0, coordinates).Select(_ => 0.3 + (1.4 * random.NextDouble())).ToArray();
            var gradient = new double[coordinates];
            gradientOf.Invoke(null, [point, gradient]);
            for (var k = 0; k < coordinates; k++)
            {
                double F(double v)
                {
                    var p = (double[])point.Clone();
                    p[k] = v;
                    return (double)Convert.ChangeType(value.Invoke(null, [p])!, typeof(double), CultureInfo.InvariantCulture);
                }

                var h = isFloat ? FiniteDifference.FloatStep(point[k]) : FiniteDifference.DoubleStep(point[k]);
                if (!FiniteDifference.IsSmoothAt(F, point[k], h, isFloat ? 1e-2 : 1e-5))
                {
                    continue;
                }

                var expected = FiniteDifference.Central(F, point[k], h);
                var error = FiniteDifference.RelativeError(gradient[k], expected);
                if (error > (isFloat ? 1e-2 : 1e-5))
                {
                    return $"at ({string.Join(", ", point.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}) component {k} is {gradient[k]:R}, central difference {expected:R}";
                }
            }
        }

        return null;
    }
}
