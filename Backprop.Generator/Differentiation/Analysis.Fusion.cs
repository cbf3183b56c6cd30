using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Loop fusion beyond the final sum: a loop anywhere in the method whose iterations only add into one value, which then
/// reaches the result through additions and subtractions, runs each iteration's backward step right after it (as
/// ADBench's hand-written GMM gradient does per point) — what an iteration keeps lives only until its own backward step.
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>True when the fused loop's sum reaches the result negated (<c>r = c - s</c>): its gradient is −dResult.</summary>
    public bool FusedNegated { get; private set; }

    /// <summary>The gate after the fused loop that reads its sum, on the way to the result (its contribution into the sum is the sum's gradient from the start).</summary>
    public Gate? FusedSumReader { get; private set; }

    /// <summary>
    /// Finds a loop at the top of the method whose iterations are independent — each reads nothing an earlier iteration
    /// wrote, except the one value <c>s</c> it adds into (<c>s += e</c>, nothing else in it reads s) — with no exit,
    /// whose writes nothing after it reads, and whose sum reaches the result through additions and subtractions of
    /// values assigned once (so its gradient is ±dResult, known before the loop runs); s is set before it only to
    /// constants (or is a parameter), and nothing outside the loop but that way to the result reads it. Going back through one iteration right after it restores what the iteration changed, so the next
    /// starts as it would have.
    /// </summary>
    private void FindIndependentSumLoop(List<Staged> body, string resultName, Activity activity)
    {
        if (EarlyReturns.Count > 0)
        {
            return;
        }

        for (var at = 0; at < body.Count; at++)
        {
            if (body[at] is not StagedLoop loop || HasExit(loop.Body))
            {
                continue;
            }

            var sums = loop.Body.OfType<Gate>().Where(g => g.IsAccumulation && g.Target is VariableExpr && activity.IsActiveName(g.TargetName)).Select(g => g.TargetName).Distinct().ToList();
            if (sums.Count != 1)
            {
                continue;
            }

            var sum = sums[0];
            var inLoop = GatesIn(loop.Body).ToList();
            var written = new HashSet<string>(inLoop.SelectMany(g => g.Written));
            written.Remove(sum);
            var outside = body.Take(at).Concat(body.Skip(at + 1)).ToList();
            var gatesOutside = GatesIn(outside).ToList();
            if (inLoop.Any(g => g.TargetName == sum && !g.IsAccumulation)
                || inLoop.Any(g => Reads(g, skipAccumulated: g.IsAccumulation && g.TargetName == sum).Contains(sum))
                || ConditionsIn([loop]).SelectMany(Stager.ValuesRead).Contains(sum)
                || gatesOutside.Any(g => g.TargetName == sum && g.Kind != GateKind.Inactive)
                || gatesOutside.Any(g => Reads(g).Any(written.Contains) || g.Target is VariableExpr && written.Contains(g.TargetName) && g.Value is not NewArrayExpr)
                || ConditionsIn(outside).SelectMany(Stager.ValuesRead).Any(written.Contains)
                || !IndependentIterations(loop, sum, written)
                || SignToResult(sum, body.Skip(at + 1).ToList(), gatesOutside, resultName) is not var (negated, reader))
            {
                continue;
            }

            FusedLoop = loop;
            FusedAccumulator = sum;
            FusedNegated = negated;
            FusedSumReader = reader;

            // A variable's first write in an iteration, at its top: the value it overwrites is an earlier iteration's,
            // which no iteration reads (nor anything after the loop), so it is not kept.
            var first = loop.Body.OfType<Gate>().Where(g => g.Target is VariableExpr && !g.IsAccumulation
                && g.Written.All(name => inLoop.First(o => o.Written.Contains(name)) == g));
            _fusedGates.UnionWith(first);
            _fusedGates.UnionWith(UnreadBeforeInIteration(loop));
            return;
        }
    }

    /// <summary>
    /// Writes in the fused loop, nested ones too, whose old value nothing going back reads: no statement of the iteration up
    /// to and including the top-level statement that holds the write reads what it writes (GMM's <c>mainTerm[ik] = …</c> in
    /// the component loop, read only by the log-sum-exp after it). Going back, the iteration's steps before the write never
    /// see the value it overwrote — an earlier iteration's, whose backward step has run, or one from before the loop, which
    /// nothing outside the loop reads — so it is not kept.
    /// </summary>
    private IEnumerable<Gate> UnreadBeforeInIteration(StagedLoop loop)
    {
        var read = new HashSet<string>(); // what the statements up to this one read
        foreach (var statement in loop.Body)
        {
            List<Staged> it = [statement];
            read.UnionWith(GatesIn(it).SelectMany(g => Reads(g)).Concat(ConditionsIn(it).SelectMany(Stager.ValuesRead)));
            foreach (var gate in GatesIn(it).Where(g => !g.IsAccumulation && !g.Written.Any(read.Contains)))
            {
                yield return gate;
            }
        }
    }

    /// <summary>
    /// The call whose value the fused loop's iteration adds into its sum last (<c>s += G(…)</c>, staged
    /// <c>g = G(…); s += g;</c>): its gradient is the sum's, known before the call runs, so the forward call and its
    /// pullback are one call to <c>GBackward</c>, which returns G's value — G's forward pass runs once, not twice.
    /// </summary>
    public Gate? MergedPullback { get; private set; }

    /// <summary>The accumulation <c>s += g</c> that follows <see cref="MergedPullback"/>: its step back runs before the call.</summary>
    public Gate? MergedSum { get; private set; }

    /// <summary>
    /// Finds <see cref="MergedPullback"/>: the fused loop's body ends with a call to a [Differentiable] method (not a
    /// derivative rule, which returns no value) whose result only the final <c>s += g</c> or <c>s -= g</c> reads, assigned
    /// there alone and never kept or recomputed.
    /// </summary>
    private void FindMergedPullback(List<Staged> method)
    {
        if (FusedLoop is not { Body: { Count: >= 2 } body }
            || body[body.Count - 1] is not Gate { IsAccumulation: true, Target: VariableExpr } sum || sum.TargetName != FusedAccumulator
            || body[body.Count - 2] is not Gate { Kind: GateKind.Call, Target: VariableExpr, Companion: null, Call.Rule: null } call
            || sum.Operands[1] is not VariableExpr { Name: var value } || value != call.TargetName
            || AssignCount[value] != 1
            || _gates.Any(g => g != sum && Reads(g).Contains(value))
            || ConditionsIn(method).SelectMany(Stager.ValuesRead).Contains(value)
            || LoopLocals.RecomputedNames.Contains(value)
            || NeedsSave(call, value, isParameter: false))
        {
            return;
        }

        MergedPullback = call;
        MergedSum = sum;
    }

    /// <summary>True when a break, continue or return is among <paramref name="statements"/>, nested ones too.</summary>
    private static bool HasExit(List<Staged> statements) => statements.Any(statement => statement switch
    {
        StagedExit => true,
        StagedIf s => HasExit(s.Then) || HasExit(s.Else),
        StagedLoop inner => HasExit(inner.Body),
        _ => false,
    });

    /// <summary>
    /// When <paramref name="sum"/>, after its loop, is read once, by an addition, subtraction or copy whose value is read
    /// once by the next, and so on up to the result: whether it arrives negated, and the gate that reads the sum itself
    /// (null when the sum is the result); null otherwise.
    /// </summary>
    private (bool Negated, Gate? Reader)? SignToResult(string sum, List<Staged> after, List<Gate> gatesOutside, string resultName)
    {
        var negated = false;
        var current = sum;
        Gate? first = null;
        for (var steps = 0; steps < 64; steps++)
        {
            if (current == resultName)
            {
                return (negated, first);
            }

            var readers = gatesOutside.Where(g => Reads(g).Contains(current)).ToList();
            if (readers.Count != 1 || readers[0] is not { Kind: GateKind.Add or GateKind.Subtract or GateKind.Copy, Target: VariableExpr } reader
                || !after.Contains(reader) || reader.IsAccumulation || AssignCount[reader.TargetName] != 1
                || reader.Operands.Count(o => o is VariableExpr v && v.Name == current) != 1 || ConditionsIn(after).SelectMany(Stager.ValuesRead).Contains(current))
            {
                return null;
            }

            negated ^= reader.Kind == GateKind.Subtract && reader.Operands[1] is VariableExpr { Name: var right } && right == current;
            first ??= reader;
            current = reader.TargetName;
        }

        return null;
    }

    /// <summary>
    /// True when no iteration of <paramref name="loop"/> reads a value of <paramref name="written"/> before writing it
    /// itself: every read of a value the loop writes comes after a write of all of it in the same iteration — a variable
    /// assigned at that level, or an array every element of which a counted loop over its length has just set.
    /// </summary>
    private bool IndependentIterations(StagedLoop loop, string sum, HashSet<string> written)
    {
        return Ordered(loop.Body, [], []);

        bool Ordered(List<Staged> statements, HashSet<string> set, HashSet<(string Array, string Index)> elements)
        {
            foreach (var statement in statements)
            {
                switch (statement)
                {
                    case Gate gate:
                        var accumulated = gate.IsAccumulation;
                        if (accumulated && gate.TargetName != sum && !IsSetValue(gate.Target))
                        {
                            return false; // t += e reads t
                        }

                        var values = gate.Operands.Skip(accumulated ? 1 : 0)
                            .Concat(gate.Call?.Arguments.Select(a => a.Value) ?? [])
                            .Concat(gate.Value is null ? [] : [gate.Value])
                            .Concat(gate.Target is ElementExpr written ? [written.Index] : []);
                        if (!values.All(IsSetValue))
                        {
                            return false;
                        }

                        if (gate.Target is VariableExpr && !accumulated)
                        {
                            set.Add(gate.TargetName);
                        }
                        else if (gate.Target is ElementExpr { Index: VariableExpr index } target)
                        {
                            elements.Add((target.Array, index.Name));
                        }

                        if (gate.Companion is not null)
                        {
                            set.Add(gate.Companion);
                        }

                        break;
                    case StagedIf s:
                        if (!IsSetValue(s.Condition))
                        {
                            return false;
                        }

                        var (then, otherwise) = (new HashSet<string>(set), new HashSet<string>(set));
                        if (!Ordered(s.Then, then, [.. elements]) || !Ordered(s.Else, otherwise, [.. elements]))
                        {
                            return false;
                        }

                        set.UnionWith(then.Intersect(otherwise));
                        break;
                    case StagedLoop inner:
                        if (!IsSetValue(inner.Condition) || inner.Counted is { } counted && !IsSetValue(counted.Start))
                        {
                            return false;
                        }

                        var innerElements = new HashSet<(string, string)>();
                        if (!Ordered(inner.Body, [.. set], innerElements))
                        {
                            return false;
                        }

                        set.UnionWith(Covered(inner, innerElements));
                        break;
                }
            }

            return true;

            // A value read is set in this iteration: every variable and element the loop writes that it reads (an array's length reads none).
            bool IsSetValue(Expr expr) => expr switch
            {
                LengthExpr => true,
                VariableExpr v => !written.Contains(v.Name) || set.Contains(v.Name),
                ElementExpr e => (!written.Contains(e.Array) || set.Contains(e.Array) || e.Index is VariableExpr index && elements.Contains((e.Array, index.Name)))
                    && IsSetValue(e.Index),
                _ => Stager.Children(expr).All(IsSetValue),
            };
        }
    }

    /// <summary>
    /// The arrays every element of which <paramref name="loop"/> sets: it counts from 0 up to the array's length (or the
    /// length it was made with, which never changes), and its body sets the element at the counter at its top.
    /// </summary>
    private IEnumerable<string> Covered(StagedLoop loop, HashSet<(string Array, string Index)> elements)
    {
        if (loop.Counted is not { Ascending: true, Comparison: BinaryOp.LessThan, Start: LiteralExpr { Text: "0" } } counted || HasExit(loop.Body))
        {
            yield break;
        }

        foreach (var gate in loop.Body.OfType<Gate>().Where(g => !g.IsAccumulation && g.Target is ElementExpr { Index: VariableExpr index } && index.Name == counted.Variable))
        {
            var array = gate.TargetName;
            var made = FirstGate.TryGetValue(array, out var first) && AssignCount[array] == 1 && first.Value is NewArrayExpr newArray ? newArray.Length : null;
            var bound = loop.Condition;
            if (bound is LengthExpr length && length.Array == array
                || made is not null && made == bound && Stager.ValuesRead(bound).All(NeverChanges))
            {
                yield return array;
            }
        }
    }
}
