using System.Linq;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Definitions of functions the generator cannot read (<c>[assembly: Definitions(typeof(Vector3), typeof(…))]</c>): a
/// [Differentiable] method in source that stands for a method, operator or constructor of another type, read in place
/// where a differentiated method calls that function.
/// </summary>
internal static class Definitions
{
    public const string Attribute = "Backprop.DefinitionsAttribute";

    /// <summary>The name a constructor's definition has.</summary>
    public const string ConstructorName = "New";

    /// <summary>True for a class an assembly's [Definitions] names: its methods stand for another type's, and get nothing generated.</summary>
    public static bool IsDefinitionsClass(INamedTypeSymbol? type, Compilation compilation) =>
        type is not null && compilation.Assembly.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Attribute
            && a.ConstructorArguments.Length == 2 && SymbolEqualityComparer.Default.Equals(a.ConstructorArguments[1].Value as ITypeSymbol, type));

    /// <summary>
    /// The definition of <paramref name="target"/>: a static [Differentiable] method of a definitions class named for
    /// its type, with its name (<c>New</c> for a constructor) and its parameter types (an instance method's instance
    /// first); null when there is none.
    /// </summary>
    public static IMethodSymbol? Find(IMethodSymbol? target, Compilation? compilation)
    {
        if (target is null || compilation is null || target.DeclaringSyntaxReferences.Length > 0)
        {
            return null;
        }

        var name = target.MethodKind == MethodKind.Constructor ? ConstructorName : target.Name;
        var parameters = (target.IsStatic || target.MethodKind == MethodKind.Constructor ? [] : new[] { (ITypeSymbol)target.ContainingType })
            .Concat(target.Parameters.Select(p => p.Type)).ToList();
        var returns = target.MethodKind == MethodKind.Constructor ? target.ContainingType : target.ReturnType;
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != Attribute || attribute.ConstructorArguments.Length != 2
                || attribute.ConstructorArguments[0].Value is not ITypeSymbol type || attribute.ConstructorArguments[1].Value is not INamedTypeSymbol definitions
                || !SymbolEqualityComparer.Default.Equals(type, target.ContainingType))
            {
                continue;
            }

            var found = definitions.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m =>
                m.IsStatic && m.Parameters.Length == parameters.Count
                && m.Parameters.Select(p => p.Type).SequenceEqual(parameters, SymbolEqualityComparer.Default)
                && SymbolEqualityComparer.Default.Equals(m.ReturnType, returns)
                && KnownTypes.HasAttribute(m, KnownTypes.DifferentiableAttribute));
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
