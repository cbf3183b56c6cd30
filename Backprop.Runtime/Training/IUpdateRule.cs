using System.Runtime.Intrinsics;

namespace Backprop;

/// <summary>
/// The element math of a fused optimizer update: one weight, its gradient and the optimizer's state for it (one array,
/// <c>s</c>, or two, <c>s</c> and <c>t</c>), updated in place. Instance methods, so a rule carries its step's
/// constants; <see cref="UpdateDriver"/> takes it by value and the JIT inlines it.
/// </summary>
internal interface IUpdateRule
{
    /// <summary>How many state arrays the rule keeps per weight, 1 or 2: a compile-time constant of each rule.</summary>
    static abstract int States { get; }

    void Update(ref float w, float g, ref float s, ref float t);

    void Update(ref Vector512<float> w, Vector512<float> g, ref Vector512<float> s, ref Vector512<float> t);

    void Update(ref Vector256<float> w, Vector256<float> g, ref Vector256<float> s, ref Vector256<float> t);

    void Update(ref Vector128<float> w, Vector128<float> g, ref Vector128<float> s, ref Vector128<float> t);
}
