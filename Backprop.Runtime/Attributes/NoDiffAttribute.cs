namespace Backprop;

/// <summary>
/// Marks a value as a constant for differentiation. On a floating-point parameter of a
/// <see cref="DifferentiableAttribute"/> method: the generated methods take it as input but produce no gradient for it.
/// On a <c>Tensor</c> field of a model: the field is frozen — not in the generated <c>Parameters</c>, so no optimizer
/// changes it, and no gradient is computed for it.
/// </summary>
/// <remarks>
/// Which fields are parameters: every instance field of type <c>Tensor</c> declared in the model type (any
/// accessibility, <c>readonly</c> or not), in declaration order, except those marked <c>[NoDiff]</c>. Static fields,
/// properties and fields of other types are never parameters.
/// </remarks>
[System.AttributeUsage(System.AttributeTargets.Parameter | System.AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class NoDiffAttribute : System.Attribute
{
}
