namespace Backprop;

/// <summary>
/// Marks a <c>Tensor?</c> adjoint of a derivative rule that can write, rather than add, its contribution: where the
/// rule is the first to reach that adjoint, the generated code passes <see cref="Workspace.Fresh"/> instead of a
/// zeroed tensor, and saves the zeroing pass (and, for a product, the read of the old values).
/// </summary>
/// <remarks>
/// The rule asks <see cref="Tensor.TakeFresh"/> before its contribution: when it returns true the rule must write every
/// element (the tensor holds nothing yet); otherwise it adds, as every rule does. <see cref="Nn.MatMulBackward"/> and
/// the activations' rules do this. A rule that marks an adjoint and then adds into a fresh tensor gives wrong gradients;
/// <see cref="Workspace.CheckLifetimes"/> fills fresh tensors with NaN, so such a rule shows in every gradient.
/// </remarks>
[System.AttributeUsage(System.AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class WritesFirstAttribute : System.Attribute
{
}
