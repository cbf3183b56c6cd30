namespace Backprop;

/// <summary>
/// Marks a <c>Tensor?</c> adjoint of a derivative rule whose input receives dResult unchanged (the add gate passes its
/// gradient on): the generated code may then pass dResult's own tensor as that adjoint, instead of a zeroed tensor of
/// its own that the rule would add dResult into. The rule must recognise it (<c>ReferenceEquals(da, dResult)</c>) and
/// add nothing there, since it already holds its share.
/// </summary>
/// <remarks>
/// The generator shares only where it is safe: the input is a value the method made, no other value still to be read
/// holds the same tensor, and at run time the shapes agree (<see cref="Workspace.PassedThrough"/> gives a broadcast
/// input a tensor of its own). A rule that marks an adjoint that is not dResult times the identity gives wrong gradients.
/// </remarks>
[System.AttributeUsage(System.AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class SharesGradientAttribute : System.Attribute
{
}
