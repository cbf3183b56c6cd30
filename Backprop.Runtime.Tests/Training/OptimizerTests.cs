using System;
using System.Linq;
using Backprop.Runtime.Tests.Infrastructure;
using Xunit;

namespace Backprop.Runtime.Tests.Training;

/// <summary>Each optimizer's update against its formula written as a plain double loop, over several steps.</summary>
public sealed class OptimizerTests
{
    private const int Length = 37; // not a multiple of any vector width: the tails run too

    public static TheoryData<string> Paths() => KernelPaths.All();

    [Fact]
    public void Sgd_WithWeightDecayAndL1_FollowsTheFormula()
    {
        var (parameter, w, g) = NewParameter(1);
        var optimizer = new Sgd(0.1f) { WeightDecay = 0.01f, L1 = 0.002f };
        optimizer.Step([parameter]);
        for (var i = 0; i < Length; i++)
        {
            var expected = w[i] - (0.1 * (g[i] + (0.01 * w[i]) + (0.002 * Math.Sign(w[i]))));
            Assert.Equal(expected, parameter.Value[i], 5);
        }
    }

    [Fact]
    public void Momentum_AccumulatesVelocity()
    {
        var (parameter, w, g) = NewParameter(2);
        var optimizer = new Momentum(0.05f, 0.9f);
        var velocity = new double[Length];
        var weights = w.Select(v => (double)v).ToArray();
        for (var step = 0; step < 3; step++)
        {
            g.AsSpan().CopyTo(parameter.Gradient.Span);
            optimizer.Step([parameter]);
            for (var i = 0; i < Length; i++)
            {
                velocity[i] = (0.9 * velocity[i]) + g[i];
                weights[i] -= 0.05 * velocity[i];
            }
        }

        AssertClose(weights, parameter.Value.ToArray());
    }

    [Fact]
    public void RmsProp_DividesByTheRootMeanSquare()
    {
        var (parameter, w, g) = NewParameter(3);
        var optimizer = new RmsProp(0.01f, 0.9f, 1e-8f);
        var s = new double[Length];
        var weights = w.Select(v => (double)v).ToArray();
        for (var step = 0; step < 3; step++)
        {
            g.AsSpan().CopyTo(parameter.Gradient.Span);
            optimizer.Step([parameter]);
            for (var i = 0; i < Length; i++)
            {
                s[i] = (0.9 * s[i]) + (0.1 * g[i] * g[i]);
                weights[i] -= 0.01 * g[i] / (Math.Sqrt(s[i]) + 1e-8);
            }
        }

        AssertClose(weights, parameter.Value.ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void Adam_EveryPath_MatchesTheBiasCorrectedFormula(string path)
    {
        Widths.SkipUnlessAccelerated(path);
        var (parameter, w, g) = NewParameter(4);
        var (m, v) = (new double[Length], new double[Length]);
        var weights = w.Select(x => (double)x).ToArray();
        var (mf, vf, wf) = (new float[Length], new float[Length], (float[])w.Clone());
        var optimizer = new Adam(0.01f);
        for (var t = 1; t <= 4; t++)
        {
            for (var i = 0; i < Length; i++)
            {
                m[i] = (0.9 * m[i]) + (0.1 * g[i]);
                v[i] = (0.999 * v[i]) + (0.001 * g[i] * g[i]);
                var mHat = m[i] / (1 - Math.Pow(0.9, t));
                var vHat = v[i] / (1 - Math.Pow(0.999, t));
                weights[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }

            var c2 = Math.Sqrt(1 - Math.Pow(0.999, t));
            var step = new Adam.AdamStep(0.9f, 0.999f, (float)(0.01 * c2 / (1 - Math.Pow(0.9, t))), (float)(1e-8 * c2));
            switch (path)
            {
                case "dispatch":
                    g.AsSpan().CopyTo(parameter.Gradient.Span);
                    optimizer.Step([parameter]);
                    parameter.Value.Span.CopyTo(wf);
                    break;
                default:
                    Run(path, wf, g, mf, vf, new Adam.Rule(step));
                    break;
            }
        }

        AssertClose(weights, wf);
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void Adam_MomentsThatWouldTurnSubnormal_AreStoredAsZero_WeightsBitForBitAsUnflushed(string path)
    {
        Widths.SkipUnlessAccelerated(path);

        // A first moment of 0.05 decays (×0.9 a step) below 2⁻¹²⁶ after ~800 steps without gradient.
        AssertSubnormalsFlushed_WeightsBitForBit(path, 5, new Adam(1e-3f), t => new Adam.Rule(StepAt(t)), (t, gradient, weights, m, v) =>
        {
            var step = StepAt(t);
            for (var i = 0; i < Length; i++)
            {
                m[i] = (m[i] * step.Beta1) + (gradient[i] * (1f - step.Beta1));
                v[i] = (v[i] * step.Beta2) + (gradient[i] * gradient[i] * (1f - step.Beta2));
                weights[i] = (weights[i] * step.Keep) - (m[i] * step.Rate / (MathF.Sqrt(v[i]) + step.Epsilon));
            }
        });

        static Adam.AdamStep StepAt(int t) => Adam.Step(new Adam(1e-3f) { Steps = t }, 0.9f, 0.999f, 1e-8f, keep: 1f);
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void Momentum_VelocitiesThatWouldTurnSubnormal_AreStoredAsZero_WeightsBitForBitAsUnflushed(string path)
    {
        Widths.SkipUnlessAccelerated(path);

        // A velocity of 0.5 decays (×0.9 a step) below 2⁻¹²⁶ after ~830 steps without gradient; x·0.9 rounds back to x
        // for the last few subnormals, so the unflushed ones never reach 0.
        AssertSubnormalsFlushed_WeightsBitForBit(path, 6, new Momentum(0.05f, 0.9f), _ => new Momentum.Rule(0.9f, 0.05f), (_, gradient, weights, v, _) =>
        {
            for (var i = 0; i < Length; i++)
            {
                v[i] = (v[i] * 0.9f) + gradient[i];
                weights[i] = (v[i] * -0.05f) + weights[i];
            }
        });
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void RmsProp_SquaresThatWouldTurnSubnormal_AreStoredAsZero_WeightsBitForBitAsUnflushed(string path)
    {
        Widths.SkipUnlessAccelerated(path);

        // 0.1·g² decays (×0.9 a step) below 2⁻¹²⁶ after ~800 steps without gradient.
        AssertSubnormalsFlushed_WeightsBitForBit(path, 7, new RmsProp(0.01f, 0.9f, 1e-8f), _ => new RmsProp.Rule(0.9f, 0.01f, 1e-8f), (_, gradient, weights, s, _) =>
        {
            for (var i = 0; i < Length; i++)
            {
                s[i] = (s[i] * 0.9f) + (gradient[i] * gradient[i] * (1f - 0.9f));
                weights[i] = (gradient[i] / (MathF.Sqrt(s[i]) + 1e-8f) * -0.01f) + weights[i];
            }
        });
    }

    [SkippableTheory]
    [InlineData("512")]
    [InlineData("256")]
    [InlineData("128")]
    [InlineData("scalar")]
    public void AdamAndRmsProp_EpsilonZero_KeepASubnormalSquare_SoZeroOverItStaysZero(string path)
    {
        Widths.SkipUnlessAccelerated(path);
        const float Subnormal = 1e-40f;
        var (w, zero) = (Enumerable.Repeat(0.5f, Length).ToArray(), new float[Length]);
        var (m, v) = (new float[Length], Enumerable.Repeat(Subnormal, Length).ToArray());
        var s = Enumerable.Repeat(Subnormal, Length).ToArray();
        Run(path, w, zero, m, v, new Adam.Rule(new Adam.AdamStep(0.9f, 0.999f, 1e-3f, 0f)));
        Run(path, w, zero, s, [], new RmsProp.Rule(0.9f, 1e-3f, 0f));

        Assert.All(w, x => Assert.Equal(0.5f, x)); // 0/√v, not 0/0
        Assert.All(v, x => Assert.True(float.IsSubnormal(x)));
        Assert.All(s, x => Assert.True(float.IsSubnormal(x)));
    }

    [Fact]
    public void AdamMomentumRmsProp_NaNGradient_StaysNaN_NotFlushedToZero()
    {
        foreach (var optimizer in new Optimizer[] { new Adam(1e-3f), new Momentum(0.05f), new RmsProp(0.01f) })
        {
            var parameter = new Parameter("w", Tensor.FromArray(new float[Length]));
            parameter.Gradient.Span.Fill(float.NaN);
            optimizer.Step([parameter]);
            Assert.All(parameter.Value.ToArray(), x => Assert.True(float.IsNaN(x)));
            Assert.All(optimizer.StateOf(parameter)[0].ToArray(), x => Assert.True(float.IsNaN(x)));
        }
    }

    [Fact]
    public void StateTensors_OnlyWhatEachOptimizerUses_ScratchAfterIt()
    {
        var (parameter, _, _) = NewParameter(1);
        Assert.Empty(new Sgd(0.1f).StateOf(parameter));
        Assert.Single(new Momentum(0.1f).StateOf(parameter));
        Assert.Equal(2, new Adam(0.1f).StateOf(parameter).Length);
        Assert.Single(new RmsProp(0.1f).StateOf(parameter));
        var withScratch = new WithScratch();
        Assert.Equal(1, withScratch.StateTensors);
        Assert.Equal(3, withScratch.StateOf(parameter).Length); // its state, then two scratch tensors
    }

    /// <summary>An optimizer of a user's own that needs two scratch tensors per parameter besides its state.</summary>
    private sealed class WithScratch() : Optimizer(0.1f)
    {
        public override int StateTensors => 1;

        protected override int ScratchTensors => 2;

        protected override void Update(Parameter parameter, Tensor[] state)
        {
        }
    }

    [Fact]
    public void Schedules_StepAndCosine()
    {
        var step = new StepDecay(0.1f, 0.5f, 5);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.025f], new[] { 0, 4, 5, 10 }.Select(step.At));
        var cosine = new CosineDecay(0.1f, 10, 0.001f);
        Assert.Equal(0.1f, cosine.At(0), 6);
        Assert.Equal(0.0505f, cosine.At(5), 6);
        Assert.Equal(0.001f, cosine.At(10), 6);
    }

    /// <summary>
    /// 1,200 steps in which two weights in three see a gradient only once, taken by <paramref name="optimizer"/> (path
    /// "dispatch") or by its rule on one width's path (<paramref name="ruleAt"/> step t), beside the formula in floats
    /// without the flush (<paramref name="unflushed"/>: step t, the gradient, then the weights and the state arrays to
    /// update in place). Then: the unflushed first state went subnormal (the flush was exercised), no state kept is
    /// subnormal, exactly the first states without gradient are 0, and the weights are the unflushed ones bit for bit.
    /// </summary>
    private static void AssertSubnormalsFlushed_WeightsBitForBit<TRule>(string path, int seed, Optimizer optimizer, Func<int, TRule> ruleAt,
        Action<int, float[], float[], float[], float[]> unflushed)
        where TRule : struct, IUpdateRule
    {
        var (parameter, w, g) = NewParameter(seed);
        var (kept, keptWeights) = (new[] { new float[Length], new float[TRule.States == 2 ? Length : 0] }, (float[])w.Clone());
        var (plain, weights) = (new[] { new float[Length], new float[Length] }, (float[])w.Clone());
        var gradient = new float[Length];
        for (var t = 1; t <= 1200; t++)
        {
            for (var i = 0; i < Length; i++)
            {
                gradient[i] = t == 1 || i % 3 == 0 ? g[i] : 0f;
            }

            unflushed(t, gradient, weights, plain[0], plain[1]);
            if (path == "dispatch")
            {
                gradient.AsSpan().CopyTo(parameter.Gradient.Span);
                optimizer.Step([parameter]);
            }
            else
            {
                Run(path, keptWeights, gradient, kept[0], kept[1], ruleAt(t));
            }
        }

        if (path == "dispatch")
        {
            parameter.Value.Span.CopyTo(keptWeights);
            for (var k = 0; k < TRule.States; k++)
            {
                optimizer.StateOf(parameter)[k].Span.CopyTo(kept[k]);
            }
        }

        Assert.Contains(plain[0], float.IsSubnormal);
        for (var k = 0; k < TRule.States; k++)
        {
            Assert.DoesNotContain(kept[k], float.IsSubnormal);
        }

        Assert.Equal(Length - ((Length + 2) / 3), kept[0].Count(x => x == 0f)); // every state without gradient, and no other
        Assert.Equal(weights, keptWeights);
    }

    /// <summary>One update on one vector width's path of <see cref="UpdateDriver"/> (t empty for a rule with one state array).</summary>
    private static void Run<TRule>(string path, float[] w, float[] g, float[] s, float[] t, TRule rule)
        where TRule : struct, IUpdateRule
    {
        switch (path)
        {
            case "512": UpdateDriver.Run512(w, g, s, t, rule); break;
            case "256": UpdateDriver.Run256(w, g, s, t, rule); break;
            case "128": UpdateDriver.Run128(w, g, s, t, rule); break;
            default: UpdateDriver.RunScalar(w, g, s, t, rule, 0); break;
        }
    }

    private static (Parameter Parameter, float[] W, float[] G) NewParameter(int seed)
    {
        var random = new Random(seed);
        var w = Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var g = Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var parameter = new Parameter("w", Tensor.FromArray((float[])w.Clone()));
        g.AsSpan().CopyTo(parameter.Gradient.Span);
        return (parameter, w, g);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 * Math.Max(1, Math.Abs(expected[i])), $"[{i}] = {actual[i]}, expected {expected[i]}");
        }
    }
}
