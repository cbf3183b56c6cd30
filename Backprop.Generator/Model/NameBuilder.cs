using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Backprop.Generator.Model;

/// <summary>
/// The one rule for names the generator makes (Parse's locals, Differentiate's adjoints and temporaries, tensor steps):
/// a name keeps clear of every identifier of the user's method — "sum", then "sum2", "sum3"; after a name that ends
/// in a digit, "x1_2", so that the number never reads as part of the name. Names are compared bare and returned
/// escaped (<see cref="Identifier"/>): the adjoint of a local <c>o</c> is <c>@do</c>, and "d" + <c>@out</c> is <c>dout</c>.
/// </summary>
internal sealed class NameBuilder
{
    private readonly HashSet<string> _taken;

    public NameBuilder(IEnumerable<string> reserved)
    {
        _taken = [];
        foreach (var name in reserved)
        {
            _taken.Add(Identifier.Bare(name));
        }
    }

    /// <summary>A fresh name builder for a generated member of its own: the method's names and its parameters' gradients are taken.</summary>
    public static NameBuilder ForMembersOf(MethodModel method) =>
        new(method.ReservedNames.Concat(method.Parameters.Select(p => p.Name)).Concat(method.Parameters.Where(p => p.HasGradient).Select(p => p.GradientName!)));

    /// <summary>The first free name of <paramref name="name"/>'s numbering, now taken; escaped where it is a keyword.</summary>
    public string Unique(string name) => Identifier.Escape(Take(Identifier.Bare(name), _taken));

    public void Reserve(string name) => _taken.Add(Identifier.Bare(name));

    /// <summary>The first of name, name2, name3, … (name_2, … after a digit) that <paramref name="isTaken"/> refuses; nothing is reserved.</summary>
    public static string Numbered(string name, Func<string, bool> isTaken)
    {
        var separator = name.Length > 0 && char.IsDigit(name[name.Length - 1]) ? "_" : string.Empty;
        var candidate = name;
        for (var i = 2; isTaken(candidate); i++)
        {
            candidate = name + separator + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary><see cref="Numbered"/> against <paramref name="taken"/>, and added to it.</summary>
    public static string Take(string name, HashSet<string> taken)
    {
        var unique = Numbered(name, taken.Contains);
        taken.Add(unique);
        return unique;
    }
}
