using System.Collections.Generic;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Backward-sweep code before the last pass decides where each adjoint is declared: the first contribution
/// at the top level of the method declares it (<c>double dq = ...</c>), any other first use needs it declared
/// (as zero) at the start of the backward pass.
/// </summary>
internal abstract class Code
{
    /// <summary>Adjoint locals this code reads or writes.</summary>
    public List<string> Uses { get; } = [];
}

/// <summary>A finished line of C#.</summary>
internal sealed class CodeLine : Code
{
    public CodeLine(string text, params string[] uses)
    {
        Text = text;
        Uses.AddRange(uses);
    }

    public string Text { get; }
}

/// <summary><c>adjoint += value</c> (or <c>-=</c>) into a local adjoint.</summary>
internal sealed class CodeContribution : Code
{
    public CodeContribution(string adjoint, string value, bool subtract, IEnumerable<string> uses)
    {
        Adjoint = adjoint;
        Value = value;
        Subtract = subtract;
        Uses.AddRange(uses);
    }

    public string Adjoint { get; }

    public string Value { get; }

    public bool Subtract { get; }
}

/// <summary><c>adjoint = 0</c>: the variable is about to take an older value whose gradient starts afresh.</summary>
internal sealed class CodeReset : Code
{
    public CodeReset(string adjoint) => Uses.Add(adjoint);

    public string Adjoint => Uses[0];
}

/// <summary>A header (<c>if (...)</c>, <c>for (...)</c>, <c>else</c>) and its braced body.</summary>
internal sealed class CodeBlock(string header, List<Code> body, string? footer = null) : Code
{
    public string Header { get; } = header;

    public List<Code> Body { get; } = body;

    /// <summary>Text after the closing brace (<c>while (c);</c> of a do-loop), if any.</summary>
    public string? Footer { get; } = footer;

    /// <summary>Adjoints that live in this block only (a loop body's iteration-local variables): declared afresh inside it.</summary>
    public HashSet<string> HomeAdjoints { get; init; } = [];
}
