namespace Backprop.Generator.Model;

/// <summary>
/// <c>[DeclaredType ]Target = Value;</c> and its comment: a gate's tangent in forward mode (<c>dz = dx * y + x * dy;</c>),
/// from the same rule as its backward step.
/// </summary>
internal sealed record SweepTangent(Expr Target, TangentValue Value, string? Comment = null, DataType? DeclaredType = null) : SweepStep;

/// <summary>What a gate's tangent is.</summary>
internal abstract record TangentValue;

/// <summary>
/// The rule's terms, each with an operand's tangent where the output adjoint stood (the terms are linear in it), added
/// or subtracted; <paramref name="Gate"/> names the rest of what they read.
/// </summary>
internal sealed record TangentTerms(EquatableArray<TangentTerm> Terms, GateNames Gate) : TangentValue;

/// <summary>One contribution's term, with the tangent of the operand it belongs to.</summary>
internal sealed record TangentTerm(bool Subtract, Term Term, Expr Tangent);

/// <summary><c>(Type)tangent</c>: a conversion's.</summary>
internal sealed record ConvertedTangent(DataType Type, Expr Tangent) : TangentValue;

/// <summary><c>2 * a * da</c>: <c>a * a</c>'s, one term where the multiply rule gives two equal ones.</summary>
internal sealed record SquareTangent(Expr Operand, Expr Tangent, DataType Type) : TangentValue;

/// <summary>
/// <c>(da - q * db) / b</c>: the tangent of <c>q = a / b</c> with both operands carrying one, divided once where the
/// divide gate's rule gives two terms over b.
/// </summary>
internal sealed record QuotientTangent(Expr NumeratorTangent, Expr Quotient, Expr DivisorTangent, Expr Divisor, DataType Type) : TangentValue;

/// <summary>max, min, abs, clamp: the tangent of the input the router sends the gradient to, chosen as the backward step chooses it.</summary>
internal sealed record RoutedTangent(string Function, EquatableArray<RouterInput> Inputs, DataType Type) : TangentValue;

/// <summary>A router's operand and its tangent (null when it carries none).</summary>
internal sealed record RouterInput(Expr Operand, Expr? Tangent);

/// <summary>Zero of <paramref name="Type"/>: a constant's tangent, or a gate's whose operands carry none.</summary>
internal sealed record NoTangent(DataType Type) : TangentValue;

/// <summary>Σ partial · tangent over a [DerivativeRule] call's arguments (zero of <paramref name="Type"/> when none carries a tangent).</summary>
internal sealed record PartialsTangent(EquatableArray<PartialTimesTangent> Terms, DataType Type) : TangentValue;

/// <summary>A partial derivative the rule computed, and the tangent of its argument.</summary>
internal sealed record PartialTimesTangent(string Partial, Expr Tangent);

/// <summary>
/// <c>Rule(arguments…, result, 1, ref partials…); // ∂Function/∂ each argument</c>: a [DerivativeRule] with a gradient
/// of one gives the partials of the call.
/// </summary>
internal sealed record SweepRulePartials(string Rule, EquatableArray<Expr> Arguments, Expr Result, DataType Type, EquatableArray<string> Partials, string Function) : SweepStep;

/// <summary>
/// <c>Target = Receiver.NameTangent(arguments…, tangents…, out Tangent);</c>: a [Differentiable] callee carries the
/// tangents through itself.
/// </summary>
internal sealed record SweepTangentCall(UserCallExpr Call, Expr Target, EquatableArray<Expr> Arguments, EquatableArray<CallTangent> Tangents, Expr Tangent) : SweepStep;

/// <summary>A tangent passed to a callee's forward mode.</summary>
internal abstract record CallTangent;

/// <summary>An argument's tangent.</summary>
internal sealed record TangentOf(Expr Tangent) : CallTangent;

/// <summary>Zero of <paramref name="Type"/>: the argument carries no tangent.</summary>
internal sealed record ZeroTangent(DataType Type) : CallTangent;

/// <summary>An array's tangent, as a span.</summary>
internal sealed record SpanTangent(string Tangent) : CallTangent;

/// <summary><c>new ElementType[Array.Length]</c>: an array that carries no tangent gets zeros.</summary>
internal sealed record ZeroSpanTangent(DataType ElementType, Expr Array) : CallTangent;

/// <summary><c>return Value;</c>.</summary>
internal sealed record SweepReturn(Expr Value) : SweepStep;

/// <summary>
/// What Differentiate decided for a scalar method's forward mode (<c>…Tangent</c>): the method's steps, each gate
/// followed by its tangent, and the locals declared at the top.
/// </summary>
/// <remarks>Value-equatable: every member is immutable.</remarks>
/// <param name="ResultName">The local holding the method's value (none is returned by a vector function).</param>
/// <param name="Locals">The method's locals and temporaries.</param>
/// <param name="Tangents">The tangents of those that carry one.</param>
/// <param name="Body">The steps.</param>
/// <param name="ReturnsAtEnd">True when the body can run to its end (it does not end with a return): the value is returned there.</param>
internal sealed record TangentPlan(string ResultName, EquatableArray<LocalDeclaration> Locals, EquatableArray<TangentLocal> Tangents, EquatableArray<SweepStep> Body, bool ReturnsAtEnd);

/// <summary>The tangent of a local, declared at the top of <c>…Tangent</c>.</summary>
internal sealed record TangentLocal(string Name, DataType Type, string Of);
