using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Vector-valued functions: a static void [Differentiable] method with <c>Span&lt;double&gt;</c> (or <c>Span&lt;float&gt;</c>)
/// or <c>out double</c> (<c>out float</c>) parameters writes its results into them, the way <c>TensorPrimitives</c> writes
/// into <c>destination</c>. Those parameters are its outputs; numbers, arrays and ReadOnlySpans are its inputs. Besides
/// being read in place where another [Differentiable] method calls it (a helper), it gets <c>…Tangent</c>,
/// <c>…Backward</c> and <c>…Jacobian</c> of its own.
/// </summary>
internal static class VectorFunctionParser
{
    /// <summary>True for a method with outputs: static, void, no ref parameter, every out parameter a number.</summary>
    public static bool Applies(IMethodSymbol method) =>
        method.ReturnsVoid && method.IsStatic && !method.IsGenericMethod
        && method.Parameters.All(p => p.RefKind is RefKind.None or RefKind.In || IsOutput(p))
        && method.Parameters.Any(IsOutput);

    /// <summary>
    /// A <c>Span&lt;double&gt;</c> or <c>Span&lt;float&gt;</c> parameter (not <c>[NoDiff]</c>), or an <c>out double</c> or
    /// <c>out float</c>: where the method writes a result.
    /// </summary>
    public static bool IsOutput(IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.None
            && parameter.Type is INamedTypeSymbol { Name: "Span" }
            && KnownTypes.SequenceElement(parameter.Type) is not null
            && !KnownTypes.HasAttribute(parameter, KnownTypes.NoDiffAttribute)
        || parameter.RefKind == RefKind.Out && KnownTypes.IsFloating(parameter.Type);

    /// <summary>
    /// True for a static method with value parameters that returns a tuple of doubles or floats: a vector function whose
    /// outputs are the tuple's elements (<c>(double R, double Theta) Polar(double x, double y)</c>).
    /// </summary>
    public static bool AppliesToTuple(IMethodSymbol method) =>
        method.IsStatic && !method.IsGenericMethod && method.Parameters.All(p => p.RefKind is RefKind.None or RefKind.In)
        && method.ReturnType is INamedTypeSymbol { IsTupleType: true } tuple && tuple.TupleElements.All(e => KnownTypes.IsFloating(e.Type));

    /// <summary>
    /// The model of a tuple-returning vector function: its outputs are out numbers named after the tuple's elements
    /// (<c>out double r, out double theta</c>; <c>item1</c>, … when unnamed), written where the body returns.
    /// </summary>
    public static MethodModel? TupleModel(IMethodSymbol method, List<ParameterModel> parameters, List<Stmt> body, List<Expr> results, TypeHierarchy containing, string modifiers, ParseContext context)
    {
        var elements = ((INamedTypeSymbol)method.ReturnType).TupleElements;
        var taken = new HashSet<string>(context.Identifiers.Concat(context.Locals.Select(l => Identifier.Bare(l.Name))).Concat(parameters.Select(p => Identifier.Bare(p.Name))));
        var outputs = new List<ParameterModel>();
        var written = new List<Stmt>(body);
        for (var i = 0; i < elements.Length; i++)
        {
            var element = elements[i].Name; // Item1, … when unnamed
            var name = Identifier.Escape(NameBuilder.Take(char.ToLowerInvariant(element[0]) + element.Substring(1), taken));
            var type = KnownTypes.Keyword(elements[i].Type)!;
            outputs.Add(new ParameterModel(name, type, ParameterShape.Scalar, type, Identifier.Prefixed("d", name), IsOutput: true));
            written.Add(new AssignStmt(new VariableExpr(name, type), results[i], Declares: false));
        }

        var model = Model(method, [.. parameters, .. outputs], written, containing, modifiers, context);
        return model is null ? null : model with { Signature = string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString())) };
    }

    /// <summary>
    /// The vector function's model, or null when the body makes it a helper only: it writes an array it was given besides its
    /// outputs (an in-place update), or has no input that carries a derivative. <paramref name="body"/> is its parsed body.
    /// </summary>
    public static MethodModel? Model(IMethodSymbol method, List<ParameterModel> parameters, List<Stmt> body, TypeHierarchy containing, string modifiers, ParseContext context)
    {
        var inputs = new HashSet<string>(parameters.Where(p => !p.IsOutput && p.Shape != ParameterShape.Scalar && p.ElementType is not null).Select(p => p.Name));
        var inputsWritten = Stmts.All(body).OfType<AssignStmt>().Any(a => a.Target is ElementExpr e && inputs.Contains(e.Array));
        if (inputsWritten || !parameters.Any(p => p.HasGradient && !p.IsOutput))
        {
            return null;
        }

        var reserved = context.Identifiers.Concat(context.Locals.Select(l => l.Name)).Distinct().OrderBy(n => n, System.StringComparer.Ordinal);
        return new MethodModel(
            containing,
            method.Name,
            modifiers,
            DataType.Void,
            parameters.ToEquatableArray(),
            string.Join(", ", method.Parameters.Select(p => (p.RefKind == RefKind.Out ? "out " : string.Empty) + p.Type.ToDisplayString())),
            body.ToEquatableArray(),
            context.Locals.ToEquatableArray(),
            reserved.ToEquatableArray());
    }

    /// <summary>
    /// BP0017 where an output is first read before it is first written, in the order C# runs the body (an assignment's
    /// value before its target): the caller's old values are not an input. A void helper an output is passed to counts
    /// as writing it; any other use reads it. After an output's first write, reads of it are the method's own results.
    /// A return before the end is BP0003: the output's derivative would miss what the rest of the body writes.
    /// </summary>
    public static void CheckBody(IBlockOperation body, IMethodSymbol method, ParseContext context)
    {
        // An out parameter: the C# compiler already insists it is assigned before it is read.
        var unwritten = new HashSet<IParameterSymbol>(method.Parameters.Where(p => IsOutput(p) && p.RefKind == RefKind.None), SymbolEqualityComparer.Default);
        Visit(body);
        foreach (var early in StatementParser.EarlyReturns(body))
        {
            context.Unsupported(early.Syntax, $"'{method.Name}' writes its results into its outputs, so it may return only at its end: a derivative must see every write (use if/else instead)");
        }

        void Visit(IOperation operation)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment:
                    Visit(assignment.Value);
                    VisitTarget(assignment.Target);
                    return;
                case IParameterReferenceOperation { Parameter: var parameter } reference when unwritten.Contains(parameter):
                    if (reference.Parent is IPropertyReferenceOperation { Property.Name: "Length" })
                    {
                        return;
                    }

                    if (reference.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.ReturnsVoid: true } })
                    {
                        unwritten.Remove(parameter); // a void helper fills it
                        return;
                    }

                    context.Report(DiagnosticDescriptors.OutputReadBeforeWritten, (reference.Parent ?? reference).Syntax,
                        parameter.Name, method.Name, KnownTypes.SequenceElement(parameter.Type)!.ToString(), (reference.Parent ?? reference).Syntax.ToString());
                    unwritten.Remove(parameter); // once is enough
                    return;
                case ILocalFunctionOperation or IAnonymousFunctionOperation:
                    return; // read where it is called
            }

            foreach (var child in operation.ChildOperations)
            {
                Visit(child);
            }
        }

        // y[i] = … writes y (its index is read first); anything else assigned is visited as a read.
        void VisitTarget(IOperation target)
        {
            switch (target)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation { Parameter: var parameter } } indexer
                    when unwritten.Contains(parameter):
                    foreach (var argument in indexer.Arguments)
                    {
                        Visit(argument);
                    }

                    unwritten.Remove(parameter);
                    return;
                default:
                    Visit(target);
                    return;
            }
        }
    }
}
