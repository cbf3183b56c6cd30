using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Names of the types Backprop recognises, and how symbol types map to the model's type text.</summary>
internal static class KnownTypes
{
    public const string DifferentiableAttribute = "Backprop.DifferentiableAttribute";
    public const string NoDiffAttribute = "Backprop.NoDiffAttribute";
    public const string NoDiffClass = "Backprop.NoDiff";
    public const string DerivativeRuleAttribute = "Backprop.DerivativeRuleAttribute";
    public const string SharesGradientAttribute = "Backprop.SharesGradientAttribute";
    public const string WritesFirstAttribute = "Backprop.WritesFirstAttribute";
    public const string Tensor = "Backprop.Tensor";

    /// <summary>Short type names for messages: "Tensor", "float", "ReadOnlySpan&lt;int&gt;".</summary>
    public static readonly SymbolDisplayFormat Short = SymbolDisplayFormat.MinimallyQualifiedFormat;

    private static readonly SymbolDisplayFormat s_qualified = SymbolDisplayFormat.FullyQualifiedFormat;

    private static readonly SymbolDisplayFormat s_declared = s_qualified.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// double, float, int, long and bool for those special types, a generic floating-point type parameter
    /// (<see cref="IsGenericFloating"/>), else null.
    /// </summary>
    public static DataType? Keyword(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Double => DataType.Double,
        SpecialType.System_Single => DataType.Float,
        SpecialType.System_Int32 => DataType.Int,
        SpecialType.System_Int64 => DataType.Long,
        SpecialType.System_Boolean => DataType.Bool,
        _ when IsGenericFloating(type) => DataType.Parameter(type!.Name),
        _ => null,
    };

    /// <summary>
    /// True for a method's type parameter constrained to IEEE floating point (<c>where T : IFloatingPointIeee754&lt;T&gt;</c>,
    /// or an interface that implies it): generic math code over T is differentiated as code over double or float is.
    /// </summary>
    public static bool IsGenericFloating(ITypeSymbol? type) =>
        type is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } parameter
        && parameter.ConstraintTypes.SelectMany(c => c.AllInterfaces.Prepend(c)).Any(i => IsFloatingPointInterface(i, parameter));

    /// <summary>
    /// True for an operator or static member of a System.Numerics interface reached through a generic floating-point
    /// type parameter (<c>x * y</c>, <c>T.Sin(x)</c>, <c>T.One</c> over <c>T : IFloatingPointIeee754&lt;T&gt;</c>): it is the
    /// built-in operation or Math function of that T.
    /// </summary>
    public static bool IsGenericMath(ISymbol? member, ITypeSymbol? valueType) =>
        member is { IsStatic: true, ContainingType: { TypeKind: TypeKind.Interface } owner }
        && owner.ContainingNamespace?.ToDisplayString() == "System.Numerics"
        && IsGenericFloating(valueType);

    private static bool IsFloatingPointInterface(ITypeSymbol candidate, ITypeParameterSymbol parameter) =>
        candidate is INamedTypeSymbol { Name: "IFloatingPointIeee754", TypeArguments.Length: 1 } named
        && named.ContainingNamespace?.ToDisplayString() == "System.Numerics"
        && SymbolEqualityComparer.Default.Equals(named.TypeArguments[0], parameter);

    /// <summary>
    /// The model's type: <see cref="Keyword"/>'s, the tensor, an array or span of those, else a type known by its
    /// global-qualified name.
    /// </summary>
    public static DataType Of(ITypeSymbol type) => Keyword(type) ?? type switch
    {
        _ when IsTensor(type) => DataType.Tensor,
        IArrayTypeSymbol { Rank: 1 } array when Keyword(array.ElementType) is { } element => DataType.ArrayOf(element),
        INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } span
            when Keyword(span.TypeArguments[0]) is { } element => span.Name == "Span" ? DataType.SpanOf(element) : DataType.ReadOnlySpanOf(element),
        _ => DataType.Named(Qualified(type)),
    };

    /// <summary>
    /// A parameter's type, as <see cref="Of"/> gives it, except that a type with a nullable annotation anywhere in it
    /// (<c>Tensor?</c>, <c>IReadOnlyList&lt;string?&gt;</c>) keeps it: the generated members declare the parameter as the user did.
    /// </summary>
    public static DataType Declared(ITypeSymbol type) =>
        type.ToDisplayString(s_declared) is var declared && declared != Qualified(type) ? DataType.Named(declared) : Of(type);

    /// <summary>The type's global-qualified name, as generated code writes it.</summary>
    public static string Qualified(ITypeSymbol type) => type.ToDisplayString(s_qualified);

    /// <summary>True for the runtime's <c>Backprop.Tensor</c>.</summary>
    public static bool IsTensor(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Tensor", ContainingNamespace: { Name: "Backprop", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>
    /// For System.Math, System.MathF and the numeric types' static math (<c>double.Exp</c>, <c>float.Hypot</c>): the
    /// class name ("Math", "MathF", "Double", "Single"); null for any other type.
    /// </summary>
    public static string? MathClass(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Math" or "MathF" or "Double" or "Single", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } named
            ? named.Name
            : null;

    /// <summary>The operand under any implicit conversions (an array passed as a span, a float widened to double).</summary>
    public static IOperation Unwrap(IOperation operation) =>
        operation is IConversionOperation { IsImplicit: true } conversion ? Unwrap(conversion.Operand) : operation;

    public static bool IsFloating(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single || IsGenericFloating(type);

    /// <summary>
    /// For a container of double or float values that cannot carry a gradient (a List, IEnumerable, Memory, a
    /// multi-dimensional or jagged array): the element type; null for supported sequences and everything else.
    /// </summary>
    public static DataType? UnsupportedContainerElement(ITypeSymbol type)
    {
        if (SequenceElement(type) is not null)
        {
            return null;
        }

        if (type is IArrayTypeSymbol array)
        {
            return IsFloating(array.ElementType) ? Keyword(array.ElementType)
                : array.ElementType is IArrayTypeSymbol ? UnsupportedContainerElement(array.ElementType) ?? SequenceElement(array.ElementType)
                : null;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } memory
            && memory.ContainingNamespace?.ToDisplayString() == "System" && memory.Name is "Memory" or "ReadOnlyMemory"
            && IsFloating(memory.TypeArguments[0]))
        {
            return Keyword(memory.TypeArguments[0]);
        }

        static bool IsFloatingEnumerable(INamedTypeSymbol? t) =>
            t is { IsGenericType: true, Name: "IEnumerable", TypeArguments.Length: 1 } && IsFloating(t.TypeArguments[0]);

        var enumerable = IsFloatingEnumerable(type as INamedTypeSymbol) ? (INamedTypeSymbol)type : type.AllInterfaces.FirstOrDefault(IsFloatingEnumerable);
        return enumerable is null ? null : Keyword(enumerable.TypeArguments[0]);
    }

    /// <summary>For double[], float[], Span/ReadOnlySpan of double or float: the element type; else null.</summary>
    public static DataType? SequenceElement(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array && IsFloating(array.ElementType))
        {
            return Keyword(array.ElementType);
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && named.Name is "Span" or "ReadOnlySpan"
            && IsFloating(named.TypeArguments[0]))
        {
            return Keyword(named.TypeArguments[0]);
        }

        return null;
    }

    /// <summary>What to write instead of a jagged or multi-dimensional array.</summary>
    public const string GridAdvice = "jagged (double[][]) and multi-dimensional (double[,]) arrays are not supported: keep the values in one double[] of rows × columns, element [i * columns + j], and take row i as a slice, x.AsSpan(i * columns, columns)";

    /// <summary>What to write instead of a List of numbers.</summary>
    public const string ListAdvice = "a List<double> is not supported: use a local array, double[] v = new double[n], with the count it needs (or the most it can need, and an int count beside it: v[count++] = value)";

    /// <summary>What to write instead of a span local that is not a slice or stackalloc made where it is declared.</summary>
    public static string SpanLocalAdvice(ITypeSymbol span) =>
        $"a span local must be a slice, given where it is declared and never reassigned ({span.ToDisplayString(Short)} row = x.AsSpan(start, length);), or a stackalloc, made where it is declared and never reassigned (Span<double> t = stackalloc double[3];)";

    /// <summary>True for <c>List&lt;double&gt;</c> and <c>List&lt;float&gt;</c>.</summary>
    public static bool IsList(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "List", TypeArguments.Length: 1 } list
        && list.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic" && IsFloating(list.TypeArguments[0]);

    /// <summary>Types a local of a differentiable body may have.</summary>
    public static bool IsSupportedLocal(ITypeSymbol type) =>
        Keyword(type) is { Kind: DataKind.Int or DataKind.Bool } || IsFloating(type)
        || type.TypeKind == TypeKind.Enum
        || type is IArrayTypeSymbol { Rank: 1 } array && IsFloating(array.ElementType);

    public static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == metadataName)
            {
                return true;
            }
        }

        return false;
    }
}
