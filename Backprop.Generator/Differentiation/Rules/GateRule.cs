using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>One contribution of a rule: <c>adjoint of operand += Value</c> (or <c>-=</c> with <see cref="Subtract"/>).</summary>
internal sealed record Contribution(int Operand, Term Value, bool Subtract = false);

/// <summary>How a companion value is computed with the result: (sin, cos) = Math.SinCos(a).</summary>
/// <param name="Name">The companion's base name ("cos" for sin).</param>
/// <param name="ResultFirst">True when the result is the first element of the SinCos tuple (sin).</param>
internal sealed record CompanionValue(string Name, bool ResultFirst);

/// <summary>
/// The derivative of one gate, as data: its contributions (expression trees linear in the output adjoint) and the
/// comment that names the gate in the generated code. What the backward sweep reads follows from the trees, so the
/// forward sweep saves exactly those values.
/// </summary>
internal sealed class GateRule(string comment, params Contribution[] contributions)
{
    public string Comment { get; } = comment;

    public IReadOnlyList<Contribution> Contributions { get; } = contributions;

    /// <summary>For sin and cos: the other half of Math.SinCos, which the rule reads instead of recomputing it.</summary>
    public CompanionValue? Companion { get; init; }

    /// <summary>True when a contribution reads the gate's result z.</summary>
    public bool ReadsResult => Terms.OfType<Result>().Any();

    /// <summary>True when a contribution reads the companion value.</summary>
    public bool ReadsCompanion => Terms.OfType<Companion>().Any();

    /// <summary>True when a contribution reads operand <paramref name="index"/>'s value (not only its adjoint).</summary>
    public bool ReadsOperand(int index) => Terms.OfType<Operand>().Any(o => o.Index == index);

    /// <summary>
    /// True when a contribution to an operand that <paramref name="takesGradient"/> reads operand <paramref name="index"/>'s
    /// value: <c>0.5 * s</c> never reads s, since the contribution that would (into the constant) is never written.
    /// </summary>
    public bool ReadsOperand(int index, System.Func<int, bool> takesGradient) =>
        TermsInto(takesGradient).OfType<Operand>().Any(o => o.Index == index);

    /// <summary>True when a contribution to an operand that <paramref name="takesGradient"/> reads the gate's result z.</summary>
    public bool ReadsResultFor(System.Func<int, bool> takesGradient) => TermsInto(takesGradient).OfType<Result>().Any();

    /// <summary>True for step functions (floor, sign): no gradient flows through.</summary>
    public bool IsZero => Contributions.Count == 0;

    private IEnumerable<Term> Terms => TermsInto(_ => true);

    /// <summary>The terms of the contributions into operands that <paramref name="takesGradient"/>.</summary>
    private IEnumerable<Term> TermsInto(System.Func<int, bool> takesGradient) =>
        Contributions.Where(c => takesGradient(c.Operand)).SelectMany(c => c.Value.Walk());
}
