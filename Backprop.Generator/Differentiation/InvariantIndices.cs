using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// In a backward loop over a counter, an element index <c>E + counter</c> whose E is a sum or product of more than one
/// value, each a constant, a parameter or local of the user's that holds one value (<see cref="Analysis.HoldsOneValue"/>)
/// or the counter of a backward loop around it, is worked out once before the loop: <c>int ikTimesD = ik * d;</c>, then
/// <c>dqDiags[ikTimesD + id]</c>.
/// </summary>
/// <remarks>
/// Why: the JIT does not take such a product out of a loop in a large method, and keeps what it would need for it in
/// memory — in ADBench GMM's backward loop over a component's d values, a product per element and spilled values
/// reloaded around it (on Zen 3, AVX2, <c>gmm-rounds 20</c> alternating with the code before: 1.04–1.07 → 1.01–1.04 ×
/// Manual). Comments keep the user's expressions: they show the forward statement.
/// </remarks>
internal static class InvariantIndices
{
    /// <summary><paramref name="steps"/> with each backward loop's invariant index offsets worked out before it.</summary>
    public static List<SweepStep> Hoist(IEnumerable<SweepStep> steps, NameBuilder names, System.Func<string, bool> holdsOneValue) =>
        Hoist(steps, names, holdsOneValue, []);

    private static List<SweepStep> Hoist(IEnumerable<SweepStep> steps, NameBuilder names, System.Func<string, bool> holdsOneValue, HashSet<string> counters)
    {
        var result = new List<SweepStep>();
        foreach (var step in steps)
        {
            if (step is not SweepBlock block)
            {
                result.Add(step);
                continue;
            }

            var counter = Counter(block.Header);
            var inside = counter is null ? counters : [.. counters, counter];
            block = block with { Body = Hoist(block.Body, names, holdsOneValue, inside).ToEquatableArray() };
            if (counter is not null)
            {
                bool Fixed(string name) => name != counter && (counters.Contains(name) || holdsOneValue(name));
                foreach (var offset in Offsets(block.Body, counter).Where(o => Invariant(o, Fixed)).Distinct().ToList())
                {
                    var local = new VariableExpr(names.Unique(Name(offset)), DataType.Int);
                    var replaced = CountsInLocals.Renamer.Replacing(e => IsIndexWith(e, offset, counter) ? Index(local, counter) : null).Step(block);
                    if (replaced is SweepBlock hoisted)
                    {
                        result.Add(new SweepAssign(local, offset, DataType.Int));
                        block = hoisted;
                    }
                }
            }

            result.Add(block);
        }

        return result;
    }

    /// <summary>The counter of a backward loop that steps one (not one that only counts its iterations); else null.</summary>
    internal static string? Counter(SweepHeader header) => header switch
    {
        BackFromBoundHeader b => b.Counter,
        BackByCountHeader b => b.Counter,
        BackSteppedHeader b => b.Counter,
        _ => null,
    };

    /// <summary>
    /// The E of every index <c>E + counter</c> or <c>counter + E</c> of an adjoint element the steps write, take or clear
    /// (always spelled, where a gate's operand may not be), nested blocks included.
    /// </summary>
    private static IEnumerable<Expr> Offsets(IEnumerable<SweepStep> steps, string counter) => steps.SelectMany(step => step switch
    {
        SweepBlock block => Offsets(block.Body, counter),
        SweepContribute contribute => OffsetIn(contribute.Adjoint, counter),
        SweepAddLocal add => OffsetIn(add.Target, counter),
        SweepTakeElement take => OffsetIn(take.Element, counter),
        SweepZero zero => OffsetIn(zero.Target, counter),
        _ => [],
    });

    private static IEnumerable<Expr> OffsetIn(Expr element, string counter) =>
        element is ElementExpr { Index: BinaryExpr { Op: BinaryOp.Add } sum } && OffsetOf(sum, counter) is { } offset ? [offset] : [];

    private static Expr? OffsetOf(BinaryExpr sum, string counter) => (sum.Left, sum.Right) switch
    {
        (var offset, VariableExpr v) when v.Name == counter => offset,
        (VariableExpr v, var offset) when v.Name == counter => offset,
        _ => null,
    };

    private static bool IsIndexWith(Expr expr, Expr offset, string counter) =>
        expr is BinaryExpr { Op: BinaryOp.Add } sum && OffsetOf(sum, counter) is { } found && found.Equals(offset);

    private static Expr Index(VariableExpr local, string counter) => new BinaryExpr(BinaryOp.Add, local, new VariableExpr(counter, DataType.Int), DataType.Int);

    /// <summary>True for a sum, difference or product (not a lone value) of constants and values <paramref name="fixedName"/> allows, all ints.</summary>
    private static bool Invariant(Expr offset, System.Func<string, bool> fixedName) =>
        offset is BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } && Holds(offset, fixedName);

    private static bool Holds(Expr expr, System.Func<string, bool> fixedName) => expr switch
    {
        LiteralExpr literal => literal.Type == DataType.Int,
        VariableExpr v => v.Type == DataType.Int && fixedName(v.Name),
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => b.Type == DataType.Int && Holds(b.Left, fixedName) && Holds(b.Right, fixedName),
        _ => false,
    };

    /// <summary><c>ikTimesD</c> for <c>ik * d</c>; else the first value read and <c>Offset</c>.</summary>
    private static string Name(Expr offset) => offset switch
    {
        BinaryExpr { Op: BinaryOp.Multiply, Left: VariableExpr a, Right: VariableExpr b } => a.Name + "Times" + char.ToUpperInvariant(b.Name[0]) + b.Name.Substring(1),
        _ => (Stager.Reads(offset).FirstOrDefault() ?? "index") + "Offset",
    };
}
