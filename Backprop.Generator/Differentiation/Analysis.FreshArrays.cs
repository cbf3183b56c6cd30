using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// First writes into a fresh local array: the element they overwrite is the zero <c>new double[n]</c> (or
/// <c>stackalloc</c>) made, which nothing going back reads, so it is not kept (issue 14: record only what is needed).
/// The same holds for a vector function's output span, whose elements hold whatever the caller left before the method
/// writes them: a first write keeps nothing, so a gate that reads its own result (<c>uv[0] = a / b</c> going back reads
/// uv[0]) no longer makes the backward pass rewind the output, and its Jacobian's rows run one backward pass each.
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>Element writes whose overwritten value is a fresh array's zero that no step going back reads.</summary>
    private readonly HashSet<Gate> _freshWrites = [];

    /// <summary>
    /// Walks the method's top level in order, following each output and each array created there (once) while every element read or
    /// written is at a constant index: a write at the top level to an element not read or written before (or the first
    /// use of the array at all), or a counted loop — the array's first use — whose body writes element <c>[i]</c> once,
    /// at its top level, and otherwise only reads that element after the write: each pass writes its own element, and
    /// reads only what it wrote. An if's arms are walked the same way, each from what was touched before it (an array
    /// made in an arm is followed in that arm); after the if, an array has been touched where either arm touched it.
    /// </summary>
    private void FindFreshWrites(List<Staged> body, IEnumerable<string> outputs) =>
        FindFreshWrites(body, outputs.ToDictionary(output => output, _ => (HashSet<string>?)[]));

    /// <param name="fresh">Per array followed: the constant indices read or written so far, or null once another index was.</param>
    private void FindFreshWrites(List<Staged> body, Dictionary<string, HashSet<string>?> fresh)
    {
        foreach (var statement in body)
        {
            switch (statement)
            {
                case Gate { Value: NewArrayExpr, Target: VariableExpr { Name: var made } } when AssignCount[made] == 1:
                    fresh[made] = [];
                    break;
                case Gate gate:
                    foreach (var (array, index) in ElementsRead(gate).Where(r => fresh.ContainsKey(r.Array)))
                    {
                        Touch(array, index);
                    }

                    if (gate.Target is ElementExpr element && fresh.TryGetValue(element.Array, out var touched))
                    {
                        var index = (element.Index as LiteralExpr)?.Text;
                        if (!gate.IsAccumulation && touched is not null && (index is null ? touched.Count == 0 : !touched.Contains(index)))
                        {
                            _freshWrites.Add(gate);
                        }

                        Touch(element.Array, index);
                    }

                    break;
                case StagedLoop loop:
                    foreach (var array in fresh.Keys.Where(a => Touches(loop, a)).ToList())
                    {
                        if (fresh[array] is { Count: 0 } && FreshWriteIn(loop, array) is { } first)
                        {
                            _freshWrites.Add(first);
                        }

                        fresh[array] = null;
                    }

                    break;
                case StagedIf branch:
                    foreach (var (array, index) in ElementsReadIn(branch.Condition).Where(r => fresh.ContainsKey(r.Array)))
                    {
                        Touch(array, index);
                    }

                    var arms = new[] { branch.Then, branch.Else }.Select(arm =>
                    {
                        var followed = fresh.ToDictionary(f => f.Key, f => f.Value is null ? null : new HashSet<string>(f.Value));
                        FindFreshWrites(arm, followed);
                        return followed;
                    }).ToList();
                    foreach (var array in fresh.Keys.ToList())
                    {
                        fresh[array] = arms.Any(a => a[array] is null) ? null : new HashSet<string>(arms.SelectMany(a => a[array]!));
                    }

                    break;
                default:
                    foreach (var array in fresh.Keys.Where(a => Touches(statement, a)).ToList())
                    {
                        fresh[array] = null;
                    }

                    break;
            }
        }

        void Touch(string array, string? index)
        {
            if (index is null)
            {
                fresh[array] = null;
            }
            else
            {
                fresh[array]?.Add(index);
            }
        }
    }

    /// <summary>The arrays and variables a gate reads, each with the constant index it reads it at (null: another index, or whole).</summary>
    private static IEnumerable<(string Array, string? Index)> ElementsRead(Gate gate)
    {
        var roots = gate.Operands.AsEnumerable()
            .Concat(gate.Target is ElementExpr target ? [target.Index] : [])
            .Concat(gate.Value is null ? [] : [gate.Value])
            .Concat(gate.Call?.Arguments.Select(a => a.Value) ?? []);
        return roots.SelectMany(ElementsReadIn);
    }

    /// <summary>The arrays and variables an expression reads, each with the constant index it reads it at (null: another index, or whole).</summary>
    private static IEnumerable<(string Array, string? Index)> ElementsReadIn(Expr expr) => expr switch
    {
        ElementExpr e => ElementsReadIn(e.Index).Prepend((e.Array, (e.Index as LiteralExpr)?.Text)),
        VariableExpr v => [(v.Name, null)],
        LengthExpr => [],
        _ => Stager.Children(expr).SelectMany(ElementsReadIn),
    };

    /// <summary>
    /// In a counted loop over i — or a nest of two, over i and then j from 0 to m, writing element <c>[i * m + j]</c> (a
    /// row-major grid) — the one gate that writes the array, directly in the innermost body, when each pass writes an
    /// element no other pass does, every other use of the array in the loop is a read of that same element after the
    /// write, and no condition reads the array; else null.
    /// </summary>
    private Gate? FreshWriteIn(StagedLoop loop, string array)
    {
        var writes = GatesIn(loop.Body).Where(g => g.Target is ElementExpr e && e.Array == array).ToList();
        if (writes.Count != 1 || writes[0] is not { IsAccumulation: false, Target: ElementExpr { Index: var index } } write
            || Reads(write).Contains(array) || ConditionsIn([loop]).SelectMany(Stager.ValuesRead).Contains(array)
            || LoopsAround(loop, write) is not { } nest || !OnePassPerElement(nest, index))
        {
            return null;
        }

        var after = false;
        foreach (var gate in GatesIn(loop.Body))
        {
            if (gate == write)
            {
                after = true;
            }
            else if (Reads(gate).Contains(array) && (!after || !nest[nest.Count - 1].Body.Contains(gate) || !OnlyElementRead(gate, array, index)))
            {
                return null;
            }
        }

        return write;
    }

    /// <summary>The loops from <paramref name="outer"/> down to the one whose body holds <paramref name="gate"/>, through loops only; else null.</summary>
    private static List<StagedLoop>? LoopsAround(StagedLoop outer, Gate gate)
    {
        if (outer.Body.Contains(gate))
        {
            return [outer];
        }

        foreach (var inner in outer.Body.OfType<StagedLoop>())
        {
            if (LoopsAround(inner, gate) is { } nest)
            {
                nest.Insert(0, outer);
                return nest;
            }
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="index"/> differs on every pass of the nest: the loop's own counter, or, for two counted
    /// loops over i and j (j from 0 up to m, m not written in them), i * m + j.
    /// </summary>
    private static bool OnePassPerElement(List<StagedLoop> nest, Expr index)
    {
        if (nest.Any(l => l.Counted is null))
        {
            return false;
        }

        if (nest.Count == 1)
        {
            return index is VariableExpr { Name: var i } && i == nest[0].Counted!.Variable;
        }

        if (nest.Count != 2 || nest[1].Counted is not { Start: LiteralExpr { Text: "0" }, Comparison: BinaryOp.LessThan, Ascending: true, Bound: var m } inner)
        {
            return false;
        }

        var outer = nest[0].Counted!.Variable;
        var (row, column) = index switch
        {
            BinaryExpr { Op: BinaryOp.Add, Left: BinaryExpr { Op: BinaryOp.Multiply } product, Right: var j } => (product, j),
            BinaryExpr { Op: BinaryOp.Add, Left: var j, Right: BinaryExpr { Op: BinaryOp.Multiply } product } => (product, j),
            _ => ((BinaryExpr?)null, (Expr?)null),
        };
        var scaled = row switch
        {
            { Left: VariableExpr { Name: var i }, Right: var by } when i == outer => by,
            { Right: VariableExpr { Name: var i }, Left: var by } when i == outer => by,
            _ => null,
        };
        var assigned = new HashSet<string>(AssignedIn(nest[0].Body));
        return column is VariableExpr { Name: var c } && c == inner.Variable
            && scaled is not null && scaled.Equals(m)
            && !Stager.ValuesRead(m).Any(assigned.Contains);
    }

    /// <summary>True when every read of <paramref name="array"/> in the gate is <c>array[index]</c>, the element written.</summary>
    private static bool OnlyElementRead(Gate gate, string array, Expr index) =>
        gate.Call is null && gate.Value is null && gate.Target is VariableExpr
        && gate.Operands.All(o => o is ElementExpr e && e.Array == array ? e.Index.Equals(index) : !Stager.ValuesRead(o).Contains(array));

    /// <summary>True when <paramref name="statement"/> reads or writes <paramref name="array"/> anywhere, its conditions too.</summary>
    private static bool Touches(Staged statement, string array) =>
        GatesIn([statement]).Any(g => g.TargetName == array || Reads(g).Contains(array))
        || ConditionsIn([statement]).SelectMany(Stager.ValuesRead).Contains(array);
}
