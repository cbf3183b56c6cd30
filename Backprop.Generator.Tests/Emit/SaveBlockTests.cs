using System;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Emit;

/// <summary>
/// Which loops keep their saves in one block of the tape (Tape.PushDoubles) and which push them one by one: a block needs
/// the iteration count at both ends and nothing else on the tape while the forward loop writes it. The gradients of
/// every shape here are checked elsewhere (the catalog, the fuzzing test); this pins the choice.
/// </summary>
public sealed class SaveBlockTests
{
    private const string Source = """
        using System;
        using Backprop;

        public static partial class Blocks
        {
            [Differentiable]
            public static double Square(double v) { double s = v; s = s * v; return s; }

            // Counted to a bound that never changes, a body of gates: one block of 1 value an iteration.
            [Differentiable]
            public static double Counted(double x, int n)
            {
                double s = x;
                for (int i = 0; i < n; i++) { s = Math.Sin(s) * x; }
                return s;
            }

            // A call of a [Differentiable] method in the body (its pullback may use the tape): pushed one by one.
            [Differentiable]
            public static double WithCall(double x, int n)
            {
                double s = x;
                for (int i = 0; i < n; i++) { s = Square(s) * x; }
                return s;
            }

            // A break: the iteration count is known only at the end, so each value is pushed.
            [Differentiable]
            public static double WithBreak(double x, int n)
            {
                double s = x;
                for (int i = 0; i < n; i++) { s = Math.Sin(s) * x; if (s > 10) { break; } }
                return s;
            }

            // Arms that keep different numbers of values: the one that keeps fewer skips the rest, both ways.
            [Differentiable]
            public static double UnevenArms(double x, int n)
            {
                double s = x;
                for (int i = 0; i < n; i++)
                {
                    if (x > i) { s = Math.Sin(s) * x; } else { s = s + x; }
                }
                return s;
            }

            // An if on the constant true with no else (fuzz seed 1612, batch 95): the skip goes into an else arm that never runs.
            [Differentiable]
            public static double ConstantArm(double x, int n)
            {
                double s = x;
                for (int i = 0; i < n; i++)
                {
                    if (true) { s = Math.Sin(s) * x; }
                }
                return s;
            }
        }
        """;

    private static readonly Lazy<(Microsoft.CodeAnalysis.GeneratorDriverRunResult Result, Microsoft.CodeAnalysis.Compilation Output)> s_run = new(() => GeneratorHarness.Run(Source));

    private static string Backward(string method) => GeneratorHarness.GeneratedFor(s_run.Value.Result, method);

    [Fact]
    public void EveryShape_Compiles() => Assert.Empty(GeneratorHarness.ErrorsAndWarnings(s_run.Value.Output));

    [Fact]
    public void ACountedLoopOfGates_KeepsItsSavesInOneBlock()
    {
        var code = Backward("Counted");
        Assert.Contains("global::System.Span<double> keep = tape.PushDoubles(n, 2); // the loop's saves, 2 values an iteration, kept in one block", code, StringComparison.Ordinal);
        Assert.Contains("global::System.ReadOnlySpan<double> kept = tape.PeekDoubles(n, 2);", code, StringComparison.Ordinal);
        Assert.Contains("tape.DropDoubles(kept.Length);", code, StringComparison.Ordinal);
        Assert.DoesNotContain("tape.Push(", code, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoopThatCallsADifferentiableMethod_PushesEachValue()
    {
        var code = Backward("WithCall");
        Assert.DoesNotContain("PushDoubles", code, StringComparison.Ordinal);
        Assert.Contains("tape.Push(s);", code, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoopThatMayStopEarly_PushesEachValue()
    {
        var code = Backward("WithBreak");
        Assert.DoesNotContain("PushDoubles", code, StringComparison.Ordinal);
        Assert.Contains("tape.Push(", code, StringComparison.Ordinal);
    }

    [Fact]
    public void ArmsThatKeepDifferentNumbers_SkipTheSameSlotsBothWays()
    {
        var code = Backward("UnevenArms");
        Assert.Contains("tape.PushDoubles(n, 2)", code, StringComparison.Ordinal);
        // sin's arm keeps the sine and cosine it overwrites; s + x keeps nothing, and skips their two slots
        Assert.Contains("keepAt += 2; // the other arm keeps 2 more", code, StringComparison.Ordinal);
        Assert.Contains("keptAt -= 2; // the other arm keeps 2 more", code, StringComparison.Ordinal);
    }
}
