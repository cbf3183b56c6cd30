namespace Backprop;

/// <summary>Stop-gradient: inside a <see cref="DifferentiableAttribute"/> method, no gradient flows through these calls.</summary>
public static class NoDiff
{
    /// <summary>Returns <paramref name="value"/> unchanged; its derivative is taken to be zero.</summary>
    public static double Value(double value) => value;

    /// <summary>Returns <paramref name="value"/> unchanged; its derivative is taken to be zero.</summary>
    public static float Value(float value) => value;

    /// <summary>Returns <paramref name="value"/> unchanged; no gradient flows back into it.</summary>
    public static Tensor Value(Tensor value) => value;
}
