using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Backprop.Generator.Differentiation;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Backprop.Generator.Parsing;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>The typed steps Differentiate makes for a scalar method, for tests that assert the plan itself (what is kept, and where; what is shared).</summary>
internal static class ScalarSweeps
{
    /// <summary>The sweeps of the pullback of the gradient catalog's <paramref name="method"/> (in <c>GradientChecks/Functions/</c><paramref name="file"/>).</summary>
    public static PullbackSweeps OfCatalog(string file, string method) =>
        Of(Repository.CatalogFile(file), method);

    /// <summary>
    /// The sweeps of the pullback of <paramref name="method"/> in the file at <paramref name="path"/> (relative to the
    /// repository's root; the catalog's <c>Sample</c> attributes are dropped, the harness does not know them).
    /// </summary>
    public static PullbackSweeps Of(string path, string method) => Differentiator.Pullback.Of(Model(path, method)).Plan.Sweeps;

    /// <summary>The whole pullback plan of the gradient catalog's <paramref name="method"/>: its sweeps and what they share.</summary>
    public static PullbackPlan PlanOfCatalog(string file, string method) =>
        Differentiator.Pullback.Of(Model(Repository.CatalogFile(file), method)).Plan;

    /// <summary>The forward mode (<c>…Tangent</c>) of the gradient catalog's <paramref name="method"/>.</summary>
    public static TangentPlan TangentOfCatalog(string file, string method) =>
        TangentBuilder.Plan(Model(Repository.CatalogFile(file), method));

    /// <summary>The model Parse makes of <paramref name="method"/> in the file at <paramref name="path"/>.</summary>
    private static MethodModel Model(string path, string method)
    {
        var source = Regex.Replace(File.ReadAllText(Path.Combine(Repository.Root(), path)), @", Sample\([^\]]*\)\]", "]");
        var (result, _) = GeneratorHarness.Run(source);
        return result.Results.Single().TrackedSteps[TrackingNames.Parse]
            .SelectMany(step => step.Outputs).Select(o => o.Value).OfType<ParseResult>()
            .Select(r => r.Method).OfType<MethodModel>()
            .Single(m => m.Name == method);
    }

    /// <summary>Every step of <paramref name="steps"/>, those inside blocks too, in order.</summary>
    public static List<SweepStep> Flat(IEnumerable<SweepStep> steps) => steps.SelectMany(step => step switch
    {
        SweepBlock block => Flat(block.UpFront).Concat(Flat(block.Body)).Prepend(step),
        _ => [step],
    }).ToList();

    /// <summary>
    /// What the forward sweep keeps on the tape for the backward one, in order, each as where it goes and the value:
    /// <c>"block xCentered[id]"</c> (a loop's block of saves), <c>"tape lIndex"</c>, <c>"tape all y"</c> (a whole array).
    /// </summary>
    public static string[] OnTape(PullbackSweeps sweeps) => Flat(sweeps.Forward).Select(step => step switch
    {
        SweepKeep { Place: KeepInBlock } keep => $"block {ExprPrinter.Print(keep.Value)}",
        SweepKeep { Place: KeepOnTape } keep => $"tape {ExprPrinter.Print(keep.Value)}",
        SweepKeepArray array => $"tape all {array.Array}",
        _ => null,
    }).OfType<string>().ToArray();

    /// <summary>What the forward sweep keeps in locals of their own, in order: <c>"accBeforeLoop ← acc"</c>.</summary>
    public static string[] InLocals(PullbackSweeps sweeps) => Flat(sweeps.Forward)
        .OfType<SweepKeep>().Where(keep => keep.Place is KeepInLocal)
        .Select(keep => $"{((KeepInLocal)keep.Place).Local} ← {ExprPrinter.Print(keep.Value)}").ToArray();

    /// <summary>The loops of the forward sweep whose saves go into one block of the tape: how many values each iteration keeps there.</summary>
    public static int[] SaveBlocks(PullbackSweeps sweeps) =>
        Flat(sweeps.Forward).OfType<SweepSaveBlock>().Where(block => block.Forward).Select(block => block.PerIteration).ToArray();
}
