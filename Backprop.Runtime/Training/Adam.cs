using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop;

/// <summary>
/// Adam, momentum and RMSProp together: m ← β₁m + (1 − β₁)∇w, v ← β₂v + (1 − β₂)(∇w)², then
/// w ← w − α·m̂ / (√v̂ + ε) with the bias-corrected m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) (the formula PyTorch uses).
/// One fused pass over each parameter.
/// </summary>
/// <remarks>
/// A moment too small to move any weight is stored as 0 rather than as a subnormal number: m when m·α is below the
/// smallest normal float (its share of the step is then under 1.2·10⁻³⁸/ε′, about 10⁻³⁰), v when v itself is and ε′
/// hides its root (<see cref="UpdateDriver.SmallestSquareFor"/>). No weight larger than about 10⁻²¹ moves differently (the tests
/// hold the weights bit for bit to the unflushed formula), but the moment of every weight whose gradient stays zero (a
/// pixel blank in every image of a batch, a unit whose ReLU is dead) decays into the subnormal range and stays there —
/// 0.9 times one of the last few subnormals rounds back to itself — and each operation on it sends the processor to a
/// slow path. On an AMD EPYC Zen 5 (AVX-512) the MLP's update at batch 32 took 87–127 µs a step with them and 47–71 µs
/// without, and training ran 11–24 % faster. TensorFlow gets the same effect from the flush-to-zero mode its threads
/// run in.
/// </remarks>
public sealed class Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f) : Optimizer(learningRate)
{
    /// <summary>β₁, the decay of the gradient average.</summary>
    public float Beta1 { get; } = beta1;

    /// <summary>β₂, the decay of the squared-gradient average.</summary>
    public float Beta2 { get; } = beta2;

    /// <summary>ε, which keeps the division finite.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override int StateTensors => 2;

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor[] state) => Apply(parameter, state, Step(this, Beta1, Beta2, Epsilon, keep: 1f));

    /// <summary>The constants of step <see cref="Optimizer.Steps"/>, the weights first scaled by <paramref name="keep"/> (AdamW's decay).</summary>
    internal static AdamStep Step(Optimizer optimizer, float beta1, float beta2, float epsilon, float keep)
    {
        var correction1 = 1 - Math.Pow(beta1, optimizer.Steps);
        var correction2 = Math.Sqrt(1 - Math.Pow(beta2, optimizer.Steps));
        return new AdamStep(beta1, beta2, (float)(optimizer.LearningRate * correction2 / correction1), (float)(epsilon * correction2), keep);
    }

    /// <summary>
    /// Parameters at least this long whose gradient a product split across cores wrote are updated on the GEMM's helper
    /// threads too (up to <see cref="Gemm.MaxThreads"/>): the pass is memory-bound, and a second core brings its own share
    /// of cache bandwidth — the MLP's first layer (200,704 weights) took 139–148 µs a step on one core of an AMD EPYC Zen 3.
    /// Shorter ones are not worth the hand-off.
    /// </summary>
    internal const int ParallelLength = 1 << 16;

    /// <summary>
    /// One fused pass over a parameter, its gradient and its two moments, on the widest vectors the machine has; a long
    /// parameter in equal ranges on several cores (each element's update reads and writes only that element) when its
    /// gradient was written on several (<see cref="Tensor.WrittenAcrossCores"/>). A gradient one core wrote is updated on
    /// that core: split, half of it had to come from the other core's cache, and on an AMD EPYC Zen 5 the first layer's
    /// update took 100–120 µs a step on two cores against 70–80 on one (MLP at batch 32, its products on one core).
    /// </summary>
    internal static unsafe void Apply(Parameter parameter, Tensor[] state, AdamStep step)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        var m = state[0].Span;
        var v = state[1].Span;
        var threads = Math.Min(Gemm.MaxThreads, Environment.ProcessorCount);
        if (threads >= 2 && w.Length >= ParallelLength && parameter.Gradient.WrittenAcrossCores)
        {
            fixed (float* pw = w, pg = g, pm = m, pv = v)
            {
                var pass = new Pass(pw, pg, pm, pv, step);
                if (Kernels.Gemm.GemmWorkers.TryFor(&UpdateRange, (nint)(&pass), w.Length, threads, align: 64))
                {
                    return;
                }
            }
        }

        Update(w, g, m, v, step);
    }

    /// <summary>What a range of <see cref="UpdateRange"/> needs: the four arrays (pinned by the caller) and the step.</summary>
    private readonly unsafe struct Pass(float* w, float* g, float* m, float* v, AdamStep step)
    {
        public readonly float* W = w, G = g, M = m, V = v;
        public readonly AdamStep Step = step;
    }

    private static unsafe void UpdateRange(nint context, int start, int end)
    {
        ref readonly var pass = ref *(Pass*)context;
        var length = end - start;
        Update(new Span<float>(pass.W + start, length), new ReadOnlySpan<float>(pass.G + start, length),
            new Span<float>(pass.M + start, length), new Span<float>(pass.V + start, length), pass.Step);
    }

    private static void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, AdamStep step) =>
        UpdateDriver.Run(w, g, m, v, new Rule(step));

    /// <summary>
    /// The constants of one step: α·√(1 − β₂ᵗ)/(1 − β₁ᵗ) and ε·√(1 − β₂ᵗ) fold the bias correction in; each weight is
    /// first multiplied by <see cref="Keep"/> (1 for Adam, 1 − αλ for AdamW's decoupled weight decay).
    /// </summary>
    internal readonly record struct AdamStep(float Beta1, float Beta2, float Rate, float Epsilon, float Keep = 1f)
    {
        /// <summary>The smallest first moment kept (<see cref="UpdateDriver.SmallestScaledBy"/>).</summary>
        public float SmallestMoment => UpdateDriver.SmallestScaledBy(Rate);

        /// <summary>The smallest second moment kept (<see cref="UpdateDriver.SmallestSquareFor"/>).</summary>
        public float SmallestSquare => UpdateDriver.SmallestSquareFor(Epsilon);
    }

    /// <summary>
    /// Adam's element math for <see cref="UpdateDriver"/>: its s is m, its t is v. The step's nine constants are held as
    /// vectors, made once per parameter (the narrower widths use their lower lanes): held as floats, the JIT broadcast
    /// them inside the loop, and the pass ran 3–4 % slower than Adam's own loops had. As vectors it is level with those
    /// loops at AVX-512 and faster at 256 bits (83–104 against 95–121 µs for the MLP's parameters) and at 128 (144
    /// against 233; AMD EPYC Zen 5).
    /// </summary>
    internal readonly struct Rule(AdamStep step) : IUpdateRule
    {
        private readonly Vector512<float> _beta1 = Vector512.Create(step.Beta1), _newShare1 = Vector512.Create(1f - step.Beta1);
        private readonly Vector512<float> _beta2 = Vector512.Create(step.Beta2), _newShare2 = Vector512.Create(1f - step.Beta2);
        private readonly Vector512<float> _rate = Vector512.Create(step.Rate), _epsilon = Vector512.Create(step.Epsilon), _keep = Vector512.Create(step.Keep);
        private readonly Vector512<float> _smallestMoment = Vector512.Create(step.SmallestMoment), _smallestSquare = Vector512.Create(step.SmallestSquare);

        public static int States => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref float w, float g, ref float m, ref float v)
        {
            var (mi, vi) = ((m * _beta1.ToScalar()) + (g * _newShare1.ToScalar()), (v * _beta2.ToScalar()) + (g * g * _newShare2.ToScalar()));
            (m, v) = (MathF.Abs(mi) < _smallestMoment.ToScalar() ? 0f : mi, vi < _smallestSquare.ToScalar() ? 0f : vi);
            w = (w * _keep.ToScalar()) - (m * _rate.ToScalar() / (MathF.Sqrt(v) + _epsilon.ToScalar()));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref Vector512<float> w, Vector512<float> g, ref Vector512<float> m, ref Vector512<float> v)
        {
            var (mi, vi) = ((m * _beta1) + (g * _newShare1), (v * _beta2) + (g * g * _newShare2));
            m = Vector512.AndNot(mi, Vector512.LessThan(Vector512.Abs(mi), _smallestMoment)); // 0, not subnormal (a NaN stays)
            v = Vector512.AndNot(vi, Vector512.LessThan(vi, _smallestSquare));
            w = (w * _keep) - (m * _rate / (Vector512.Sqrt(v) + _epsilon));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref Vector256<float> w, Vector256<float> g, ref Vector256<float> m, ref Vector256<float> v)
        {
            var (mi, vi) = ((m * _beta1.GetLower()) + (g * _newShare1.GetLower()), (v * _beta2.GetLower()) + (g * g * _newShare2.GetLower()));
            m = Vector256.AndNot(mi, Vector256.LessThan(Vector256.Abs(mi), _smallestMoment.GetLower()));
            v = Vector256.AndNot(vi, Vector256.LessThan(vi, _smallestSquare.GetLower()));
            w = (w * _keep.GetLower()) - (m * _rate.GetLower() / (Vector256.Sqrt(v) + _epsilon.GetLower()));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Update(ref Vector128<float> w, Vector128<float> g, ref Vector128<float> m, ref Vector128<float> v)
        {
            var (mi, vi) = ((m * UpdateDriver.Lanes128(_beta1)) + (g * UpdateDriver.Lanes128(_newShare1)), (v * UpdateDriver.Lanes128(_beta2)) + (g * g * UpdateDriver.Lanes128(_newShare2)));
            m = Vector128.AndNot(mi, Vector128.LessThan(Vector128.Abs(mi), UpdateDriver.Lanes128(_smallestMoment)));
            v = Vector128.AndNot(vi, Vector128.LessThan(vi, UpdateDriver.Lanes128(_smallestSquare)));
            w = (w * UpdateDriver.Lanes128(_keep)) - (m * UpdateDriver.Lanes128(_rate) / (Vector128.Sqrt(v) + UpdateDriver.Lanes128(_epsilon)));
        }
    }
}
