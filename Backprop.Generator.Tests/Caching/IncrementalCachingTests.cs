using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Backprop.Generator.Tests.Caching;

/// <summary>Editing an unrelated file must not re-run Differentiate or Emit; editing the method must.</summary>
public sealed class IncrementalCachingTests
{
    private const string Source = """
        using Backprop;

        public static partial class Functions
        {
            [Differentiable]
            public static double F(double x, double y) => x * y + System.Math.Exp(x);
        }
        """;

    [Fact]
    public void UnrelatedFileAdded_DoesNotReDifferentiateOrReEmit()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class Unrelated { public static int Answer => 42; }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllOutputs(result, TrackingNames.Parse, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(result, TrackingNames.Differentiate, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output re-ran: {o.Reason}"));
    }

    [Fact]
    public void MethodBodyEdited_ReDifferentiates()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Source.Replace("x * y", "x / y", System.StringComparison.Ordinal))));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllOutputs(result, TrackingNames.Parse, IncrementalStepRunReason.Modified);
        AssertAllOutputs(result, TrackingNames.Differentiate, IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void TensorModel_UnrelatedFileAdded_DoesNotReEmitItsParameters()
    {
        const string model = """
            using Backprop;

            public sealed partial class Net
            {
                public Tensor W = Tensor.Matrix(3, 2), b = Tensor.Vector(2);

                [Differentiable]
                public float Loss([NoDiff] Tensor x, int[] labels) => Nn.SoftmaxCrossEntropy(x * W + b, labels);
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(model);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Contains(first.GeneratedSources, s => s.HintName == "Net.Parameters.g.cs");

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class Unrelated { public static int Answer => 42; }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        AssertAllOutputs(result, TrackingNames.Models, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(result, TrackingNames.Differentiate, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    /// <summary>A layer read in place by a model in another file: editing the layer re-differentiates the model that calls it.</summary>
    [Fact]
    public void LayerInAnotherFileEdited_ReDifferentiatesTheModelThatCallsIt()
    {
        const string layers = """
            using Backprop;

            public static partial class Layers
            {
                [Differentiable]
                public static Tensor Dense(Tensor x, Tensor w, Tensor b) => x * w + b;
            }
            """;
        const string model = """
            using Backprop;

            public sealed partial class Net
            {
                public Tensor W = Tensor.Matrix(3, 2), b = Tensor.Vector(2);

                [Differentiable]
                public float Loss([NoDiff] Tensor x, int[] labels) => Nn.SoftmaxCrossEntropy(Layers.Dense(x, W, b), labels);
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(layers, model);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.Contains("Net.Loss", System.StringComparison.Ordinal)).ToString();

        var tree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(layers.Replace("x * w + b", "Nn.Tanh(x * w) + b", System.StringComparison.Ordinal))));
        var run = driver.RunGenerators(edited).GetRunResult();
        var after = run.GeneratedTrees.Single(t => t.FilePath.Contains("Net.Loss", System.StringComparison.Ordinal)).ToString();

        Assert.DoesNotContain("TanhBackward", before, System.StringComparison.Ordinal);
        Assert.Contains("TanhBackward", after, System.StringComparison.Ordinal);
        Assert.Contains(run.Results.Single().TrackedSteps[TrackingNames.Differentiate].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    /// <summary>
    /// A tensor method's plan compares by value: made twice from the same source (two object graphs, branches, a loop,
    /// float gates with rule terms), the plans are equal, so an edit that leaves it unchanged does not re-run Emit.
    /// </summary>
    [Fact]
    public void TensorPlan_MadeTwiceFromTheSameSource_IsEqual()
    {
        const string body = """
            var h = Tanh(X * W);
            for (int i = 0; i < depth; i++)
            {
                h = i % 2 == 0 ? h + Tanh(h * U) : h;
            }

            var loss = SumOfSquares(h);
            return System.MathF.Sqrt(loss) * loss;
            """;
        var first = GradientChecks.Tensors.TensorPlans.PlanOfLoss(body, ", int depth");
        var second = GradientChecks.Tensors.TensorPlans.PlanOfLoss(body, ", int depth");

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, GradientChecks.Tensors.TensorPlans.PlanOfLoss(body.Replace("Tanh(h * U)", "Relu(h * U)", System.StringComparison.Ordinal), ", int depth"));
    }

    private static void AssertAllOutputs(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Contains(o.Reason, allowed));
    }
}
