using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Local arrays whose every element is written before any is read, and outputs that nothing reads: going back, every
/// element of such an array's adjoint that a step adds into is taken (and zeroed) later by the write that made the
/// element, and an output's adjoint is only taken. A backward pass leaves their adjoints as it found them, so a
/// Jacobian's next row need not clear them (issue 14: ADBench BA's five 3-vectors were five calls to clear per row).
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>
    /// Local arrays made once, not in a loop, whose elements are all written — by plain writes at constant indices that
    /// cover a constant length, by a loop from 0 up to the length writing element <c>[i]</c>, or in both arms of an if —
    /// before any is read.
    /// </summary>
    public HashSet<string> WrittenWholeFirst { get; } = [];

    /// <summary>The output parameters no gate, condition or call reads: the backward pass only takes their adjoints.</summary>
    public HashSet<string> UnreadOutputs { get; } = [];

    private void FindWrittenFirst(List<Staged> body, IEnumerable<string> outputs)
    {
        FindWrittenWholeFirst(body);
        var read = new HashSet<string>(GatesIn(body).SelectMany(g => Reads(g)).Concat(ConditionsIn(body).SelectMany(Stager.ValuesRead)));
        UnreadOutputs.UnionWith(outputs.Where(o => !read.Contains(o)));
    }

    /// <summary>Follows each array made in <paramref name="body"/> (the method's top level or an if's arm, never a loop).</summary>
    private void FindWrittenWholeFirst(List<Staged> body)
    {
        for (var at = 0; at < body.Count; at++)
        {
            switch (body[at])
            {
                case Gate { Value: NewArrayExpr made, Target: VariableExpr { Name: var array } } when AssignCount[array] == 1:
                    if (WrittenWhole(body, at + 1, array, made.Length, []))
                    {
                        WrittenWholeFirst.Add(array);
                    }

                    break;
                case StagedIf branch:
                    FindWrittenWholeFirst(branch.Then);
                    FindWrittenWholeFirst(branch.Else);
                    break;
            }
        }
    }

    /// <summary>
    /// True when the statements of <paramref name="body"/> from <paramref name="from"/> on write every element of
    /// <paramref name="array"/> before reading any, given the constant indices <paramref name="written"/> already written.
    /// </summary>
    private bool WrittenWhole(List<Staged> body, int from, string array, Expr length, HashSet<int> written)
    {
        var count = length is LiteralExpr { Type: var type } literal && type == DataType.Int && int.TryParse(literal.Text, out var n) ? n : -1;
        for (var at = from; at < body.Count; at++)
        {
            if (count >= 0 && written.Count == count)
            {
                return true;
            }

            var statement = body[at];
            if (!Touches(statement, array))
            {
                continue; // a return here leaves the array unread: nothing is added into its adjoint either
            }

            switch (statement)
            {
                case Gate { IsAccumulation: false, Target: ElementExpr { Array: var of, Index: LiteralExpr { Text: var text } } } gate
                    when of == array && !Reads(gate).Contains(array) && int.TryParse(text, out var index) && index >= 0 && (count < 0 || index < count):
                    written.Add(index);
                    break;
                case StagedLoop fill when written.Count == 0:
                    // Up to the length it was made with, that length must not have changed since.
                    return FillsWholeAsMade(fill, array, length) is not null;
                case StagedIf branch when !Stager.ValuesRead(branch.Condition).Contains(array):
                    return WrittenWhole(branch.Then, 0, array, length, new HashSet<int>(written))
                        && WrittenWhole(branch.Else, 0, array, length, new HashSet<int>(written));
                default:
                    return false;
            }
        }

        return count >= 0 && written.Count == count;
    }
}
