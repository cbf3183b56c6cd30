namespace Backprop.Generator.Model;

/// <summary>
/// The generated members of one [Differentiable] method and the type they go into, as Differentiate decided them: a
/// tensor method's <see cref="Tensor"/> plan, a scalar method's <see cref="Scalar"/> plan, or a vector function's
/// <see cref="Vector"/> plan — one of them, which Emit spells.
/// </summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record GeneratedMember(TypeHierarchy Containing, string HintName)
{
    public TensorPlan? Tensor { get; init; }

    public ScalarPlan? Scalar { get; init; }

    public VectorFunctionPlan? Vector { get; init; }
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
