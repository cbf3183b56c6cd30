using System.Collections.Generic;
using System.Globalization;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Hands out generated names that keep clear of every identifier of the user's method: "sum", then "sum2", "sum3".
/// Names are compared bare and returned escaped (<see cref="Identifier"/>): the adjoint of a local <c>o</c> is
/// <c>@do</c>, and "d" + <c>@out</c> is <c>dout</c>.
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

    public string Unique(string name)
    {
        name = Identifier.Bare(name);
        var candidate = name;
        for (var i = 2; !_taken.Add(candidate); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return Identifier.Escape(candidate);
    }

    public void Reserve(string name) => _taken.Add(Identifier.Bare(name));
}
