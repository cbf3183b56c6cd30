using System;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Which loops the backward sweep goes back through from their bounds, with no iteration count kept (issue 14: record
/// only what is needed), and which keep their counts. Their gradients are in the catalog (Functions/Loops.cs).
/// </summary>
public sealed class LoopCountTests
{
    [Fact]
    public void CountedLoops_OfEveryComparison_GoBackFromTheirBounds()
    {
        var code = BackwardOf("CountedEveryWay");

        Assert.DoesNotContain("iterations", code, StringComparison.Ordinal);
        Assert.Contains("for (int i = n; i >= 1; i--)", code, StringComparison.Ordinal);        // i <= n
        Assert.Contains("for (int i = 1; i <= top; i++)", code, StringComparison.Ordinal);      // i > 0, from top
        Assert.Contains("for (int i = -1; i <= n; i++)", code, StringComparison.Ordinal);       // i >= -1, from n
        Assert.Contains("for (int j = top - 1; j >= i; j--)", code, StringComparison.Ordinal);  // an outer counter as start
    }

    [Fact]
    public void LoopLeftEarly_OrWithAChangingBound_KeepsItsCount()
    {
        var code = BackwardOf("CountKeptWhenLeftEarlyOrBoundChanges");

        // both inner loops run inside the outer one: their counts go on the tape
        var countPushes = code.Split('\n').Select(l => l.Trim()).Count(l => l.StartsWith("tape.Push(iterations", StringComparison.Ordinal));
        Assert.Equal(2, countPushes);
    }

    [Fact]
    public void GmmObjective_KeepsNothingPerMultiplyAdd_NorAnyLoopCount()
    {
        var source = System.IO.File.ReadAllText(System.IO.Path.Combine(Repository.Root(), "Backprop.Benchmarks", "Adbench", "Gmm.cs"));
        var (result, _) = GeneratorHarness.Run(source);
        var text = GeneratorHarness.GeneratedFor(result, "Objective");
        var start = text.IndexOf("ObjectiveBackward(", StringComparison.Ordinal);
        var code = text.Substring(start, text.IndexOf("ObjectiveGradient(", StringComparison.Ordinal) - start);

        // Per component and point: x − μ and Q's diagonal part overwrite d values each (kept), the triangular loop keeps
        // Q·(x − μ) once, whole; lIndex and the main term one each. No count: every loop runs to its bound.
        Assert.Equal(
            ["tape.Push(qDiags[ik * d + id]);", "tape.Push(sumQs[ik]);", "tape.Push(xCentered[id]);", "tape.Push(qxCentered[id]);",
             "tape.Push(lIndex);", "tape.PushAll(qxCentered);", "tape.Push(mainTerm[ik]);"],
            Pushes(code));
    }

    private static string BackwardOf(string method)
    {
        var source = System.IO.File.ReadAllText(System.IO.Path.Combine(Repository.Root(), "Backprop.Generator.Tests", "GradientChecks", "Functions", "Loops.cs"));
        var (result, _) = GeneratorHarness.Run(System.Text.RegularExpressions.Regex.Replace(source, @", Sample\([^\]]*\)\]", "]"));
        var text = GeneratorHarness.GeneratedFor(result, method);
        var start = text.IndexOf($"{method}Backward(", StringComparison.Ordinal);
        return text.Substring(start, text.IndexOf($"{method}Gradient(", StringComparison.Ordinal) - start);
    }

    private static string[] Pushes(string code) =>
        code.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("tape.Push", StringComparison.Ordinal)).Select(l => l.Split(" //")[0]).ToArray();
}
