using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Gates;

/// <summary>
/// The rule table is the one place that knows a gate: every gate kind and every supported Math/MathF function has a
/// rule, every rule's terms match finite differences of the real function, and what a rule reads (which decides what
/// the forward sweep saves) follows from its terms.
/// </summary>
public sealed class GateRuleTableTests
{
    /// <summary>Gate kinds whose rule is code rather than data, and why.</summary>
    private static readonly Dictionary<GateKind, string> s_coded = new()
    {
        [GateKind.Call] = "the callee's own pullback (CallRule)",
        [GateKind.Inactive] = "no gradient flows through a constant",
    };

    private static readonly Expr X = new VariableExpr("x", DataType.Double);
    private static readonly Expr Y = new VariableExpr("y", DataType.Double);

    [Fact]
    public void EveryGateKind_HasARule()
    {
        foreach (var kind in Enum.GetValues<GateKind>().Where(k => !s_coded.ContainsKey(k)))
        {
            var gate = kind == GateKind.Math
                ? new Gate(kind, new VariableExpr("z", DataType.Double), [X]) { Math = new MathCallExpr("Math", "Exp", new[] { X }.ToEquatableArray(), DataType.Double) }
                : new Gate(kind, new VariableExpr("z", DataType.Double), [X, Y]);
            Assert.True(GateRules.For(gate) is not null, $"gate kind {kind} has no rule in GateRules");
        }
    }

    /// <summary>Every public Math function over doubles that the generator accepts has a rule of its arity (or routes, or is a step).</summary>
    [Fact]
    public void EverySupportedMathFunction_HasARuleOfItsArity_InMathAndMathF()
    {
        foreach (var (function, arity) in GateRules.MathRules)
        {
            Assert.True((Method(typeof(Math), typeof(double), function, arity) ?? Method(typeof(double), typeof(double), function, arity)) is not null, $"no Math.{function} or double.{function} of {arity} arguments");
            Assert.True((Method(typeof(MathF), typeof(float), function, arity) ?? Method(typeof(float), typeof(float), function, arity)) is not null, $"no MathF.{function} or float.{function} of {arity} arguments");
        }

        var accepted = typeof(Math).GetMethods()
            .Where(m => m.ReturnType == typeof(double) && m.GetParameters().All(p => p.ParameterType == typeof(double)))
            .Where(m => GateRules.Supports(m.Name, m.GetParameters().Length))
            .ToList();
        Assert.All(accepted, m => Assert.True(
            GateRules.ForMath(m.Name, m.GetParameters().Length) is not null || GateRules.Routers.Contains(m.Name),
            $"Math.{m.Name} with {m.GetParameters().Length} arguments is accepted but has no rule"));
        var named = GateRules.MathRules.Where(r => Method(typeof(Math), typeof(double), r.Function, r.Arity) is { } m && m.GetParameters().All(p => p.ParameterType == typeof(double)))
            .Select(r => r.Function).Concat(GateRules.Routers).Where(f => f != "Sign").ToHashSet(); // Math.Sign returns int
        Assert.Equal(named.Order(), accepted.Select(m => m.Name).Distinct().Order());
    }

    public static TheoryData<string, int> MathRules()
    {
        var data = new TheoryData<string, int>();
        foreach (var (function, arity) in GateRules.MathRules)
        {
            data.Add(function, arity);
        }

        return data;
    }

    /// <summary>Each contribution of each rule, evaluated with a unit output adjoint, is the partial derivative of the real function.</summary>
    [Theory]
    [MemberData(nameof(MathRules))]
    public void EveryMathRule_MatchesFiniteDifferences(string function, int arity)
    {
        var method = Method(typeof(Math), typeof(double), function, arity) ?? Method(typeof(double), typeof(double), function, arity)!;
        var types = method.GetParameters().Select(p => p.ParameterType).ToArray();
        var rule = GateRules.ForMath(function, arity)!;
        double F(double[] a) => Convert.ToDouble(method.Invoke(null, a.Select((v, i) => Convert.ChangeType(v, types[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        double[][] points = arity switch
        {
            1 => [[0.3], [0.71], [-0.45]],
            2 => [[0.3, 1.7], [0.8, 0.6], [2.5, -0.4]],
            _ => [[0.3, 1.7, -0.2], [0.8, -0.6, 1.1]],
        };
        foreach (var raw in points)
        {
            // Integer operands (ScaleB's exponent) take integer values and are not differentiated.
            var point = raw.Select((v, i) => types[i] == typeof(int) ? Math.Round(v * 2) : v).ToArray();
            if (!double.IsFinite(F(point)) || (function is "Log" or "Log10" or "Log2" or "Sqrt" && point[0] < 0) || (function == "Log" && arity == 2 && point[1] < 0))
            {
                continue;
            }

            var z = F(point);
            var companion = function == "Sin" ? Math.Cos(point[0]) : function == "Cos" ? Math.Sin(point[0]) : double.NaN;
            for (var i = 0; i < arity; i++)
            {
                if (types[i] == typeof(int))
                {
                    continue;
                }

                var analytic = rule.Contributions.Where(c => c.Operand == i).Sum(c => (c.Subtract ? -1 : 1) * Evaluate(c.Value, point, z, companion));
                var k = i;
                var h = FiniteDifference.DoubleStep(point[i]);
                var numeric = FiniteDifference.Central(v => F(point.Select((p, j) => j == k ? v : p).ToArray()), point[i], h);
                Assert.True(
                    FiniteDifference.RelativeError(analytic, numeric) < 1e-6,
                    $"∂{function}/∂a{i} at ({string.Join(", ", point)}): rule gives {analytic}, finite differences {numeric}");
            }
        }
    }

    /// <summary>The method of <paramref name="owner"/> named <paramref name="function"/> over <paramref name="number"/> (ScaleB's exponent is an int).</summary>
    private static System.Reflection.MethodInfo? Method(Type owner, Type number, string function, int arity) =>
        owner.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .FirstOrDefault(m => m.Name == function && m.GetParameters().Length == arity && !m.IsGenericMethod
                && m.GetParameters().All(p => p.ParameterType == number || p.ParameterType == typeof(int)) && m.GetParameters()[0].ParameterType == number);

    [Fact]
    public void StepFunctions_HaveNoContributions_AndTheParserAcceptsEveryOverload()
    {
        foreach (var step in new[] { "Sign", "Floor", "Ceiling", "Round", "Truncate" })
        {
            Assert.True(GateRules.HasZeroDerivative(step));
            Assert.True(GateRules.Supports(step, 2), $"Math.{step} with two arguments (Round(x, digits)) has no gradient either");
        }

        Assert.False(GateRules.HasZeroDerivative("Exp"));
        Assert.False(GateRules.Supports("Exp", 2));
    }

    /// <summary>What the backward sweep reads, and so what the forward sweep must save, comes from the terms.</summary>
    [Fact]
    public void WhatARuleReads_FollowsFromItsTerms()
    {
        var exp = GateRules.ForMath("Exp", 1)!;
        Assert.True(exp.ReadsResult);
        Assert.False(exp.ReadsOperand(0));

        var divide = GateRules.For(new Gate(GateKind.Divide, new VariableExpr("q", DataType.Double), [X, Y]))!;
        Assert.False(divide.ReadsOperand(0)); // da = dq / b: the numerator's value is not needed
        Assert.True(divide.ReadsOperand(1));
        Assert.True(divide.ReadsResult);

        var reciprocal = GateRules.For(new Gate(GateKind.Divide, new VariableExpr("q", DataType.Double), [new LiteralExpr("1.0", DataType.Double), Y]))!;
        Assert.False(reciprocal.ReadsOperand(1)); // d(1/b) = -(1/b)²: only the result
        Assert.True(reciprocal.ReadsResult);

        var sin = GateRules.ForMath("Sin", 1)!;
        Assert.True(sin.ReadsCompanion);
        Assert.False(sin.ReadsOperand(0));
        Assert.Equal(new CompanionValue("cos", ResultFirst: true), sin.Companion);

        var add = GateRules.For(new Gate(GateKind.Add, new VariableExpr("s", DataType.Double), [X, Y]))!;
        Assert.False(add.ReadsOperand(0) || add.ReadsOperand(1) || add.ReadsResult);
    }

    private static double Evaluate(Term term, double[] operands, double z, double companion) => term switch
    {
        Gradient => 1,
        Result => z,
        Companion => companion,
        Operand o => operands[o.Index],
        Number n => n.Value,
        Binary b => b.Op switch
        {
            BinaryOp.Add => Evaluate(b.Left, operands, z, companion) + Evaluate(b.Right, operands, z, companion),
            BinaryOp.Subtract => Evaluate(b.Left, operands, z, companion) - Evaluate(b.Right, operands, z, companion),
            BinaryOp.Multiply => Evaluate(b.Left, operands, z, companion) * Evaluate(b.Right, operands, z, companion),
            _ => Evaluate(b.Left, operands, z, companion) / Evaluate(b.Right, operands, z, companion),
        },
        MathCall m => Convert.ToDouble(Method(typeof(Math), typeof(double), m.Function, m.Arguments.Count)!
            .Invoke(null, m.Arguments.Select((a, i) => Convert.ChangeType(Evaluate(a, operands, z, companion), Method(typeof(Math), typeof(double), m.Function, m.Arguments.Count)!.GetParameters()[i].ParameterType, System.Globalization.CultureInfo.InvariantCulture)).ToArray()), System.Globalization.CultureInfo.InvariantCulture),
        ZeroWhen w => w.Conditions.All(c => Compare(Evaluate(c.Left, operands, z, companion), c.Op, Evaluate(c.Right, operands, z, companion)))
            ? 0
            : Evaluate(w.Value, operands, z, companion),
        CastToOperandType c => Evaluate(c.Value, operands, z, companion),
        _ => throw new InvalidOperationException(term.ToString()),
    };

    private static bool Compare(double left, BinaryOp op, double right) => op switch
    {
        BinaryOp.Equal => left == right,
        BinaryOp.GreaterThanOrEqual => left >= right,
        _ => throw new InvalidOperationException(op.ToString()),
    };
}
