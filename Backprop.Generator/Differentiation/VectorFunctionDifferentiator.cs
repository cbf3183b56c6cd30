using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Differentiates a vector-valued function <c>static void G(ReadOnlySpan&lt;double&gt; x, double k, Span&lt;double&gt; y)</c>,
/// whose results are its Span outputs: its forward mode, and its pullback as the scalar one — an output is an array the
/// body writes, whose adjoint starts as dy instead of zero — once as <c>GBackward</c> and, where a backward pass can run
/// again from the same forward pass, once per row of a Jacobian (<see cref="VectorFunctionPlan"/>).
/// </summary>
internal static class VectorFunctionDifferentiator
{
    /// <summary>The plan of <paramref name="method"/>; <paramref name="warnings"/> says which its pullback's stager noted.</summary>
    public static VectorFunctionPlan Plan(MethodModel method, System.Func<Stager, GeneratedWarnings> warnings)
    {
        var inputs = method.Parameters.Where(p => p.HasGradient && !p.IsOutput).ToList();
        var outputs = method.Parameters.Where(p => p.IsOutput).ToList();
        var tangent = TangentBuilder.Plan(method);

        // GBackward: each output's adjoint a pooled copy of dy, used up as the backward pass hands it on; its values kept
        // in a copy while the backward pass rewinds it (the frame's names are taken before the pullback names its own).
        var names = NameBuilder.ForMembersOf(method);
        var pending = outputs.ToDictionary(o => o.Name, o => names.Unique(Identifier.Bare(o.GradientName!) + "Pending"));
        var values = outputs.ToDictionary(o => o.Name, o => names.Unique(Identifier.Bare(o.Name) + (o.IsOutParameter ? "Value" : "Values")));
        var model = method with
        {
            Parameters = method.Parameters.Select(p => p.IsOutput ? p with { GradientName = pending[p.Name] } : p).ToEquatableArray(),
            ReservedNames = method.ReservedNames.Concat(pending.Values).Concat(values.Values).ToEquatableArray(),
        };
        var rented = outputs.Where(o => !o.IsOutParameter).ToDictionary(o => o.Name, o => names.Unique(Identifier.Bare(o.Name) + "Rented"));
        var pullback = Differentiator.Pullback.Of(model);
        var backward = new VectorPullback(model, pullback.Plan, outputs.Select(o => new OutputLocals(o.Name, pending[o.Name], values[o.Name], Rented(rented, o))).ToEquatableArray());
        return new VectorFunctionPlan(method, warnings(pullback.Stager), tangent, backward, Rows(method, inputs, outputs));
    }

    /// <summary>
    /// <c>GJacobianRows</c>: one forward pass, then the backward pass once per output, each adding the pullback of its
    /// unit vector into its row of the Jacobian (setting each element it is the first to reach: <see cref="RowFirstWrites"/>)
    /// — when the backward pass can run again from the same forward pass (<see cref="Differentiator.Pullback.Rows"/>) and
    /// every input's adjoint is a piece of the Jacobian (inputs of the entries' precision, the first output's); else null,
    /// and the Jacobian calls <c>GBackward</c> once per row.
    /// </summary>
    private static RowsPullback? Rows(MethodModel method, List<ParameterModel> inputs, List<ParameterModel> outputs)
    {
        if (inputs.Any(p => p.ElementType != outputs[0].ElementType))
        {
            return null;
        }

        var names = NameBuilder.ForMembersOf(method);
        var (jacobian, m, n, row) = (names.Unique("jacobian"), names.Unique("m"), names.Unique("n"), names.Unique("row"));
        var pending = outputs.ToDictionary(o => o.Name, o => names.Unique(Identifier.Bare(o.GradientName!) + "Pending"));
        var rented = outputs.Where(o => !o.IsOutParameter).ToDictionary(o => o.Name, o => names.Unique(Identifier.Bare(o.Name) + "Rented"));
        var model = method with
        {
            Parameters = method.Parameters.Select(p => p.IsOutput ? p with { GradientName = pending[p.Name] } : p).ToEquatableArray(),
            ReservedNames = method.ReservedNames.Concat(pending.Values).Concat([jacobian, m, n, row]).Concat(rented.Values).ToEquatableArray(),
        };
        if (Differentiator.Pullback.Rows(model) is not { } pullback)
        {
            return null;
        }

        var locals = outputs.Select(o => new OutputLocals(o.Name, pending[o.Name], null, Rented(rented, o))).ToEquatableArray();
        return RowFirstWrites.Apply(pullback.Plan, inputs) is var (plan, surelySet)
            ? new RowsPullback(model, plan, jacobian, m, n, row, locals, surelySet)
            : new RowsPullback(model, pullback.Plan, jacobian, m, n, row, locals);
    }

    private static string? Rented(Dictionary<string, string> rented, ParameterModel output) =>
        rented.TryGetValue(output.Name, out var name) ? name : null;
}
