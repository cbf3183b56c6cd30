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
internal sealed record CallSite(IMethodSymbol TargetMethod, IReadOnlyList<HelperArgument> Arguments, SyntaxNode Syntax)
{
    public static CallSite Of(IInvocationOperation invocation) => new(
        invocation.TargetMethod,
        invocation.Arguments.Select(a => new HelperArgument(a.Parameter!, a.Value, a.Syntax, a.ArgumentKind == ArgumentKind.ParamArray)).ToList(),
        invocation.Syntax);

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
