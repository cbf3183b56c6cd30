using System;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Backprop.Testing;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>Values a loop overwrites go on the runtime's tape, which keeps its storage: no GC allocation per call.</summary>
[Collection(AllocationMeasurements.Name)]
public sealed class TapeAllocationTests
{
    [Fact]
    public void LoopingGradient_AllocatesNothingAfterWarmUp()
    {
        double sink = 0;
        for (var i = 0; i < 3; i++)
        {
            sink += Loops.SinLoopGradient(0.3, 0.9, out var dx, out var dw) + dx + dw;
            sink += Loops.NestedBreakAndContinueGradient(0.2, 6, out dx);
        }

        var call = 0;
        SteadyState.AllocatesNothing(
            () =>
            {
                sink += Loops.SinLoopGradient(0.3 + (call++ * 1e-4), 0.9, out var dx, out var dw) + dx + dw;
                sink += Loops.NestedBreakAndContinueGradient(0.2, 6, out dx) + dx;
                sink += Loops.ReturnFromNestedLoopGradient(0.5, 8, out dx) + dx;
            },
            callsPerWindow: 1000);
        Assert.True(double.IsFinite(sink));
    }

    /// <summary>A generic method's loop tapes its values on a stack of T that keeps its storage: nothing allocated when warm, for float or Half.</summary>
    [Fact]
    public void GenericLoopingGradient_AllocatesNothingAfterWarmUp()
    {
        float sink = 0;
        var half = (Half)0;
        for (var i = 0; i < 3; i++)
        {
            sink += GenericMath.GenericFunctions.SmoothGradient(0.3f, out var dx) + dx;
            half += GenericMath.GenericFunctions.SmoothGradient((Half)0.3f, out var dh);
        }

        var call = 0;
        SteadyState.AllocatesNothing(
            () =>
            {
                sink += GenericMath.GenericFunctions.SmoothGradient(0.3f + (call++ * 1e-4f), out var dx) + dx;
                half += GenericMath.GenericFunctions.SmoothGradient((Half)0.7f, out var dh) * dh;
            },
            callsPerWindow: 1000);
        Assert.True(float.IsFinite(sink) && Half.IsFinite(half));
    }

    /// <summary>A span slice is read as the elements of its array: no copy, nothing allocated, also when passed on.</summary>
    [Fact]
    public void SlicesInLoops_AllocateNothingAfterWarmUp()
    {
        double[] x = [0.3, -0.7, 1.1, 0.4, -0.2, 0.9];
        var dx = new double[x.Length];
        double sink = 0;
        for (var i = 0; i < 3; i++)
        {
            sink += Slices.RowsOfAMatrixGradient(x, dx) + Slices.RangesGradient(x, dx) + Slices.SlidingDotGradient(x, dx);
        }

        SteadyState.AllocatesNothing(() => sink += Slices.RowsOfAMatrixGradient(x, dx) + Slices.RangesGradient(x, dx) + Slices.SlidingDotGradient(x, dx), callsPerWindow: 1000);
        Assert.True(double.IsFinite(sink));
    }

    /// <summary>A stackalloc'd local and its adjoint live on the stack: its gradient, tangent and Hessian-vector product allocate nothing.</summary>
    [Fact]
    public void StackArrays_AllocateNothingAfterWarmUp()
    {
        double[] x = [0.3, -0.7, 1.1, 0.4, -0.2, 0.9];
        double[] v = [1, 0, -1, 0.5, 2, 0];
        var dx = new double[x.Length];
        var hx = new double[x.Length];
        double sink = 0;
        void Call()
        {
            sink += StackArrays.RotatedPointGradient(x[0], x[1], x[2], x[3], out var dwx, out _, out _, out _) + dwx;
            sink += StackArrays.WeightedSquaresGradient(x, dx);
            sink += StackArrays.WeightedSquaresTangent(x, v, out var tangent) + tangent;
            sink += StackArrays.WeightedSquaresHessianVector(x, v, hx);
        }

        for (var i = 0; i < 3; i++)
        {
            Call();
        }

        SteadyState.AllocatesNothing(Call, callsPerWindow: 1000);
        Assert.True(double.IsFinite(sink));
    }

    [Fact]
    public void Tape_IsEmptyAfterEveryCall()
    {
        Loops.ReturnFromNestedLoopGradient(0.5, 8, out _);
        Loops.BreakOutGradient(1.2, 10, out _);
        Calls.CallInLoopGradient(0.4, 4, out _);
        EdgeShapes.ReturnSinFromLoopGradient(0.9, 3, out _);
        Slices.RowsOfAMatrixGradient([0.3, -0.7, 1.1, 0.4, -0.2, 0.9], new double[6]);
        StackArrays.ScratchInALoopGradient(0.3, -0.8, 6, out _, out _);
        Assert.Equal((0, 0, 0), Tape.Current.Depth);
    }
}
