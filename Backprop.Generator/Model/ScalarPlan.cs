namespace Backprop.Generator.Model;

/// <summary>
/// What Differentiate decided for a scalar method, for Emit to spell: its pullback (<c>…Backward</c>), its value and
/// gradient (<c>…Gradient</c>, which calls the pullback), its forward mode (<c>…Tangent</c>) and its second-order members,
/// with the warnings the generated code must silence where it follows the method as written. (Overloads that take and
/// give struct parameters whole follow from the method.)
/// </summary>
/// <remarks>Value-equatable: every member is immutable.</remarks>
internal sealed record ScalarPlan(MethodModel Method, GeneratedWarnings Warnings, PullbackPlan Pullback, TangentPlan Tangent, SecondOrderPlan SecondOrder);

/// <summary>
/// The compiler warnings the generated code raises where it follows the method as written (each silenced with a
/// <c>#pragma</c> that says why).
/// </summary>
/// <param name="UnreadLocal">Why a local is assigned a constant that nothing reads (CS0219), if one is.</param>
/// <param name="UnreachableCode">A condition made of constants, or a foreach whose body always returns (CS0162).</param>
/// <param name="SelfComparison">A variable compared with itself (CS1718).</param>
internal sealed record GeneratedWarnings(UnreadLocal UnreadLocal, bool UnreachableCode, bool SelfComparison);

/// <summary>Why the generated code assigns a local a constant it never reads (CS0219).</summary>
internal enum UnreadLocal
{
    None,

    /// <summary>A field of a struct the method makes with a constant and never reads.</summary>
    StructField,

    /// <summary>A local the method reads only in the arm of a constant <c>?:</c> that never runs.</summary>
    ConstantBranch,

    /// <summary>The method returns a constant, which the second-order pullback keeps and never reads.</summary>
    ConstantResult,
}

/// <summary>
/// What Differentiate decided for a scalar method's second-order members (<c>FDirectional</c>, <c>FHessianVector</c>,
/// <c>FHessian</c>): the directional derivative ∇F·v as a method of its own and its pullback — or why F has no second
/// derivative, in which case those members are obsolete-as-error with that message.
/// </summary>
/// <remarks>Value-equatable: every member is immutable.</remarks>
/// <param name="Directional">∇F·v: F's parameters, then one direction per differentiable parameter.</param>
/// <param name="Problem">Why F has no second derivative; null when it has one.</param>
/// <param name="Pullback">The pullback of ∇F·v (<c>FDirectionalBackward</c>), when F has a second derivative.</param>
internal sealed record SecondOrderPlan(MethodModel Directional, string? Problem, PullbackPlan? Pullback)
{
    /// <summary>What the directional derivative's name adds to F's (<c>FDirectional</c>).</summary>
    public const string Suffix = "Directional";
}
