namespace Backprop.Generator.Model;

/// <summary>
/// What Differentiate decided for a tensor method, for Emit to spell: the forward sweep as written (keeping what a
/// loop's iterations make), then the backward sweep — which adjoints are zeroed tensors and which share a gradient, the
/// rule calls, the float gates' contributions, the copies and hand-overs between branches, loops and the code around.
/// </summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Method">The method: its signature, parameters and program (the fields whose gradients it adds into).</param>
/// <param name="Forward">The forward sweep.</param>
/// <param name="Backward">The backward sweep, from the result's gradient back to the inputs'.</param>
internal sealed record TensorPlan(MethodModel Method, EquatableArray<SweepStep> Forward, EquatableArray<SweepStep> Backward);
