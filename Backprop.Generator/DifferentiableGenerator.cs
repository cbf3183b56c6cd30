using Backprop.Generator.Diagnostics;
using Backprop.Generator.Differentiation;
using System.Linq;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Backprop.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator;

/// <summary>
/// Writes <c>FBackward</c> (pullback) and <c>FGradient</c> (value and gradient) for every <c>[Differentiable]</c>
/// method F: Find → Parse → Differentiate → Emit, each stage talking to the next only through equatable models.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // System.Numerics' vectors, defined in C# the generator can read.
        context.RegisterPostInitializationOutput(static c => c.AddSource(NumericsDefinitions.HintName, NumericsDefinitions.Source));

        // Find + Parse: syntax filter only in the predicate; the transform returns an equatable result.
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax && !node.SyntaxTree.FilePath.EndsWith(NumericsDefinitions.HintName, System.StringComparison.Ordinal),
                static (ctx, ct) => MethodParser.ParseSafely(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        // Report what Parse found, on its own output so moving a line re-reports without re-emitting;
        // the compilation only maps each position back to its syntax tree (for #pragma and code fixes).
        context.RegisterSourceOutput(
            parsed.Select(static (r, _) => r.Diagnostics).Combine(context.CompilationProvider),
            DiagnosticReporter.Report);

        // [Differentiable] where the generator cannot add methods (a local function) is an error, not silence.
        var misplaced = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypes.DifferentiableAttribute,
                static (node, _) => node is LocalFunctionStatementSyntax,
                static (ctx, _) => MethodParser.LocalFunctionError((LocalFunctionStatementSyntax)ctx.TargetNode));
        context.RegisterSourceOutput(misplaced.Combine(context.CompilationProvider), DiagnosticReporter.Report);

        // Differentiate + Emit: only for methods that parsed cleanly.
        var generated = parsed
            .Where(static r => r.Method is not null)
            .Select(static (r, ct) => Differentiator.DifferentiateSafely(r.Method!, ct))
            .WithTrackingName(TrackingNames.Differentiate);
        context.RegisterSourceOutput(generated, MemberEmitter.Emit);
        context.RegisterSourceOutput(
            generated.Where(static r => r.Error is not null).Select(static (r, _) => r.Error!).Combine(context.CompilationProvider),
            DiagnosticReporter.ReportInternalError);

        // Model types: the trainable tensor fields every tensor method of the type found, one Parameters list per type.
        var models = parsed
            .Where(static r => r.Method?.Tensors is { ModelFields.Count: > 0 })
            .Select(static (r, _) => new ModelParameters(r.Method!.Containing, r.Method.Tensors!.ModelFields))
            .Collect()
            .SelectMany(static (all, _) => all.Distinct())
            .WithTrackingName(TrackingNames.Models);
        context.RegisterSourceOutput(models, ModelEmitter.Emit);
    }
}
