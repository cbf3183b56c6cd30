using System.Collections.Generic;
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
        type is not null && Classes(compilation).Any(c => SymbolEqualityComparer.Default.Equals(c.Definitions, type));

    /// <summary>
    /// The definition of <paramref name="target"/>: a static [Differentiable] method of a definitions class named for
    /// its type, with its name (<c>New</c> for a constructor, the property's name for a property's getter) and its
    /// parameter types (an instance member's instance first); a user's own definition before Backprop's; null when there
    /// is none.
    /// </summary>
    public static IMethodSymbol? Find(IMethodSymbol? target, Compilation? compilation)
    {
        if (target is null || compilation is null || target.DeclaringSyntaxReferences.Length > 0)
        {
            return null;
        }

        var (name, parameters, returns) = Signature(target);
        return Find(target.ContainingType, name, parameters, returns, compilation);
    }

    /// <summary>The definition of a library type's static readonly field (<c>Complex.Zero</c>): a method of its name with no parameters.</summary>
    public static IMethodSymbol? Find(IFieldSymbol field, Compilation? compilation) =>
        compilation is null || field.DeclaringSyntaxReferences.Length > 0 ? null : Find(field.ContainingType, field.Name, [], field.Type, compilation);

    private static IMethodSymbol? Find(INamedTypeSymbol owner, string name, List<ITypeSymbol> parameters, ITypeSymbol returns, Compilation compilation)
    {
        IMethodSymbol? found = null;
        foreach (var (type, definitions) in Classes(compilation))
        {
            if (!SymbolEqualityComparer.Default.Equals(type, owner))
            {
                continue;
            }

            var candidate = definitions.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m =>
                m.IsStatic && m.Parameters.Select(p => p.Type).SequenceEqual(parameters, SymbolEqualityComparer.Default)
                && SymbolEqualityComparer.Default.Equals(m.ReturnType, returns)
                && KnownTypes.HasAttribute(m, KnownTypes.DifferentiableAttribute));
            if (candidate is not null && (found is null || found.ContainingType.IsFileLocal))
            {
                found = candidate; // Backprop's own definitions are file-local: one of the user's wins over them
            }
        }

        return found;
    }

    /// <summary>
    /// Why <paramref name="definition"/>, a method of a definitions class for <paramref name="type"/>, stands for none
    /// of its functions, and what they are; null when it stands for one.
    /// </summary>
    public static string? Mismatch(IMethodSymbol definition, INamedTypeSymbol type)
    {
        if (definition.Parameters.Length == 0 && type.GetMembers(definition.Name).OfType<IFieldSymbol>().Any(f => f.IsStatic && SymbolEqualityComparer.Default.Equals(f.Type, definition.ReturnType)))
        {
            return null; // a static field's value (Complex.Zero)
        }

        var signatures = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.DeclaredAccessibility == Accessibility.Public && m.MethodKind is MethodKind.Ordinary or MethodKind.Constructor or MethodKind.UserDefinedOperator or MethodKind.Conversion or MethodKind.PropertyGet)
            .Select(Signature)
            .Where(s => s.Name == definition.Name)
            .ToList();
        if (signatures.Any(s => definition.Parameters.Select(p => p.Type).SequenceEqual(s.Parameters, SymbolEqualityComparer.Default)
                && SymbolEqualityComparer.Default.Equals(definition.ReturnType, s.Returns)))
        {
            return null;
        }

        static string Shown(ITypeSymbol t) => t.ToDisplayString(KnownTypes.Short);
        return signatures.Count == 0
            ? $"'{Shown(type)}' has no public method, operator, property or constructor named '{definition.Name}' (a constructor's definition is named {ConstructorName}, an operator's by its metadata name such as op_Addition, a property's or a static field's by its name)"
            : $"'{Shown(type)}' has no '{definition.Name}' taking ({string.Join(", ", definition.Parameters.Select(p => Shown(p.Type)))}) and returning {Shown(definition.ReturnType)}; those it has take "
                + string.Join("; ", signatures.Select(s => $"({string.Join(", ", s.Parameters.Select(Shown))}) and return {Shown(s.Returns)}").Distinct())
                + " (an instance member's definition takes the instance first)";
    }

    /// <summary>The type each assembly-level [Definitions] names, with its definitions class.</summary>
    public static IEnumerable<(ITypeSymbol Type, INamedTypeSymbol Definitions)> Classes(Compilation compilation) =>
        compilation.Assembly.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == Attribute && a.ConstructorArguments.Length == 2)
            .Select(a => (a.ConstructorArguments[0].Value as ITypeSymbol, a.ConstructorArguments[1].Value as INamedTypeSymbol))
            .Where(pair => pair.Item1 is not null && pair.Item2 is not null)
            .Select(pair => (pair.Item1!, pair.Item2!));

    /// <summary>The name, parameter types and result a definition of <paramref name="function"/> has.</summary>
    private static (string Name, List<ITypeSymbol> Parameters, ITypeSymbol Returns) Signature(IMethodSymbol function) => function.MethodKind switch
    {
        MethodKind.Constructor => (ConstructorName, function.Parameters.Select(p => p.Type).ToList(), function.ContainingType),
        _ => (function.MethodKind == MethodKind.PropertyGet ? function.AssociatedSymbol!.Name : function.Name,
            (function.IsStatic ? [] : new[] { (ITypeSymbol)function.ContainingType }).Concat(function.Parameters.Select(p => p.Type)).ToList(),
            function.ReturnType),
    };
}
