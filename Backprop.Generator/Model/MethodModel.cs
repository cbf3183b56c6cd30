namespace Backprop.Generator.Model;

/// <summary>A [Differentiable] method reduced to what Differentiate and Emit need.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Containing">Namespace and partial type chain.</param>
/// <param name="Name">The method name.</param>
/// <param name="Modifiers">Accessibility and static, as text ("public static").</param>
/// <param name="ReturnType">double or float (or the type parameter of a generic method); void for a vector-valued function, whose results are its output spans.</param>
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
    DataType ReturnType,
    EquatableArray<ParameterModel> Parameters,
    string Signature,
    EquatableArray<Stmt> Body,
    EquatableArray<LocalModel> Locals,
    EquatableArray<string> ReservedNames,
    TensorProgram? Tensors = null,
    EquatableArray<StructParameterModel> Structs = default)
{
    /// <summary>For a method generic over floating point (<c>F&lt;T&gt;</c>): its type parameter, which every generated member takes too.</summary>
    public GenericParameter? Generic { get; init; }

    /// <summary>
    /// For a method Differentiate made from the user's (FDirectional): the types of the parameters it adds after the
    /// user's, which a cref lists after <see cref="Signature"/>'s; else empty.
    /// </summary>
    public EquatableArray<DataType> AddedToSignature { get; init; }

    /// <summary>The method's name in a cref: <c>F</c>, or <c>F{T}</c> for a generic one.</summary>
    public string CrefName => Generic is null ? Name : $"{Name}{{{Generic.Name}}}";

    /// <summary>What follows a generated member's name: <c>&lt;T&gt;</c> for a generic method, else nothing.</summary>
    public string TypeParameters => Generic is null ? string.Empty : $"<{Generic.Name}>";

    /// <summary>What follows a generated member's parameter list: the constraint clause of a generic method, else nothing.</summary>
    public string Constraints => Generic is null ? string.Empty : " " + Generic.Constraint;
}

/// <summary>The type parameter of a method generic over floating point, and its constraint clause (<c>where T : global::System.Numerics.IFloatingPointIeee754&lt;T&gt;</c>).</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record GenericParameter(string Name, string Constraint);

/// <summary>A local variable of the body: its unique emitted name and type; loop counters are not hoisted.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record LocalModel(string Name, DataType Type, bool IsCountedLoopVariable);
