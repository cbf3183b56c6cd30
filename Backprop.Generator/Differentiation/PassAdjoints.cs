using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Going back through a pass of the loop that reads an array last in each pass of another (<see cref="Analysis.PassReaders"/>):
/// its first contribution into each element of the array's adjoint sets the element, as the element holds what the pass
/// before left, which the fill's take did not clear (<see cref="Analysis.PassFills"/>).
/// </summary>
internal static class PassAdjoints
{
    /// <summary>
    /// Marks, in <paramref name="body"/> (the backward body of the reading loop over <paramref name="counter"/>), the first
    /// step that touches <paramref name="adjoint"/> as setting, when it is a contribution at the body's own level into
    /// element <c>[counter]</c> — a gate's, or the local a loop inside summed it in; returns whether it did (else the body
    /// is left as it was, and the adjoint must be cleared as usual).
    /// </summary>
    public static bool SetFirst(List<Code> body, string adjoint, string counter)
    {
        for (var at = 0; at < body.Count; at++)
        {
            switch (body[at])
            {
                case CodeStep { Step: SweepContribute { Declare: false, Adjoint: ElementExpr element } contribute } step when element.Array == adjoint:
                    return Analysis.IsCounter(element.Index, counter) && Replace(body, at, step, contribute with { Sets = true });
                case CodeStep { Step: SweepAddLocal { Target: ElementExpr element } add } step when element.Array == adjoint:
                    return Analysis.IsCounter(element.Index, counter) && Replace(body, at, step, add with { Sets = true });
                case CodeStep { Step: SweepContributedBelow }:
                    break; // a comment: the contribution is in the statement below
                case var code when Touches(code, adjoint):
                    return false;
            }
        }

        return false;
    }

    private static bool Replace(List<Code> body, int at, CodeStep step, SweepStep with)
    {
        body[at] = new CodeStep(with, [.. step.Uses]);
        return true;
    }

    /// <summary>True when <paramref name="code"/> adds into, takes, clears or reads an element of <paramref name="adjoint"/>, nested blocks included.</summary>
    private static bool Touches(Code code, string adjoint) => code switch
    {
        CodeBlock block => block.Body.Exists(c => Touches(c, adjoint)),
        CodeStep { Step: SweepContribute contribute } => Touches(contribute, adjoint),
        CodeStep { Step: SweepAddLocal add } => Names(add.Target, adjoint),
        CodeStep { Step: SweepZero zero } => Names(zero.Target, adjoint),
        CodeStep { Step: SweepTakeElement take } => Names(take.Element, adjoint),
        _ => false,
    };

    private static bool Touches(SweepContribute contribute, string adjoint) =>
        Names(contribute.Adjoint, adjoint) || Names(contribute.Gate.Gradient, adjoint) || contribute.Earlier is { } earlier && Touches(earlier, adjoint);

    private static bool Names(Expr expr, string adjoint) => expr is ElementExpr element && element.Array == adjoint || expr is VariableExpr variable && variable.Name == adjoint;
}
