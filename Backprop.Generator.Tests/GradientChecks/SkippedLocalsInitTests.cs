using System;
using System.Runtime.CompilerServices;
using Backprop.Generator.Tests.GradientChecks.Functions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// Under <c>[SkipLocalsInit]</c> a <c>stackalloc</c> holds what the stack held: the generated members clear the adjoints
/// they make on the stack (they add into them), checked after filling the stack below the caller with junk.
/// </summary>
public sealed class SkippedLocalsInitTests
{
    [Fact]
    public void StackAdjoints_AreClearedWhereTheyAreMade()
    {
        var generated = GeneratedBackward.OfCatalog("SkippedLocalsInit.cs", "TwoProducts");

        Assert.Contains("dt.Clear(); // [SkipLocalsInit]: stackalloc leaves what the stack held", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Gradient_OnADirtyStack_MatchesCentralDifferences()
    {
        for (var call = 0; call < 3; call++) // the first call runs through the JIT, which leaves its own traces on the stack
        {
            DirtyTheStack();
            var value = SkippedLocalsInit.TwoProductsGradient(0.8, -1.1, out var da, out var db);

            Assert.Equal(SkippedLocalsInit.TwoProducts(0.8, -1.1), value);
            ArrayGradient.MatchesCentralDifferences([0.8, -1.1], [da, db], v => SkippedLocalsInit.TwoProducts(v[0], v[1]));
        }
    }

    [Fact]
    public void Jacobian_OnADirtyStack_MatchesCentralDifferences()
    {
        double[] x = [0.4, -1.2, 0.7];
        var (y, jacobian) = (new double[2], new double[2 * 3]);
        for (var call = 0; call < 3; call++) // the first call runs through the JIT, which leaves its own traces on the stack
        {
            DirtyTheStack();
            SkippedLocalsInit.TwoOutputsJacobian(x, y, jacobian);
            for (var i = 0; i < 2; i++)
            {
                var row = i;
                ArrayGradient.MatchesCentralDifferences(x, jacobian.AsSpan(3 * i, 3).ToArray(), v =>
                {
                    var values = new double[2];
                    SkippedLocalsInit.TwoOutputs(v, values);
                    return values[row];
                });
            }
        }
    }

    /// <summary>Leaves 16 KB of 1e6 on the stack below the caller's frame, where the next call's stackalloc lands.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DirtyTheStack()
    {
        Span<double> junk = stackalloc double[2048];
        junk.Fill(1e6);
        Consume(junk);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Consume(Span<double> junk) => Assert.Equal(1e6, junk[^1]);
}
