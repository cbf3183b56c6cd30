namespace Backprop.Generator.Model;

/// <summary>How a callee's parameter takes a gradient in a derivative rule.</summary>
internal enum AdjointSlot
{
    /// <summary>No adjoint: integers, labels, [NoDiff] parameters.</summary>
    None,

    /// <summary>A <c>Tensor?</c> adjoint: the tensor to add into, or null when the input needs no gradient.</summary>
    Tensor,

    /// <summary>A <c>ref float</c> / <c>ref double</c> adjoint.</summary>
    Scalar,
}

/// <summary>A value in tensor code: a parameter, field, local or temporary by name, or an inactive expression's text.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Text">Compilable text: a name, a literal, <c>labels</c>.</param>
/// <param name="Type">Its type: <see cref="TensorProgram.TensorType"/>, "float", "double", "int", or another global-qualified type.</param>
/// <param name="Active">True when it depends on a value that takes a gradient.</param>
internal sealed record TensorOperand(string Text, string Type, bool Active)
{
    public bool IsTensor => Type == TensorProgram.TensorType;
}

/// <summary>An argument of a rule call, with the adjoint its rule takes for it.</summary>
internal sealed record TensorArgument(TensorOperand Value, AdjointSlot Slot);

/// <summary>What a step computes.</summary>
internal enum TensorStepKind
{
    /// <summary><c>Target = F(arguments)</c> for an F with a [DerivativeRule]: the rule is called in the backward sweep.</summary>
    Rule,

    /// <summary>Scalar arithmetic on the float results of reductions and losses: + − · / and negation.</summary>
    Arithmetic,

    /// <summary>A Math/MathF function of those results (<c>MathF.Sqrt(loss)</c>), differentiated by the scalar gates' rules.</summary>
    Math,

    /// <summary>A value no gradient flows through (stop-gradient, a call on inactive values): forward only.</summary>
    Inactive,
}

/// <summary>One step of tensor code: one operation assigned to a fresh name (each assignment makes a new version).</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Target">The name the step assigns (a user's local, a versioned local, or a temporary).</param>
/// <param name="Type">The target's type.</param>
/// <param name="Kind">What the step computes.</param>
/// <param name="Forward">The forward expression as compilable text (<c>X * W1</c>, <c>global::Backprop.Nn.Relu(sum)</c>).</param>
/// <param name="Display">The same, short, for comments (<c>Relu(sum)</c>).</param>
/// <param name="Function">The function's short name for comments (<c>MatMul</c>, <c>Relu</c>) or the arithmetic operator.</param>
/// <param name="Rule">For Rule steps: the rule method, global-qualified.</param>
/// <param name="Arguments">The operands in the callee's parameter order.</param>
/// <param name="Active">True when the target depends on a value that takes a gradient.</param>
internal sealed record TensorStep(string Target, string Type, TensorStepKind Kind, string Forward, string Display, string Function, string? Rule, EquatableArray<TensorArgument> Arguments, bool Active);

/// <summary>A trainable tensor field of the model type or of one of its sub-modules, read by the method.</summary>
/// <param name="Name">The field's name, with the sub-module's in front (<c>W1</c>, <c>Input.W</c>), for comments.</param>
/// <param name="Text">How the body reads it (<c>this.W1</c>, <c>this.Input.W</c>; <c>!</c> when declared nullable).</param>
/// <param name="GradientName">The local that holds its gradient in the generated method (<c>dW1</c>, <c>dInput_W</c>).</param>
/// <param name="GradientSource">The generated property holding its gradient (<c>this.dW1</c>, <c>this.Input.dW</c>).</param>
internal sealed record TensorField(string Name, string Text, string GradientName, string GradientSource);

/// <summary>A field of a model type that holds parameters: a trainable tensor, or a sub-module (a model of its own).</summary>
/// <param name="Name">The field's name, escaped where it is a keyword.</param>
/// <param name="IsModule">True for a sub-module: its own generated <c>Parameters</c> join the model's.</param>
internal sealed record ModelField(string Name, bool IsModule);

/// <summary>The body of a [Differentiable] method over runtime tensors, as straight-line steps.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Steps">The steps in forward order.</param>
/// <param name="Result">The value returned.</param>
/// <param name="Fields">Trainable tensor fields of this model the body reads (their gradients live in the model).</param>
/// <param name="ModelFields">Every trainable tensor field and sub-module of the model type, for its generated <c>Parameters</c> (empty for static methods).</param>
internal sealed record TensorProgram(EquatableArray<TensorStep> Steps, TensorOperand Result, EquatableArray<TensorField> Fields, EquatableArray<ModelField> ModelFields)
{
    public const string TensorType = "global::Backprop.Tensor";
}

/// <summary>A model type and its trainable tensor fields and sub-modules in declaration order, for the generated <c>Parameters</c>.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record ModelParameters(TypeHierarchy Containing, EquatableArray<ModelField> Fields);
