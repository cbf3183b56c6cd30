using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Two gates' contributions into the same adjoint element, with nothing between them reading it or changing what the
/// first reads, become one statement (<c>dx[i] += x[i] * dproduct + x[i] * dproduct - db;</c>): one read-modify-write of
/// the element instead of two, the second waiting on the first's store. Rosenbrock's generated gradient took 1.35× the
/// hand-written one's time on Zen 3 with two per iteration.
/// </summary>
internal static class ElementContributions
{
    /// <summary>Merges, in <paramref name="code"/> (one level of a sweep, blocks not entered), each element contribution into the next one into the same element.</summary>
    public static void Merge(List<Code> code)
    {
        for (var at = 0; at < code.Count; at++)
        {
            if (code[at] is not CodeStep { Step: SweepContribute { Declare: false, Adjoint: ElementExpr element } earlier } first)
            {
                continue;
            }

            var read = new HashSet<string>(Reads(earlier).Concat(Stager.ValuesRead(element.Index)));
            for (var next = at + 1; next < code.Count; next++)
            {
                if (code[next] is CodeStep { Step: SweepContribute { Declare: false, Adjoint: ElementExpr same } later } second && same.Equals(element))
                {
                    code[next] = new CodeStep(later with { Earlier = later.Earlier is null ? earlier : Chain(earlier, later.Earlier) }, [.. first.Uses, .. second.Uses]);
                    code[at] = new CodeStep(new SweepContributedBelow(earlier));
                    break;
                }

                if (!Passes(code[next], element, read))
                {
                    break;
                }
            }
        }
    }

    /// <summary><paramref name="earliest"/> put at the start of the chain of earlier contributions that ends in <paramref name="chain"/>.</summary>
    private static SweepContribute Chain(SweepContribute earliest, SweepContribute chain) =>
        chain with { Earlier = chain.Earlier is null ? earliest : Chain(earliest, chain.Earlier) };

    /// <summary>
    /// True when the element contribution may move past <paramref name="code"/>: a blank, a comment, or a
    /// contribution that writes nothing the earlier one reads and neither reads nor may write the element.
    /// </summary>
    private static bool Passes(Code code, ElementExpr element, HashSet<string> read) => code switch
    {
        CodeStep { Step: SweepBlank or SweepGateComment or SweepContributedBelow } => true,
        CodeStep { Step: SweepContribute { Earlier: null } c } => !Reads(c).Contains(element.Array) && c.Adjoint switch
        {
            VariableExpr v => !read.Contains(v.Name),
            ElementExpr e => e.Array != element.Array || Differ(e.Index, element.Index),
            _ => false,
        },
        CodeContribution c => !read.Contains(c.Adjoint) && !Reads(c.Gate).Contains(element.Array),
        _ => false,
    };

    /// <summary>True when the two indices differ by a constant other than zero (<c>i + 1</c> and <c>i</c>).</summary>
    private static bool Differ(Expr a, Expr b) => Offset(a, b) is { } o && o != 0 || Offset(b, a) is { } p && p != 0;

    private static long? Offset(Expr a, Expr b) => a switch
    {
        BinaryExpr { Op: BinaryOp.Add, Left: var l, Right: LiteralExpr { Text: var t } } when l.Equals(b) && long.TryParse(t, out var n) => n,
        BinaryExpr { Op: BinaryOp.Subtract, Left: var l, Right: LiteralExpr { Text: var t } } when l.Equals(b) && long.TryParse(t, out var n) => -n,
        _ => null,
    };

    private static IEnumerable<string> Reads(SweepContribute contribute) =>
        Reads(contribute.Gate).Concat(contribute.Adjoint is ElementExpr e ? Stager.ValuesRead(e.Index) : []);

    private static IEnumerable<string> Reads(GateNames gate) =>
        gate.Operands.Append(gate.Gradient).Append(gate.Result).Concat(gate.Companion is null ? [] : [gate.Companion]).SelectMany(Stager.ValuesRead);
}
