using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Value types a body may hold in a local: a struct or record struct whose every instance field is a double, float, int
/// or bool, or such a struct in turn, that the method can read and write (a public or internal field, or an
/// auto-property with a setter or <c>init</c>); a library struct of <see cref="LibraryParts"/>. Such a local is a local
/// for each field, so nothing after Parse sees the struct. A struct may also have <c>double[]</c> or <c>float[]</c>
/// fields: as a parameter its array is a parameter of its own; as a local (given its value where it is declared and
/// keeping it, see <see cref="ArrayFieldReason"/>) its array field is another name for the array it was given.
/// </summary>
internal static class StructTypes
{
    /// <summary>What a struct may be used for, said wherever it is used otherwise.</summary>
    public const string Advice = "a struct is supported held in a local — made with a record's own constructor (new P(x, v)), an object initializer (new V { X = x }), default or with — copied to another local and read and written field by field (p.X); it is passed to and returned from [Differentiable] methods (read in place), not to other methods";

    /// <summary>Why an object of a class is not differentiated, and what to write instead.</summary>
    public const string ClassAdvice = "it is a class, a reference type: two names can hold the same object, so a write through one changes what the other reads, and a gradient kept per name would be silently wrong; make it a struct or record struct (each copy its own values, differentiated field by field), or read its fields into locals";

    /// <summary>
    /// The fields of <paramref name="type"/> in declaration order (a property for an auto-property's backing field), a
    /// field that is itself such a struct as its own fields, named by their path (<c>Position.X</c>); null with the
    /// reason when it is not such a struct.
    /// </summary>
    public static IReadOnlyList<(string Name, ITypeSymbol Type)>? Fields(ITypeSymbol type, out string? reason)
    {
        reason = null;
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct, IsTupleType: false, SpecialType: SpecialType.None } named
            || named.IsGenericType || KnownTypes.IsTensor(type))
        {
            return null;
        }

        if (LibraryPartsOf(named) is { } parts)
        {
            return parts.Select(p => (p, named.GetMembers(p).OfType<IPropertySymbol>().First().Type)).ToList();
        }

        var fields = new List<(string, ITypeSymbol)>();
        foreach (var (member, memberType) in Members(named))
        {
            string? inner = null;
            var nested = KnownTypes.Keyword(memberType) is null && memberType.TypeKind == TypeKind.Struct ? Fields(memberType, out inner) : null;
            if (inner is not null)
            {
                reason = $"its field '{member.Name}' is a {memberType.ToDisplayString(KnownTypes.Short)}, and {inner}";
                return null;
            }

            if (nested is null && KnownTypes.Keyword(memberType) is not { Kind: DataKind.Double or DataKind.Float or DataKind.Int or DataKind.Bool } && !IsArray(memberType))
            {
                reason = $"its field '{member.Name}' is a {memberType.ToDisplayString(KnownTypes.Short)}; a struct may hold double, float, int and bool fields, arrays of double or float, and structs of them";
                return null;
            }

            if (member.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal)
                || member is IPropertySymbol { GetMethod: null } or IPropertySymbol { SetMethod: null })
            {
                reason = $"its field '{member.Name}' cannot be read and set from here (make it a public field or a public auto-property with a setter or init)";
                return null;
            }

            if (HasInitializer(member))
            {
                reason = $"'{member.Name}' has an initializer, which a constructor call runs; set it where the struct is made instead";
                return null;
            }

            if (nested is not null)
            {
                fields.AddRange(nested.Select(n => (member.Name + "." + n.Name, n.Type)));
            }
            else
            {
                fields.Add((member.Name, memberType));
            }
        }

        if (fields.Count == 0)
        {
            reason = "it has no fields to differentiate";
            return null;
        }

        return fields;
    }

    /// <summary>A <c>double[]</c> or <c>float[]</c> field: a struct parameter's array, differentiated element by element.</summary>
    public static bool IsArray(ITypeSymbol type) => type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single };

    /// <summary>
    /// Why a struct of <paramref name="fields"/> cannot be held in a local that is assigned more than once: its array
    /// field is another name for the array it was given where it was declared; null when it has no array field.
    /// </summary>
    public static string? ArrayFieldReason(IReadOnlyList<(string Name, ITypeSymbol Type)> fields) =>
        fields.FirstOrDefault(f => IsArray(f.Type)) is { Name: { } name }
            ? $"its field '{name}' is an array, and a local of a struct with an array field must be given its value where it is declared and keep it (neither the local nor its array field assigned again): its array is then another name for the one it was given"
            : null;

    /// <summary>The fields of <paramref name="type"/> that are structs themselves, at any depth: their paths (<c>Position</c>) and types.</summary>
    public static IEnumerable<(string Path, ITypeSymbol Type)> Nested(ITypeSymbol type, string prefix = "")
    {
        foreach (var (member, memberType) in Members((INamedTypeSymbol)type))
        {
            if (KnownTypes.Keyword(memberType) is null && memberType.TypeKind == TypeKind.Struct)
            {
                yield return (prefix + member.Name, memberType);
                foreach (var inner in Nested(memberType, prefix + member.Name + "."))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>
    /// The parts a tuple or struct value is held as, a local each: a tuple's elements when they are numbers or bools, or a
    /// struct's <see cref="Fields"/>; null for any other type.
    /// </summary>
    public static IReadOnlyList<(string Name, ITypeSymbol Type)>? Parts(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsTupleType: true } tuple
            ? tuple.TupleElements.All(e => KnownTypes.IsSupportedLocal(e.Type) && KnownTypes.SequenceElement(e.Type) is null)
                ? tuple.TupleElements.Select(e => (e.Name, e.Type)).ToList()
                : null
            : Fields(type, out _);

    /// <summary>The instance fields of <paramref name="type"/> with their types: a property for an auto-property's backing field.</summary>
    private static IEnumerable<(ISymbol Member, ITypeSymbol Type)> Members(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst)
            .Select(f => f.AssociatedSymbol is IPropertySymbol property ? ((ISymbol)property, property.Type) : (f, f.Type));

    /// <summary>A field's path with each name escaped where it is a keyword (<c>Position.@in</c>).</summary>
    public static string EscapedPath(string path) => string.Join(".", path.Split('.').Select(Identifier.Escape));

    /// <summary>The fields of <paramref name="fields"/> under the struct member <paramref name="member"/> (<c>Position</c>), by index; empty for a number.</summary>
    public static List<int> Under(IReadOnlyList<(string Name, ITypeSymbol Type)> fields, string member) =>
        Enumerable.Range(0, fields.Count).Where(i => fields[i].Name.StartsWith(member + ".", System.StringComparison.Ordinal)).ToList();

    /// <summary>
    /// True when <paramref name="constructor"/> is a positional record's own (each parameter sets the property of its
    /// name), or the constructor that takes a library struct's <see cref="LibraryParts"/> in order.
    /// </summary>
    public static bool IsPositional(IMethodSymbol constructor) =>
        constructor.ContainingType.IsRecord
            ? constructor.DeclaringSyntaxReferences.Length == 1 && constructor.DeclaringSyntaxReferences[0].GetSyntax() is RecordDeclarationSyntax
            : IsPartsConstructor(constructor);

    /// <summary>The field a positional constructor's <paramref name="parameter"/> sets: the part at its position for a library struct, else the property of its name.</summary>
    public static string FieldSetBy(IParameterSymbol parameter) =>
        parameter.ContainingSymbol is IMethodSymbol constructor && IsPartsConstructor(constructor)
            ? LibraryPartsOf(constructor.ContainingType)![parameter.Ordinal]
            : parameter.Name;

    /// <summary>The constructor that takes a library struct's parts, in order and of their types.</summary>
    private static bool IsPartsConstructor(IMethodSymbol constructor) =>
        constructor.MethodKind == MethodKind.Constructor
        && LibraryPartsOf(constructor.ContainingType) is not null
        && Fields(constructor.ContainingType, out _) is { } parts
        && constructor.Parameters.Select(p => p.Type).SequenceEqual(parts.Select(f => f.Type), SymbolEqualityComparer.Default);

    private static IReadOnlyList<string>? LibraryPartsOf(ITypeSymbol type) => LibraryParts.Of(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));

    private static bool HasInitializer(ISymbol member) =>
        member.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax() switch
        {
            VariableDeclaratorSyntax declarator => declarator.Initializer is not null,
            PropertyDeclarationSyntax property => property.Initializer is not null,
            ParameterSyntax => false, // a positional record's property: its constructor parameter sets it
            _ => false,
        });
}
