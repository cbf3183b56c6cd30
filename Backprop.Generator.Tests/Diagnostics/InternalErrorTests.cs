using System.Linq;
using System.Threading;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Differentiation;
using Backprop.Generator.Model;
using Backprop.Generator.Parsing;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Diagnostics;

/// <summary>
/// BP0001 (an internal error of Differentiate, which works on location-free models) is reported at the method it
/// happened in: found again by type, name and parameter names, so the right overload of a nested type is named.
/// </summary>
public sealed class InternalErrorTests
{
    private const string Source = """
        namespace Shapes
        {
            public static partial class Outer
            {
                public static partial class Inner<T>
                {
                    [Backprop.Differentiable] public static double F(double x) => x * x;
                    [Backprop.Differentiable] public static double F(double @params, double y) => @params * y;
                }
            }
        }
        """;

    [Fact]
    public void AnErrorWhileDifferentiating_IsLocatedAtTheMethodItHappenedIn()
    {
        var (result, compilation) = GeneratorHarness.Run(Source);
        var method = result.Results.Single().TrackedSteps[TrackingNames.Parse]
            .SelectMany(s => s.Outputs)
            .Select(o => ((ParseResult)o.Value).Method!)
            .Single(m => m.Parameters.Count == 2);

        // A statement Parse never produces makes Differentiate throw.
        var broken = method with { Body = new Stmt[] { new AlienStmt() }.ToEquatableArray() };
        var error = Differentiator.DifferentiateSafely(broken, CancellationToken.None).Error;

        Assert.NotNull(error);
        Assert.Equal("Shapes.Outer+Inner`1", error.Containing.MetadataName);
        var location = DiagnosticReporter.Locate(compilation, error);
        Assert.NotNull(location);
        var line = location.GetLineSpan().StartLinePosition.Line;
        Assert.Equal(7, line);
        Assert.Equal("F", location.SourceTree!.ToString().Substring(location.SourceSpan.Start, location.SourceSpan.Length));
    }

    private sealed record AlienStmt : Stmt;
}
