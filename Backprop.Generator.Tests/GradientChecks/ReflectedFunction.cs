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
    private readonly MethodInfo _hessianVector;
    private readonly MethodInfo _hessian;
    private readonly object? _instance;

    public ReflectedFunction(MethodInfo method)
    {
        Method = method;
        _sample = method.GetCustomAttribute<SampleAttribute>()!;
        var type = method.DeclaringType!;
        _gradient = type.GetMethod(method.Name + "Gradient") ?? throw new InvalidOperationException($"{method.Name}Gradient was not generated");
        _backward = type.GetMethod(method.Name + "Backward") ?? throw new InvalidOperationException($"{method.Name}Backward was not generated");
        _tangent = type.GetMethod(method.Name + "Tangent") ?? throw new InvalidOperationException($"{method.Name}Tangent was not generated");
        _hessianVector = type.GetMethod(method.Name + "HessianVector") ?? throw new InvalidOperationException($"{method.Name}HessianVector was not generated");
        _hessian = type.GetMethod(method.Name + "Hessian") ?? throw new InvalidOperationException($"{method.Name}Hessian was not generated");
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

    /// <summary>
    /// Arguments for sample point <paramref name="point"/>: the int parameters take <see cref="SampleAttribute.Ints"/> in
    /// order — when it lists more than one set of them, point after point takes the next set.
    /// </summary>
    public object[] SampleArguments(Random random, int point = 0)
    {
        var intParameters = Method.GetParameters().Count(p => p.ParameterType == typeof(int));
        var sets = intParameters == 0 ? 1 : System.Math.Max(1, _sample.Ints.Length / intParameters);
        var ints = new Queue<int>(_sample.Ints.Skip(point % sets * intParameters));
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

    /// <summary>Asserts that <paramref name="value"/>, what a generated member returned at <paramref name="args"/>, is the function's own value there (see <see cref="SampleAttribute.ValueTolerance"/>).</summary>
    public void AssertIsValueAt(object[] args, double value)
    {
        var expected = Primal(args);
        if (_sample.ValueTolerance == 0)
        {
            Xunit.Assert.Equal(expected, value, 12);
        }
        else
        {
            Xunit.Assert.True(Math.Abs(expected - value) <= _sample.ValueTolerance * Math.Max(1, Math.Abs(expected)),
                $"{Method.Name} at ({string.Join(", ", args)}): the generated member returned {value:R}, the function {expected:R}");
        }
    }

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

    /// <summary>Why the function has no second derivative (its HessianVector is obsolete as an error), or null.</summary>
    public string? NoSecondDerivative => _hessianVector.GetCustomAttribute<ObsoleteAttribute>()?.Message;

    /// <summary>H·v over the differentiable parameters, and F.</summary>
    public double[] HessianVector(object[] args, double[] vector, out double value)
    {
        var all = args
            .Concat(DifferentiableIndices.Select((index, k) => args[index] is float ? (object)(float)vector[k] : vector[k]))
            .Concat(DifferentiableIndices.Select(_ => (object?)null))
            .ToArray();
        value = Convert.ToDouble(_hessianVector.Invoke(_instance, all));
        return all.Skip(args.Length + DifferentiableIndices.Count).Select(Convert.ToDouble).ToArray();
    }

    /// <summary>The n×n Hessian over the differentiable parameters, row-major, and F.</summary>
    public double[] Hessian(object[] args, out double value)
    {
        var n = DifferentiableIndices.Count;
        object result;
        double[] hessian;
        if (Method.ReturnType == typeof(float))
        {
            var buffer = new float[n * n];
            result = InvokeWithSpan(buffer);
            hessian = buffer.Select(v => (double)v).ToArray();
        }
        else
        {
            hessian = new double[n * n];
            result = InvokeWithSpan(hessian);
        }

        value = Convert.ToDouble(result);
        return hessian;

        object InvokeWithSpan<T>(T[] buffer)
        {
            // A Span cannot be boxed for MethodInfo.Invoke: a dynamic method unboxes the arguments and wraps the buffer.
            var invoker = new System.Reflection.Emit.DynamicMethod("Invoke" + _hessian.Name, typeof(object), [typeof(object), typeof(object[]), typeof(T[])], typeof(ReflectedFunction).Module, skipVisibility: true);
            var il = invoker.GetILGenerator();
            if (!_hessian.IsStatic)
            {
                il.Emit(System.Reflection.Emit.OpCodes.Ldarg_0);
                il.Emit(System.Reflection.Emit.OpCodes.Castclass, _hessian.DeclaringType!);
            }

            var parameters = Method.GetParameters();
            for (var i = 0; i < parameters.Length; i++)
            {
                il.Emit(System.Reflection.Emit.OpCodes.Ldarg_1);
                il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4, i);
                il.Emit(System.Reflection.Emit.OpCodes.Ldelem_Ref);
                il.Emit(System.Reflection.Emit.OpCodes.Unbox_Any, parameters[i].ParameterType);
            }

            il.Emit(System.Reflection.Emit.OpCodes.Ldarg_2);
            il.Emit(System.Reflection.Emit.OpCodes.Newobj, typeof(Span<T>).GetConstructor([typeof(T[])])!);
            il.Emit(_hessian.IsStatic ? System.Reflection.Emit.OpCodes.Call : System.Reflection.Emit.OpCodes.Callvirt, _hessian);
            il.Emit(System.Reflection.Emit.OpCodes.Box, _hessian.ReturnType);
            il.Emit(System.Reflection.Emit.OpCodes.Ret);
            var invoke = (Func<object?, object[], T[], object>)invoker.CreateDelegate(typeof(Func<object?, object[], T[], object>));
            return invoke(_instance, args, buffer);
        }
    }
}
