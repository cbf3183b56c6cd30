using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>An argument of a call: the parameter it binds, its value, where it stands, and whether it is a params array.</summary>
internal sealed record HelperArgument(IParameterSymbol Parameter, IOperation Value, SyntaxNode Syntax, bool IsParamArray);

/// <summary>
/// A call of a method whose body is read in place: an invocation (<c>Step(p, k)</c>), or a user-defined operator of a
/// struct (<c>a + b</c>, <c>-a</c>), which is a static method called with its operands.
/// </summary>
/// <param name="Instance">The struct an instance method of a struct is called on (<c>v</c> in <c>v.Length()</c>); null for a static method.</param>
internal sealed record CallSite(IMethodSymbol TargetMethod, IReadOnlyList<HelperArgument> Arguments, SyntaxNode Syntax, IOperation? Instance = null)
{
    public static CallSite Of(IInvocationOperation invocation) => new(
        invocation.TargetMethod,
        invocation.Arguments.Select(a => new HelperArgument(a.Parameter!, a.Value, a.Syntax, a.ArgumentKind == ArgumentKind.ParamArray)).ToList(),
        invocation.Syntax,
        invocation.TargetMethod.IsStatic ? null : invocation.Instance);

    /// <summary>
    /// A call of a function the generator cannot read that has a definition (<see cref="Definitions"/>): the
    /// definition, called with the instance (if any) and the arguments; null when there is none.
    /// </summary>
    public static CallSite? Defined(IOperation operation, Compilation? compilation)
    {
        var (target, operands) = operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod,
                (invocation.Instance is { } instance ? [instance] : Enumerable.Empty<IOperation>()).Concat(invocation.Arguments.OrderBy(a => a.Parameter!.Ordinal).Select(a => a.Value))),
            IBinaryOperation { OperatorMethod: { } method } binary => (method, new[] { binary.LeftOperand, binary.RightOperand }),
            IUnaryOperation { OperatorMethod: { } method } unary => (method, new[] { unary.Operand }),
            IObjectCreationOperation { Constructor: { } constructor } creation => (constructor, creation.Arguments.OrderBy(a => a.Parameter!.Ordinal).Select(a => a.Value)),
            IPropertyReferenceOperation { Property.GetMethod: { } getter, Arguments.Length: 0 } property => (getter, property.Instance is { } owner ? [owner] : Enumerable.Empty<IOperation>()), // z.Magnitude, Quaternion.Identity
            _ => ((IMethodSymbol?)null, Enumerable.Empty<IOperation>()),
        };
        if (operation is IFieldReferenceOperation { Field: { IsStatic: true } field } && Definitions.Find(field, compilation) is { } constant)
        {
            return new CallSite(constant, [], operation.Syntax); // Complex.Zero, a static readonly field
        }

        if (Definitions.Find(target, compilation) is not { } definition)
        {
            return null;
        }

        var values = operands.ToList();
        return values.Count != definition.Parameters.Length ? null
            : new CallSite(definition, definition.Parameters.Select((p, i) => new HelperArgument(p, values[i], values[i].Syntax, false)).ToList(), operation.Syntax);
    }

    /// <summary>A user-defined operator's call, or null for a built-in operator.</summary>
    public static CallSite? Of(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => Of(invocation),
        IBinaryOperation { OperatorMethod: { } method } binary => new(method, [
            new HelperArgument(method.Parameters[0], binary.LeftOperand, binary.LeftOperand.Syntax, false),
            new HelperArgument(method.Parameters[1], binary.RightOperand, binary.RightOperand.Syntax, false)], binary.Syntax),
        IUnaryOperation { OperatorMethod: { } method } unary => new(method, [new HelperArgument(method.Parameters[0], unary.Operand, unary.Operand.Syntax, false)], unary.Syntax),
        _ => null,
    };
}
