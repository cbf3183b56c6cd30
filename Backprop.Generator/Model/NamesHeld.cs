using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Backprop.Generator.Model;

/// <summary>
/// Whether a part of a model — steps, expressions, and the records they hold — names one of a set of values: every
/// string it holds, at any depth, is compared whole. Names are whole strings in the model (an adjoint, a local, a
/// variable an expression reads), and the name builder keeps the ones Differentiate makes apart from every identifier
/// the user wrote, so a match is a reference.
/// </summary>
/// <remarks>A walk over the records' public properties: a kind of step added later is searched with no change here.</remarks>
internal static class NamesHeld
{
    public static bool AnyOf(object? node, ISet<string> names) => node switch
    {
        null => false,
        string text => names.Contains(text),
        IEnumerable items => items.Cast<object?>().Any(item => AnyOf(item, names)),
        _ when node.GetType().Namespace != typeof(NamesHeld).Namespace || node.GetType().IsEnum => false,
        _ => PropertiesOf(node.GetType()).Any(property => AnyOf(property.GetValue(node), names)),
    };

    private static IEnumerable<PropertyInfo> PropertiesOf(System.Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0);
}
