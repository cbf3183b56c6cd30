using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Parsing;

/// <summary>Decides whether and how a parameter gets a gradient; the same rule serves a method and its callees.</summary>
internal static class ParameterDescriber
{
    /// <summary>Describes <paramref name="parameter"/>; <paramref name="problem"/> says why it cannot be used, if so.</summary>
    public static ParameterModel Describe(IParameterSymbol parameter, out string? problem)
    {
        problem = parameter.RefKind is RefKind.None or RefKind.In
            ? null
            : "ref and out parameters are not supported; pass the value and return the result (in parameters are)";
        var model = DescribeValue(parameter, ref problem);
        return parameter.RefKind == RefKind.In ? model with { IsIn = true } : model;
    }

    private static ParameterModel DescribeValue(IParameterSymbol parameter, ref string? problem)
    {
        var type = KnownTypes.Declared(parameter.Type);
        var noDiff = KnownTypes.HasAttribute(parameter, KnownTypes.NoDiffAttribute);

        if (KnownTypes.IsFloating(parameter.Type))
        {
            return noDiff
                ? new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.NoGradient, null, null)
                : new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.Scalar, type, Identifier.Prefixed("d", parameter.Name));
        }

        if (KnownTypes.SequenceElement(parameter.Type) is { } element)
        {
            return noDiff
                ? new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.NoGradient, element, null)
                : new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.Sequence, element, Identifier.Prefixed("d", parameter.Name));
        }

        if (KnownTypes.IsTensor(parameter.Type))
        {
            return noDiff
                ? new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.NoGradient, DataType.Float, null)
                : new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.Tensor, DataType.Float, Identifier.Prefixed("d", parameter.Name));
        }

        if (parameter.Type is IArrayTypeSymbol { Rank: 1 } tensors && KnownTypes.IsTensor(tensors.ElementType))
        {
            return noDiff
                ? new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.NoGradient, DataType.Float, null)
                : new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.TensorArray, DataType.Float, Identifier.Prefixed("d", parameter.Name));
        }

        if (!noDiff && problem is null && KnownTypes.UnsupportedContainerElement(parameter.Type) is { } held)
        {
            var shown = parameter.Type.ToDisplayString(KnownTypes.Short);
            problem = parameter.Type is IArrayTypeSymbol
                ? $"'{shown}' cannot carry a gradient, only a one-dimensional {held}[] or span can; flatten it into a {held}[] (element [i * columns + j]; row i is the slice x.AsSpan(i * columns, columns)), or mark the parameter [NoDiff]"
                : $"'{shown}' cannot carry a gradient; take the values as {held}[] or ReadOnlySpan<{held}> ({(parameter.Type.Name == "List" ? "CollectionsMarshal.AsSpan(list)" : ".ToArray()")} at the call site), or mark the parameter [NoDiff]";
        }

        return new ParameterModel(Identifier.Escape(parameter.Name), type, ParameterShape.NoGradient, null, null);
    }
}
