using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Recognises <c>for (int i = start; i &lt; bound; i++)</c> and its counting-down mirror, where the body never
/// assigns <c>i</c> nor any input of <c>start</c>: then the backward sweep can rebuild <c>i</c> from the
/// iteration count instead of saving it every iteration.
/// </summary>
internal sealed record CountedLoop(ILocalSymbol Variable, IOperation Start, BinaryOp Comparison, IOperation Bound, bool Ascending)
{
    /// <summary>How much the counter goes up (or down) by each iteration: 1 unless matched with anyStep.</summary>
    public int Step { get; init; } = 1;

    public static CountedLoop? Match(IForLoopOperation loop) => Match(loop, anyStep: false);

    /// <summary>
    /// The loop, also when it steps by a constant other than one (<c>i += 2</c>) if <paramref name="anyStep"/> — tensor
    /// code goes back through those from their bounds (<see cref="Step"/> says by how much); scalar code counts by one.
    /// </summary>
    public static CountedLoop? Match(IForLoopOperation loop, bool anyStep)
    {
        if (loop.Before.Length != 1
            || loop.Before[0] is not IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
            || group.Declarations[0].Declarators.Length != 1)
        {
            return null;
        }

        var declarator = group.Declarations[0].Declarators[0];
        var variable = declarator.Symbol;
        var start = declarator.Initializer?.Value ?? group.Declarations[0].Initializer?.Value;
        if (variable.Type.SpecialType != SpecialType.System_Int32 || start is null || HasEffects(start) || loop.Condition is null || HasEffects(loop.Condition))
        {
            return null;
        }

        if (loop.Condition is not IBinaryOperation { LeftOperand: ILocalReferenceOperation left } condition
            || !SymbolEqualityComparer.Default.Equals(left.Local, variable))
        {
            return null;
        }

        var comparison = RoslynOperators.From(condition.OperatorKind);
        if (comparison is not (BinaryOp.LessThan or BinaryOp.LessThanOrEqual or BinaryOp.GreaterThan or BinaryOp.GreaterThanOrEqual) || loop.AtLoopBottom.Length != 1 || StepOf(loop.AtLoopBottom[0], variable, anyStep) is not { } step)
        {
            return null;
        }

        var ascending = step > 0;
        if (ascending != (comparison is BinaryOp.LessThan or BinaryOp.LessThanOrEqual))
        {
            return null;
        }

        var assigned = AssignedSymbols(loop.Body);
        var startInputs = start.DescendantsAndSelf().Select(ReferencedSymbol).Where(s => s is not null);
        if (assigned.Contains(variable) || startInputs.Any(s => assigned.Contains(s!)))
        {
            return null;
        }

        return new CountedLoop(variable, start, comparison.Value, condition.RightOperand, ascending) { Step = System.Math.Abs(step) };
    }

    /// <summary>Every local and parameter the operation assigns, anywhere inside it.</summary>
    public static HashSet<ISymbol> AssignedSymbols(IOperation operation)
    {
        var assigned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            var target = descendant switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation increment => increment.Target,
                _ => null,
            };
            if (target is not null && ReferencedSymbol(target) is { } symbol)
            {
                assigned.Add(symbol);
            }

            if (descendant is IVariableDeclaratorOperation declared)
            {
                assigned.Add(declared.Symbol);
            }
        }

        return assigned;
    }

    /// <summary>True when evaluating the operation assigns something (x = …, x += …, x++): a start or bound that must run as written.</summary>
    private static bool HasEffects(IOperation operation) =>
        operation.DescendantsAndSelf().Any(o => o is IAssignmentOperation or IIncrementOrDecrementOperation);

    private static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    /// <summary>How much the loop's bottom adds to <paramref name="variable"/>: ±1, or with <paramref name="anyStep"/> any constant but 0.</summary>
    public static int? StepOf(IOperation bottom, ILocalSymbol variable, bool anyStep = false)
    {
        var operation = bottom is IExpressionStatementOperation statement ? statement.Operation : bottom;
        switch (operation)
        {
            case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target } increment
                when SymbolEqualityComparer.Default.Equals(target.Local, variable):
                return increment.Kind == OperationKind.Increment ? 1 : -1;
            case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target, Value.ConstantValue: { HasValue: true, Value: int by } } compound
                when SymbolEqualityComparer.Default.Equals(target.Local, variable) && (by == 1 || (anyStep && by > 0)):
                return compound.OperatorKind switch
                {
                    BinaryOperatorKind.Add => by,
                    BinaryOperatorKind.Subtract => -by,
                    _ => null,
                };
            default:
                return null;
        }
    }
}
