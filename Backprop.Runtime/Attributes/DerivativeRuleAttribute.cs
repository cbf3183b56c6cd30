namespace Backprop;

/// <summary>
/// Ties a function to the method that differentiates it, so that <see cref="DifferentiableAttribute"/> methods can call
/// the function even though the generator cannot see into it (a SIMD kernel, a native call, a hand-tuned formula).
/// The runtime's tensor operations declare their rules this way; user code uses the same attribute.
/// </summary>
/// <remarks>
/// <para>For <c>R F(A a, B b, …)</c> the rule is a static <c>void</c> method with the parameters
/// <c>(A a, B b, …, R result, R dResult, adjoints…)</c>: the primal arguments, the value F returned, the gradient
/// arriving at that value, then one adjoint per differentiable parameter of F, in order. The rule ADDS
/// <c>dResult · ∂F/∂parameter</c> into each adjoint.</para>
/// <para>Adjoints: <c>ref double</c> / <c>ref float</c> for a scalar parameter; <c>Tensor?</c> for a <see cref="Tensor"/>
/// parameter (the generator passes <c>null</c> when that input needs no gradient, so the rule can skip the work).
/// Parameters of other types (integers, labels) and parameters marked <see cref="NoDiffAttribute"/> get no adjoint.</para>
/// <para>A rule that needs something the forward pass computed anyway (the softmax probabilities of a cross-entropy, the
/// mask dropout drew) names a forward companion with <see cref="Forward"/>: <c>R FForward(A a, B b, …, out Tensor residual)</c>
/// returns what F returns and hands out the residual; the generated code calls it instead of F, keeps the residual
/// (per iteration in a loop), and passes it to the rule right after the result:
/// <c>(A a, B b, …, R result, Tensor residual, R dResult, adjoints…)</c>. Residuals are for tensor code.</para>
/// <para>A rule whose signature does not match is reported (BP0014) with the signature expected.</para>
/// </remarks>
[System.AttributeUsage(System.AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeRuleAttribute : System.Attribute
{
    /// <summary>The rule is the method named <paramref name="ruleName"/> in the same type as the function.</summary>
    public DerivativeRuleAttribute(string ruleName)
    {
        RuleName = ruleName;
    }

    /// <summary>The rule is the method named <paramref name="ruleName"/> in <paramref name="ruleType"/>.</summary>
    public DerivativeRuleAttribute(System.Type ruleType, string ruleName)
    {
        RuleType = ruleType;
        RuleName = ruleName;
    }

    /// <summary>The type declaring the rule; null for the function's own type.</summary>
    public System.Type? RuleType { get; }

    /// <summary>The rule's method name.</summary>
    public string RuleName { get; }

    /// <summary>
    /// The forward companion, a method in the function's own type with the function's parameters and one more,
    /// <c>out Tensor residual</c>, that the rule takes after the result; null when the rule needs no residual.
    /// </summary>
    public string? Forward { get; set; }
}
