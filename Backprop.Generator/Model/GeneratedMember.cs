namespace Backprop.Generator.Model;

/// <summary>
/// The generated members of one [Differentiable] method and the type they go into: a tensor method's as its typed
/// <see cref="TensorPlan"/>, a scalar method's as its typed <see cref="Scalar"/> plan, both of which Emit spells; a vector
/// function's still as C# text (<paramref name="Source"/>), until its writer hands Emit a plan too.
/// </summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record GeneratedMember(TypeHierarchy Containing, string HintName, string Source, TensorPlan? Tensor = null)
{
    /// <summary>A scalar method's members: pullback, gradient, forward mode, second order.</summary>
    public ScalarPlan? Scalar { get; init; }
}

/// <summary>What Differentiate produced: the members, or the internal error that stopped it.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record DifferentiateResult(GeneratedMember? Member, InternalError? Error);

/// <summary>
/// An internal error of Differentiate (BP0001) and the method it happened in. The model carries no source position (a
/// position would change with every edit above the method and defeat caching), so the method is found again by its
/// type, name and parameter names when the error is reported.
/// </summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record InternalError(TypeHierarchy Containing, string MethodName, EquatableArray<string> ParameterNames, string Message);
