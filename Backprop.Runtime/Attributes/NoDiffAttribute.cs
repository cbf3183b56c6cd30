namespace Backprop;

/// <summary>
/// Marks a floating-point parameter of a <see cref="DifferentiableAttribute"/> method as a constant:
/// the generated methods take it as input but produce no gradient for it.
/// </summary>
[System.AttributeUsage(System.AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDiffAttribute : System.Attribute
{
}
