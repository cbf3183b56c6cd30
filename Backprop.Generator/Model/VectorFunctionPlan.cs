namespace Backprop.Generator.Model;

/// <summary>
/// What Differentiate decided for a vector-valued function <c>static void G(ReadOnlySpan&lt;double&gt; x, double k,
/// Span&lt;double&gt; y)</c>, for Emit to spell: its forward mode (<c>GTangent</c>), its pullback (<c>GBackward</c>: the
/// scalar one, over a model whose outputs' adjoints start as dy), and, when a backward pass can run again from the same
/// forward pass, the pullback that fills a Jacobian's rows from one forward pass (<c>GJacobianRows</c>). <c>GJacobian</c>
/// follows from the method.
/// </summary>
/// <remarks>Value-equatable: every member is immutable.</remarks>
internal sealed record VectorFunctionPlan(MethodModel Method, GeneratedWarnings Warnings, TangentPlan Tangent, VectorPullback Backward, RowsPullback? Rows);

/// <summary>
/// <c>GBackward</c>: the pullback of <paramref name="Model"/> (G with each output's adjoint a pooled copy of dy, which
/// the backward pass uses up), and the names the frame around it takes for each output.
/// </summary>
internal sealed record VectorPullback(MethodModel Model, PullbackPlan Plan, EquatableArray<OutputLocals> Outputs);

/// <summary>
/// The locals a pullback's frame takes for one output: its adjoint as the backward pass uses it up, the copy of its
/// values while the backward pass rewinds it (none in a Jacobian's rows), and the pooled array behind both (none for an
/// out parameter).
/// </summary>
internal sealed record OutputLocals(string Output, string Pending, string? Kept, string? Rented);

/// <summary>
/// <c>GJacobianRows</c>: the pullback of <paramref name="Model"/> (each output's adjoint the row's unit vector, each input's
/// adjoint a piece of the row), run once per row after one forward pass, and the names of its frame.
/// <paramref name="SurelySet"/>: when the backward pass sets the first contribution into an input's element
/// (<see cref="Differentiation.RowFirstWrites"/>), how many of each input's first elements every pass surely sets — the
/// caller clears the rows only when an input is longer than that or has none surely set; null when the backward pass adds
/// into every element, and the caller clears the rows.
/// </summary>
internal sealed record RowsPullback(MethodModel Model, PullbackPlan Plan, string Jacobian, string M, string N, string Row, EquatableArray<OutputLocals> Outputs, EquatableArray<int>? SurelySet = null);
