namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>The matrix product, <see cref="Nn.MatMul"/>.</summary>
    [DerivativeRule(typeof(Nn), nameof(Nn.MatMulBackward))]
    public static Tensor operator *(Tensor a, Tensor b) => Nn.MatMul(a, b);

    /// <summary>Element-wise sum with bias broadcast, <see cref="Nn.Add"/>.</summary>
    [DerivativeRule(typeof(Nn), nameof(Nn.AddBackward))]
    public static Tensor operator +(Tensor a, Tensor b) => Nn.Add(a, b);

    /// <summary>Element-wise difference with bias broadcast, <see cref="Nn.Subtract"/>.</summary>
    [DerivativeRule(typeof(Nn), nameof(Nn.SubtractBackward))]
    public static Tensor operator -(Tensor a, Tensor b) => Nn.Subtract(a, b);

    /// <summary>Scaling, <see cref="Nn.Scale"/>.</summary>
    [DerivativeRule(typeof(Nn), nameof(Nn.ScaleBackward))]
    public static Tensor operator *(Tensor a, float s) => Nn.Scale(a, s);

    /// <summary>Scaling, s · a.</summary>
    [DerivativeRule(typeof(Tensor), nameof(ScaleLeftBackward))]
    public static Tensor operator *(float s, Tensor a) => Nn.Scale(a, s);

    /// <summary>Rule of <c>s * a</c>.</summary>
    public static void ScaleLeftBackward(float s, Tensor a, Tensor result, Tensor dResult, ref float ds, Tensor? da) =>
        Nn.ScaleBackward(a, s, result, dResult, da, ref ds);
}
