namespace Backprop.Generator.Model;

/// <summary>A [Differentiable] method reduced to what Differentiate and Emit need.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Containing">Namespace and partial type chain.</param>
/// <param name="Name">The method name.</param>
/// <param name="Modifiers">Accessibility and static, as text ("public static").</param>
/// <param name="ReturnType">"double" or "float"; "void" for a vector-valued function, whose results are its output spans.</param>
/// <param name="Parameters">The parameters as declared, a struct parameter as one per field.</param>
/// <param name="Signature">The parameter types for a cref, e.g. "double, double".</param>
/// <param name="Body">The statements of the body (an expression body is one return).</param>
/// <param name="Locals">Every local of the body, by its emitted (unique) name.</param>
/// <param name="ReservedNames">Every identifier the body mentions; generated names keep clear of them.</param>
/// <param name="Tensors">For a body over runtime tensors: its straight-line steps (then <paramref name="Body"/> is empty).</param>
/// <param name="Structs">The struct parameters, each in <paramref name="Parameters"/> as one parameter per field.</param>
internal sealed record MethodModel(
    TypeHierarchy Containing,
    string Name,
    string Modifiers,
    string ReturnType,
    EquatableArray<ParameterModel> Parameters,
    string Signature,
    EquatableArray<Stmt> Body,
    EquatableArray<LocalModel> Locals,
    EquatableArray<string> ReservedNames,
    TensorProgram? Tensors = null,
    EquatableArray<StructParameterModel> Structs = default);

/// <summary>A local variable of the body: its unique emitted name and type; loop counters are not hoisted.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record LocalModel(string Name, string Type, bool IsCountedLoopVariable);
