using System.Collections.Generic;
using System.Globalization;

namespace Backprop.Generator.Differentiation;

/// <summary>Hands out generated names that keep clear of every identifier of the user's method: "sum", then "sum2", "sum3".</summary>
internal sealed class NameBuilder(IEnumerable<string> reserved)
{
    private readonly HashSet<string> _taken = [.. reserved];

    public string Unique(string name)
    {
        var candidate = name;
        for (var i = 2; !_taken.Add(candidate); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    public void Reserve(string name) => _taken.Add(name);
}
