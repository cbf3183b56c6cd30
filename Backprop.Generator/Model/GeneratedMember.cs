namespace Backprop.Generator.Model;

/// <summary>The generated members of one [Differentiable] method, as C# text, and the type they go into.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record GeneratedMember(TypeHierarchy Containing, string HintName, string Source);

/// <summary>What Differentiate produced: the members, or the internal error that stopped it.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record DifferentiateResult(GeneratedMember? Member, DiagnosticInfo? Error);
