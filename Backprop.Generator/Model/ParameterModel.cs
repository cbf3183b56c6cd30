namespace Backprop.Generator.Model;

/// <summary>How a parameter takes part in differentiation.</summary>
internal enum ParameterShape
{
    /// <summary>Carries no gradient: integers, bools, [NoDiff] parameters, other types.</summary>
    NoGradient,

    /// <summary>A double or float: the gradient is a double or float.</summary>
    Scalar,

    /// <summary>An array or span of double or float, read by index: the gradient is a Span of the same length.</summary>
    Sequence,

    /// <summary>A runtime <c>Tensor</c>: the gradient is a tensor of the same shape.</summary>
    Tensor,

    /// <summary>A <c>Tensor[]</c> read by element in tensor code: the gradient is a <c>Tensor[]</c> shaped like it, element by element.</summary>
    TensorArray,
}

/// <summary>A parameter of a [Differentiable] method.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Name">The parameter name as declared.</param>
/// <param name="Type">The declared type.</param>
/// <param name="Shape">Whether and how it gets a gradient.</param>
/// <param name="ElementType">double or float for Scalar and Sequence parameters, float for tensors.</param>
/// <param name="GradientName">"d" + Name for parameters with a gradient.</param>
/// <param name="IsIn">Declared <c>in</c> (read-only, passed by reference): the generated methods declare it so too.</param>
/// <param name="IsOutput">
/// A <c>Span</c> or <c>out</c> number a vector-valued (void) method writes its results into: its derivative is the
/// method's, not an input's.
/// </param>
internal sealed record ParameterModel(string Name, DataType Type, ParameterShape Shape, DataType? ElementType, string? GradientName, bool IsIn = false, bool IsOutput = false)
{
    public bool HasGradient => Shape != ParameterShape.NoGradient;

    /// <summary>The parameter passed on as an argument: <c>x</c>, <c>out r</c>.</summary>
    public string Argument => (IsOutParameter ? "out " : string.Empty) + Name;

    /// <summary>A vector function's number output, declared <c>out</c>.</summary>
    public bool IsOutParameter => IsOutput && Shape == ParameterShape.Scalar;
}
