using Backprop.Generator.Model;

namespace Backprop.Generator.Parsing;

/// <summary>What Parse made of one [Differentiable] method: the model (null if it has errors) and its diagnostics.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record ParseResult(MethodModel? Method, EquatableArray<DiagnosticInfo> Diagnostics);
