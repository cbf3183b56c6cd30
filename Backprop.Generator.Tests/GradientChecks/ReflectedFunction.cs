using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>A [Differentiable] test function with scalar parameters, and its generated Gradient and Backward, called by reflection.</summary>
internal sealed class ReflectedFunction
{
    private readonly SampleAttribute _sample;
    private readonly MethodInfo _gradient;
    private readonly MethodInfo _backward;
    private readonly MethodInfo _tangent;
    private readonly object? _instance;

    public ReflectedFunction(MethodInfo method)
    {
        Method = method;
        _sample = method.GetCustomAttribute<SampleAttribute>()!;
        var type = method.DeclaringType!;
        _gradient = type.GetMethod(method.Name + "Gradient") ?? throw new InvalidOperationException($"{method.Name}Gradient was not generated");
        _backward = type.GetMethod(method.Name + "Backward") ?? throw new InvalidOperationException($"{method.Name}Backward was not generated");
        _tangent = type.GetMethod(method.Name + "Tangent") ?? throw new InvalidOperationException($"{method.Name}Tangent was not generated");
        _instance = method.IsStatic ? null : Activator.CreateInstance(type);
        DifferentiableIndices = method.GetParameters()
            .Where(p => (p.ParameterType == typeof(double) || p.ParameterType == typeof(float)) && p.GetCustomAttribute<NoDiffAttribute>() is null)
            .Select(p => p.Position)
            .ToList();
    }

    public MethodInfo Method { get; }

    /// <summary>Positions of the parameters that get a gradient, in declaration order.</summary>
    public List<int> DifferentiableIndices { get; }

    /// <summary>True when the result or parameter <paramref name="index"/> is a float: checks use float steps and tolerances.</summary>
    public bool InvolvesFloat(int index) =>
        Method.ReturnType == typeof(float) || Method.GetParameters()[index].ParameterType == typeof(float);

    public object[] SampleArguments(Random random)
    {
        var ints = new Queue<int>(_sample.Ints);
        var bools = new Queue<bool>(_sample.Bools);
        return Method.GetParameters().Select(p =>
        {
            var value = _sample.Min + (random.NextDouble() * (_sample.Max - _sample.Min));
            return p.ParameterType switch
            {
                var t when t == typeof(double) => (object)value,
                var t when t == typeof(float) => (float)value,
                var t when t == typeof(int) => ints.Dequeue(),
                var t when t == typeof(bool) => bools.Dequeue(),
                var t when t.IsEnum => Enum.GetValues(t).GetValue(1)!,
                var t => throw new InvalidOperationException($"no sample for {t}"),
            };
        }).ToArray();
    }

    public double Primal(object[] args) => Convert.ToDouble(Method.Invoke(_instance, args));

    /// <summary>The primal with argument <paramref name="index"/> replaced by <paramref name="value"/>.</summary>
    public double PrimalWith(object[] args, int index, double value)
    {
        var copy = (object[])args.Clone();
        copy[index] = copy[index] is float ? (object)(float)value : value;
        return Primal(copy);
    }

    public double[] Gradient(object[] args, out double value)
    {
        var all = args.Concat(DifferentiableIndices.Select(_ => (object?)null)).ToArray();
        value = Convert.ToDouble(_gradient.Invoke(_instance, all));
        return all.Skip(args.Length).Select(Convert.ToDouble).ToArray();
    }

    public double[] Backward(object[] args, double dResult, double[] prefilled, out double value)
    {
        var isFloat = Method.ReturnType == typeof(float);
        var adjoints = DifferentiableIndices.Select((index, k) => args[index] is float ? (object)(float)prefilled[k] : prefilled[k]);
        var all = args.Append(isFloat ? (object)(float)dResult : dResult).Concat(adjoints).ToArray();
        value = Convert.ToDouble(_backward.Invoke(_instance, all));
        return all.Skip(args.Length + 1).Select(Convert.ToDouble).ToArray();
    }

    /// <summary>Forward mode: F and dResult = Σ ∂F/∂(parameter k)·tangents[k] over the differentiable parameters.</summary>
    public double Tangent(object[] args, double[] tangents, out double value)
    {
        var all = args.Concat(DifferentiableIndices.Select((index, k) => args[index] is float ? (object)(float)tangents[k] : tangents[k])).Append(null).ToArray();
        value = Convert.ToDouble(_tangent.Invoke(_instance, all));
        return Convert.ToDouble(all[^1]);
    }
}
