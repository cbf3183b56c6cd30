namespace Backprop.Generator.Model;

/// <summary>
/// What Differentiate decided for a scalar method's pullback (<c>…Backward</c>): its two sweeps, and what they share —
/// the locals declared at the top (hoisted, throw-away adjoints), the tape, the record of an early return.
/// </summary>
/// <remarks>Value-equatable: every member is immutable.</remarks>
/// <param name="ResultName">The local holding the method's value (returned at the end).</param>
/// <param name="Inline">True for a pullback short enough to inline where it is called (no loop, or one fused loop).</param>
/// <param name="Hoisted">Locals declared at the top because their first assignment is nested or may be jumped over.</param>
/// <param name="Scratches">Throw-away adjoints for callee arguments that carry no gradient, one per type.</param>
/// <param name="Tape">The local holding the thread's tape, when a sweep uses it.</param>
/// <param name="MethodStop">The local holding the id of the return taken, when the backward sweep is guarded by it.</param>
/// <param name="JumpsToBackward">True when an early return jumps to the backward sweep.</param>
/// <param name="BackwardInForward">True when the forward sweep did all the backward work (a fused loop, nothing after it).</param>
/// <param name="ArrayAdjoints">The adjoints of the local arrays the forward sweep makes (cleared before each row of a Jacobian, unless a backward pass leaves them zero).</param>
/// <param name="UnreadOutputs">The outputs nothing reads: a backward pass only takes their adjoints' elements, adding into none.</param>
/// <param name="Sweeps">The forward and backward sweeps.</param>
internal sealed record PullbackPlan(
    string ResultName,
    bool Inline,
    EquatableArray<LocalDeclaration> Hoisted,
    EquatableArray<LocalDeclaration> Scratches,
    string? Tape,
    string? MethodStop,
    bool JumpsToBackward,
    bool BackwardInForward,
    EquatableArray<ArrayAdjoint> ArrayAdjoints,
    EquatableArray<string> UnreadOutputs,
    PullbackSweeps Sweeps);

/// <summary>A local of a generated member, declared at its top.</summary>
internal sealed record LocalDeclaration(string Name, DataType Type);

/// <summary>
/// The adjoint of a local array: a span on the stack (<c>stackalloc</c>) or an array; <paramref name="LeftZero"/> when every
/// element of the array is written before any is read, so a backward pass takes (and zeroes) whatever it added into it.
/// </summary>
internal sealed record ArrayAdjoint(string Name, bool OnStack, bool LeftZero);
