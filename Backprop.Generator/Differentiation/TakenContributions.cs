using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// A contribution into an adjoint element right before the take of that element that leaves it as is (the next pass sets
/// it first: <see cref="SweepTakeElement.LeftAsIs"/>) is added in the take instead:
/// <c>double dxCenteredElement = dxCentered[id] + qDiags[ikTimesD + id] * dqxCenteredElement;</c>, no store into the
/// element that nothing would read, and no load waiting on it.
/// </summary>
/// <remarks>
/// Why: ADBench GMM's loop back over a component's d values did both for every value (Zen 3, AVX2: a copy of the generated
/// gradient with the contribution in the take ran 1–4 % faster at d ≥ 10). Only blank lines and comments may stand between
/// the two; the element's memory then keeps what it held before the contribution, which no step reads again.
/// </remarks>
internal static class TakenContributions
{
    /// <summary><paramref name="steps"/> with each such contribution added in the take below it, blocks included.</summary>
    public static List<SweepStep> Merge(IEnumerable<SweepStep> steps)
    {
        var result = new List<SweepStep>();
        foreach (var step in steps)
        {
            result.Add(step is SweepBlock block ? block with { Body = Merge(block.Body).ToEquatableArray() } : step);
        }

        for (var at = 0; at < result.Count; at++)
        {
            if (result[at] is not SweepContribute { Declare: false, Sets: false, Adjoint: ElementExpr element } contribute)
            {
                continue;
            }

            var next = at + 1;
            while (next < result.Count && result[next] is SweepBlank or SweepGateComment or SweepContributedBelow)
            {
                next++;
            }

            if (next < result.Count && result[next] is SweepTakeElement { LeftAsIs: true, Added: null } take && take.Element.Equals(element))
            {
                result[at] = new SweepContributedBelow(contribute, Taken: true);
                result[next] = take with { Added = contribute };
            }
        }

        return result;
    }
}
