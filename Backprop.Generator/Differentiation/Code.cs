using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// A sweep's steps before the last pass (<see cref="AdjointDeclarations"/>) decides where each adjoint is declared: the
/// first contribution at the top level of its home block declares it (<c>double dq = ...</c>), any other first use needs
/// it declared (as zero) at the start of that block.
/// </summary>
internal abstract class Code
{
    /// <summary>Adjoint locals this code reads or writes.</summary>
    public List<string> Uses { get; } = [];
}

/// <summary>A finished step.</summary>
internal sealed class CodeStep : Code
{
    public CodeStep(SweepStep step, params string[] uses)
    {
        Step = step;
        Uses.AddRange(uses);
    }

    public SweepStep Step { get; }

    /// <summary>An empty line.</summary>
    public static CodeStep Blank() => new(new SweepBlank());
}

/// <summary>A gate's terms added into a local adjoint (or subtracted).</summary>
internal sealed class CodeContribution : Code
{
    public CodeContribution(string adjoint, IEnumerable<RuleTerm> terms, GateNames gate, IEnumerable<string> uses)
    {
        Adjoint = adjoint;
        Terms = terms.ToEquatableArray();
        Gate = gate;
        Uses.AddRange(uses);
    }

    public string Adjoint { get; }

    public EquatableArray<RuleTerm> Terms { get; }

    public GateNames Gate { get; }
}

/// <summary><c>adjoint = 0</c>: the variable is about to take an older value whose gradient starts afresh.</summary>
internal sealed class CodeReset : Code
{
    public CodeReset(string adjoint) => Uses.Add(adjoint);

    public string Adjoint => Uses[0];
}

/// <summary>A header (<c>if (...)</c>, <c>for (...)</c>, <c>else</c>) and its braced body.</summary>
internal sealed class CodeBlock(SweepHeader header, List<Code> body, Expr? doWhile = null) : Code
{
    public SweepHeader Header { get; } = header;

    public List<Code> Body { get; } = body;

    /// <summary>The condition of a do-loop, after its closing brace.</summary>
    public Expr? DoWhile { get; } = doWhile;

    /// <summary>Adjoints that live in this block only (a loop body's iteration-local variables): declared afresh inside it.</summary>
    public HashSet<string> HomeAdjoints { get; init; } = [];
}
