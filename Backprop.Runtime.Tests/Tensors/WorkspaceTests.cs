using System;
using Backprop.Testing;
using Xunit;

namespace Backprop.Runtime.Tests.Tensors;

/// <summary>The workspace hands the same storage to the same sequence of tensors, so a warm step allocates nothing.</summary>
public sealed class WorkspaceTests
{
    [Fact]
    public void SameSequenceInTwoScopes_GetsTheSameTensors()
    {
        Tensor first, second;
        var x = Tensor.Matrix(4, 3);
        using (Workspace.Enter())
        {
            first = Nn.Relu(x);
        }

        using (Workspace.Enter())
        {
            second = Nn.Relu(x);
        }

        Assert.Same(first, second);
        Assert.False(Workspace.IsActive);
    }

    [Fact]
    public void OutsideAScope_OperationsAllocateFreshTensors()
    {
        var x = Tensor.Matrix(2, 2);
        Assert.NotSame(Nn.Relu(x), Nn.Relu(x));
    }

    [Fact]
    public void NestedScopes_KeepTheOuterTensors()
    {
        var x = Tensor.Matrix(2, 2);
        x.Fill(1f);
        using var outer = Workspace.Enter();
        var kept = Nn.Sigmoid(x);
        using (Workspace.Enter())
        {
            Nn.Tanh(x).Fill(-5f);
        }

        var next = Nn.Relu(x);
        Assert.NotSame(kept, next);
        Assert.Equal(1f / (1f + MathF.Exp(-1f)), kept[0, 0], 6);
    }

    [Fact]
    public void ClosingOutOfOrder_Throws()
    {
        var outer = Workspace.Enter();
        var inner = Workspace.Enter();
        var error = Assert.Throws<InvalidOperationException>(outer.Dispose);
        Assert.Contains("reverse order", error.Message, StringComparison.Ordinal);
        inner.Dispose();
        outer.Dispose();
    }

    [Fact]
    public void WarmStep_AllocatesNothing()
    {
        var x = Tensor.Matrix(32, 20);
        var w = Tensor.Matrix(20, 16);
        var b = Tensor.Vector(16);
        int[] labels = new int[32];
        void Step()
        {
            using var scope = Workspace.Enter();
            var h = Nn.Relu((x * w) + b);
            var loss = Nn.SoftmaxCrossEntropyForward(h, labels, out var probabilities);
            var dh = Workspace.ZerosLike(h);
            Nn.SoftmaxCrossEntropyBackward(h, labels, loss, probabilities, 1f, dh);
        }

        Step();
        SteadyState.AllocatesNothing(Step, callsPerWindow: 100);
    }

    [Fact]
    public void Keep_GivesAStackPerCall_TakenBackLastFirst_ReusedByTheNextScope_AndNeedsTheInnermostScope()
    {
        KeptValues<float> first;
        using (var scope = Workspace.Enter())
        {
            var tensors = scope.Keep<Tensor>();
            var floats = scope.Keep<float>();
            var more = scope.Keep<float>();
            Assert.NotSame(floats, more); // two calls, two stacks
            for (var i = 0; i < 10; i++)
            {
                floats.Push(i); // past the first capacity
            }

            more.Push(-1f);
            tensors.Push(Tensor.Matrix(1, 1));
            Assert.Equal(10, floats.Count);
            for (var i = 9; i >= 0; i--)
            {
                Assert.Equal(i, floats.Pop());
            }

            var empty = Assert.Throws<InvalidOperationException>(() => floats.Pop());
            Assert.Contains("took more values than its forward pass kept", empty.Message, StringComparison.Ordinal);
            Assert.Equal(-1f, more.Pop());
            floats.Push(3f); // left kept when the scope closes
            first = floats;

            using var inner = Workspace.Enter();
            Assert.Throws<InvalidOperationException>(() => scope.Keep<float>());
        }

        using (var scope = Workspace.Enter())
        {
            var floats = scope.Keep<float>();
            Assert.Same(first, floats); // the same stack again, emptied: nothing allocated
            Assert.Equal(0, floats.Count);
        }

        void Step()
        {
            using var scope = Workspace.Enter();
            var tensors = scope.Keep<Tensor>();
            var floats = scope.Keep<float>();
            for (var i = 0; i < 20; i++)
            {
                tensors.Push(null!);
                floats.Push(i);
            }

            while (floats.Count > 0)
            {
                floats.Pop();
                tensors.Pop();
            }
        }

        Step();
        SteadyState.AllocatesNothing(Step, callsPerWindow: 100);
    }

    [Fact]
    public void TensorKeptPastItsScope_ThrowsNamingTheProblem()
    {
        var x = Tensor.Matrix(3, 2);
        Tensor kept;
        using (Workspace.Enter())
        {
            kept = Nn.Relu(x);
        }

        var error = Assert.Throws<ObjectDisposedException>(() => kept.Span.ToArray());
        Assert.Contains("came from a Workspace scope that has closed", error.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => kept[0, 0]);
    }

    [Fact]
    public void CheckedMode_TensorKeptPastItsScope_ThrowsEvenAfterTheStorageIsReused()
    {
        var x = Tensor.Matrix(3, 2);
        x.Fill(2f);
        var wasChecked = Workspace.CheckLifetimes;
        Workspace.CheckLifetimes = true;
        try
        {
            Tensor kept, reused;
            using (Workspace.Enter())
            {
                kept = Nn.Relu(x);
            }

            using (Workspace.Enter())
            {
                reused = Nn.Relu(x);
                Assert.Equal(2f, reused[1, 1]);
                Assert.Throws<ObjectDisposedException>(() => kept[1, 1]);
            }
        }
        finally
        {
            Workspace.CheckLifetimes = wasChecked;
        }
    }
}
