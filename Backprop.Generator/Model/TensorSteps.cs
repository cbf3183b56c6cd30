namespace Backprop.Generator.Model;

// The kinds of step only tensor code makes (its forward sweep keeps a loop's values on the workspace's stacks, its
// adjoints are tensors that are zeroed, written first or shared); the kinds it shares with scalar code are in SweepStep.cs.

/// <summary>The comment before a gate's backward steps: <c>// Target = Gate: Description</c>.</summary>
/// <param name="Target">The value the gate made.</param>
/// <param name="Gate">The gate's forward expression, shown as the user wrote it (<c>X * W1</c>, <c>Relu(sum)</c>).</param>
/// <param name="Description">What its rule does, in words.</param>
internal sealed record TensorGateComment(string Target, Expr Gate, string Description) : SweepStep;

/// <summary>The comment before going back through a branch: which arm is decided by the condition again.</summary>
internal sealed record TensorBranchComment(Expr Condition) : SweepStep;

/// <summary>The comment before going back through a loop's iterations, the last first: the loop's header as it runs forward.</summary>
internal sealed record TensorLoopComment(ForHeader Loop) : SweepStep;

/// <summary>
/// <c>Target = Value</c> (a merge, a carried variable) going back: the value takes <paramref name="Gradient"/> as its own
/// gradient (no step is written, the comment says so).
/// </summary>
internal sealed record TensorTakesGradient(string Target, Expr Value, string Gradient) : SweepStep;

/// <summary><c>Target = Value</c> going back: a copy passes <paramref name="Gradient"/> on to the value's adjoint (the steps that follow).</summary>
internal sealed record TensorCopyComment(string Target, Expr Value, string Gradient) : SweepStep;

/// <summary>A loop's counter and its first value: a value carried from before the loop is the first iteration's where <c>Counter == Start</c>.</summary>
internal sealed record Iteration(string Counter, Expr Start);

/// <summary><c>Target = Expression</c> of the forward sweep, declaring the target when <paramref name="Declare"/>; <paramref name="Function"/> names what an operator computes (<c>// MatMul</c>).</summary>
internal sealed record TensorCompute(string Target, DataType Type, Expr Expression, bool Declare, string? Function) : SweepStep;

/// <summary>A value a branch's arms assign at their ends (<c>Tensor h2;</c>).</summary>
internal sealed record TensorMergeDeclaration(string Name, DataType Type) : SweepStep;

/// <summary>A value made inside a branch, declared before it so that the backward sweep can read it after it.</summary>
internal sealed record TensorMadeInBranch(string Name, DataType Type) : SweepStep;

/// <summary>A loop's carried variable, from its value before the loop; declared here unless a branch around the loop declared it (<paramref name="Declare"/>).</summary>
internal sealed record TensorCarriedBefore(string Name, DataType Type, Expr Before, string Counter, bool Declare = true) : SweepStep;

/// <summary>
/// A stack of the workspace that keeps a loop's values of <paramref name="Type"/>, one per iteration, for the backward
/// sweep; <paramref name="First"/> for the first of those declared together (its comment says what they are for).
/// </summary>
internal sealed record TensorKeepStack(string Stack, DataType Type, bool First) : SweepStep;

/// <summary>
/// A tensor adjoint shaped like <paramref name="Value"/>: zeros, or, when <paramref name="Fresh"/>, a tensor the rule that
/// follows writes first ([WritesFirst]), with no zeroing pass.
/// </summary>
internal sealed record TensorZeros(string Adjoint, string Value, bool Fresh = false) : SweepStep;

/// <summary>
/// A tensor adjoint that is the same tensor as <paramref name="Gradient"/>: the add gate passes its gradient on unchanged,
/// and no other value sharing that tensor is still to be read.
/// </summary>
internal sealed record TensorShared(string Adjoint, string Value, string Gradient) : SweepStep;

/// <summary><c>Adjoint.AddFrom(Gradient)</c>: a copy of a tensor passes its gradient on.</summary>
internal sealed record TensorAddFrom(Expr Adjoint, string Gradient) : SweepStep;

/// <summary>
/// At the end of an iteration going back: <paramref name="Gradient"/>, the carried variable's, becomes the gradient of
/// its value as the iteration started (<paramref name="Start"/>), or zero when the iteration did not read it.
/// </summary>
internal sealed record TensorPassBack(string Gradient, string Carried, DataType Type, string? Start) : SweepStep;
