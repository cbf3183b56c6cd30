using System;
using Xunit;

namespace Backprop.Runtime.Tests.Taping;

/// <summary>The tape generated code keeps values on: whole arrays (PushAll/PopAll) interleave with single values in stack order.</summary>
public sealed class TapeTests
{
    [Fact]
    public void PushAll_ThenPopAll_RestoresTheArray_InStackOrderWithSingleValues()
    {
        var tape = new Tape();
        double[] first = [1, 2, 3];
        double[] second = [10, 20];
        tape.Push(0.5);
        tape.PushAll(first);
        tape.Push(7.0);
        tape.PushAll(second);
        Array.Fill(first, -1.0);
        Array.Fill(second, -1.0);

        tape.PopAll(second);
        Assert.Equal(7.0, tape.PopDouble());
        tape.PopAll(first);

        Assert.Equal([10.0, 20.0], second);
        Assert.Equal([1.0, 2.0, 3.0], first);
        Assert.Equal(0.5, tape.PopDouble());
        Assert.Equal((0, 0, 0), tape.Depth);
    }

    [Fact]
    public void ABlockOfSaves_ReadsBackLastFirst_InStackOrderWithSingleValues_AndGrowsTheTape()
    {
        var tape = new Tape();
        tape.Push(0.5);
        var keep = tape.PushDoubles(200, 3); // more than the 256 doubles a new tape holds
        Assert.Equal(600, keep.Length);
        var at = 0;
        for (var i = 0; i < 200; i++)
        {
            keep[at++] = i;
            keep[at++] = -i;
            keep[at++] = i * 0.5;
        }

        tape.Push(7.0); // pushed after the block, as a loop after it would
        Assert.Equal(7.0, tape.PopDouble());

        var kept = tape.PeekDoubles(200, 3);
        var back = kept.Length;
        for (var i = 199; i >= 0; i--)
        {
            Assert.Equal(i * 0.5, kept[--back]);
            Assert.Equal(-i, kept[--back]);
            Assert.Equal(i, kept[--back]);
        }

        tape.DropDoubles(kept.Length);
        Assert.Equal(0.5, tape.PopDouble());
        Assert.Equal((0, 0, 0), tape.Depth);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void ABlockForALoopThatDoesNotRun_IsEmpty(int iterations)
    {
        var tape = new Tape();
        Assert.Equal(0, tape.PushDoubles(iterations, 2).Length);
        Assert.Equal(0, tape.PeekDoubles(iterations, 2).Length);
        Assert.Equal((0, 0, 0), tape.Depth);
    }

    [Fact]
    public void PeekingABlockLargerThanTheTape_SaysPushesAndPopsAreOutOfStep()
    {
        var tape = new Tape();
        tape.PushDoubles(2, 2);
        var error = Assert.Throws<InvalidOperationException>(() => tape.PeekDoubles(3, 2).Length);
        Assert.Contains("out of step", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PushAll_GrowsThePastCapacity_AndKeepsEveryValue()
    {
        var tape = new Tape();
        var big = new float[1000];
        for (var i = 0; i < big.Length; i++)
        {
            big[i] = i;
        }

        tape.Push(3f);
        tape.PushAll(big);
        var back = new float[big.Length];
        tape.PopAll(back);

        Assert.Equal(big, back);
        Assert.Equal(3f, tape.PopFloat());
    }

    [Fact]
    public void PushAll_OfAGenericType_RestoresInOrder()
    {
        var tape = new Tape();
        Half[] values = [(Half)1, (Half)2, (Half)3];
        tape.PushAll<Half>(values);
        var back = new Half[3];
        tape.PopAll<Half>(back);

        Assert.Equal(values, back);
        Assert.Equal(0, tape.DepthOf<Half>());
    }
}
