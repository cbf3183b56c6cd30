using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>
/// Random method bodies through the real generator. The generator never throws (no CS8785); every accepted
/// method's generated code compiles with no error and no warning of its own; every method with an
/// unsupported construct gets a BP error and no generated code; and every accepted gradient matches central
/// differences at a random point. The bounded run here takes seconds; for a large run set
/// BACKPROP_FUZZ_METHODS (e.g. 20000), BACKPROP_FUZZ_SEED and, to compile more methods at once, BACKPROP_FUZZ_BATCH
/// (default 25); to run a failing batch of a campaign again, the same three and BACKPROP_FUZZ_FIRST_BATCH (the batches
/// before it are drawn but not run).
/// </summary>
public sealed class RandomMethodTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomMethods_GenerateCompilingCodeWithCorrectGradients_OrBpErrors()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_METHODS"), out var n) ? n : 300;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_SEED"), out var s) ? s : 20261122;
        var batchSize = int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_BATCH"), out var b) && b > 0 ? b : 25;
        var firstBatch = int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_FIRST_BATCH"), out var f) ? f : 0; // to run a failing batch again
        var generator = new RandomMethodGenerator(seed);
        var stats = new Stats();
        for (var batch = 0; batch * batchSize < total; batch++)
        {
            var methods = Enumerable.Range(0, Math.Min(batchSize, total - (batch * batchSize)))
                .Select(i => generator.Next($"P{batch}_{i}"))
                .ToList();
            if (batch < firstBatch)
            {
                continue; // drawn, so that the batches after it are the same
            }

            RunBatch(methods, seed, batch, stats);
        }

        output.WriteLine($"seed {seed}: {total} methods, {stats.Accepted} accepted, {stats.Rejected} rejected, {stats.GradientPoints} gradients checked, {stats.SkippedPoints} points skipped near kinks, {stats.Overflows} gradients skipped after an intermediate overflowed, {stats.RefinedPoints} differences refined with a smaller step, {stats.UnsteadyPoints} skipped where the derivative swings within the step, {stats.CoarsePoints} checked with a larger step where F is flat at the scale of the step, {stats.Tangents} tangents equal to gradient · direction, {stats.CancellingPoints} points skipped where values or tangents reach 1e8 times F and its derivative, {stats.HessianVectors} Hessian-vector products equal to the gradient's difference along v, {stats.SkippedHessianVectors} skipped where that difference is not steady, {stats.Jacobians} Jacobians of a vector function around F, {stats.VectorBodies} of F's body as a vector function");
        Assert.True(stats.GradientPoints >= stats.Accepted / 2, $"too few gradient checks: {stats.GradientPoints} of {stats.Accepted}");
        Assert.True(stats.Overflows <= stats.GradientPoints / 100, $"{stats.Overflows} non-finite gradients: more than overflow explains");
        Assert.True(stats.HessianVectors >= stats.Accepted / 2, $"too few Hessian-vector checks: {stats.HessianVectors} of {stats.Accepted}");
        Assert.True(stats.Jacobians >= stats.Accepted / 2, $"too few Jacobian checks: {stats.Jacobians} of {stats.Accepted}");
        Assert.True(stats.CancellingPoints <= stats.Accepted / 50, $"{stats.CancellingPoints} points skipped for huge intermediates: more than cancellation explains");
    }

    /// <summary>
    /// Campaign seed 1609, batch 35 (method P35_20), run again: loops that divide x by 1 + (…)·x drove the tangents of
    /// x·y past double's range while x·y stayed finite, so V's forward-mode tangent of row 1 was −∞ and its reverse-mode
    /// row 1 times the direction NaN — both modes overflowed, which the check took for a disagreement.
    /// </summary>
    [Fact]
    public void Seed1609Batch35_RowOneOverflowingInBothModes_IsAnOverflow_NotAFailure()
    {
        const int seed = 1609, failing = 35;
        var methods = CampaignBatch(seed, failing);
        Assert.Contains("x /= 1 + -(a[n % a.Length]) * (b(x * 1.91) * (n * x));", methods[20].Source, StringComparison.Ordinal);
        var stats = new Stats();
        RunBatch(methods, seed, failing, stats);
        Assert.True(stats.Overflows >= 1, "the overflowing point was not met: the replay drew other methods or points");
    }

    /// <summary>
    /// Campaign seed 1613, batch 88 (method P88_37), run again: an intermediate reached ∞ while F stayed finite, and
    /// forward mode's NaN tangent was compared with reverse mode's 0 — an overflow in both modes, not a disagreement.
    /// </summary>
    [Fact]
    public void Seed1613Batch88_AnIntermediateOverflowingToInfinity_IsAnOverflow_NotAFailure()
    {
        const int seed = 1613, failing = 88;
        var methods = CampaignBatch(seed, failing);
        Assert.Contains("x = y = (Math.Tanh(y) + (y * (n * y)));", methods[37].Source, StringComparison.Ordinal);
        var stats = new Stats();
        RunBatch(methods, seed, failing, stats);
        Assert.True(stats.Overflows >= 1, "the overflowing point was not met: the replay drew other methods or points");
    }

    /// <summary>
    /// Batch <paramref name="batch"/> of a campaign seed as .ci/fuzz-campaign drew it (50 methods a batch), with the
    /// grammar of that campaign: before struct-with-array and Complex statements were added to it.
    /// </summary>
    private static List<(string Source, bool Unsupported)> CampaignBatch(int seed, int batch, int batchSize = 50)
    {
        var generator = new RandomMethodGenerator(seed, libraryStructs: false);
        for (var i = 0; i < batch * batchSize; i++)
        {
            generator.Next($"Skipped{i}");
        }

        return Enumerable.Range(0, batchSize).Select(i => generator.Next($"P{batch}_{i}")).ToList();
    }

    /// <summary>The grammar reaches the constructs added for issue 12: refs to elements, read and written through.</summary>
    [Fact]
    public void Grammar_ReachesRefLocalsToElements()
    {
        var generator = new RandomMethodGenerator(20261201);
        var sources = Enumerable.Range(0, 300).Select(i => generator.Next($"G{i}").Source).ToList();
        Assert.Contains(sources, s => s.Contains("ref readonly double ra", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("ref double e", StringComparison.Ordinal));
    }

    /// <summary>The grammar reaches span slices: held in a local, iterated, passed to a [Differentiable] method.</summary>
    [Fact]
    public void Grammar_ReachesSpanSlices()
    {
        var generator = new RandomMethodGenerator(20261202);
        var sources = Enumerable.Range(0, 300).Select(i => generator.Next($"G{i}").Source).ToList();
        Assert.Contains(sources, s => s.Contains("ReadOnlySpan<double> sw", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("in a.AsSpan(1))", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("SpanWeighted(a.AsSpan(1, ", StringComparison.Ordinal));
    }

    /// <summary>The grammar reaches tuple deconstruction, a swap among them.</summary>
    [Fact]
    public void Grammar_ReachesTupleDeconstruction()
    {
        var generator = new RandomMethodGenerator(20261203);
        var sources = Enumerable.Range(0, 300).Select(i => generator.Next($"G{i}").Source).ToList();
        Assert.Contains(sources, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"\((\w+), (\w+)\) = \(\2, "));
    }

    /// <summary>The grammar reaches struct locals, each way of replacing one among them.</summary>
    [Fact]
    public void Grammar_ReachesStructLocals()
    {
        var generator = new RandomMethodGenerator(20261204);
        var sources = Enumerable.Range(0, 300).Select(i => generator.Next($"G{i}").Source).ToList();
        Assert.Contains(sources, s => s.Contains(" with { A = ", StringComparison.Ordinal));
        Assert.Contains(sources, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"(@?\w+) = Turn\(\1, "));
        Assert.Contains(sources, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"@?\w+\.B [-+*]?= "));
        Assert.Contains(sources, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"(@?\w+) = \1 \+ new Pair\("));
    }

    private static void RunBatch(List<(string Source, bool Unsupported)> methods, int seed, int batch, Stats stats)
    {
        var (result, _) = GeneratorHarness.Run(methods.Select(m => m.Source).ToArray());
        for (var i = 0; i < methods.Count; i++)
        {
            var path = $"Input{i}.cs";
            var errors = result.Diagnostics.Where(d => d.Location.GetLineSpan().Path == path).ToList();
            var where = $"seed {seed}, batch {batch}, method {i}:\n{methods[i].Source}";
            Assert.All(errors, d => Assert.StartsWith("BP", d.Id, StringComparison.Ordinal));
            if (methods[i].Unsupported)
            {
                Assert.True(errors.Any(d => d.Severity == DiagnosticSeverity.Error), $"an unsupported construct was accepted ({where})");
                Assert.DoesNotContain(result.GeneratedTrees, t => Path.GetFileName(t.FilePath).StartsWith($"P{batch}_{i}.F.", StringComparison.Ordinal));
                stats.Rejected++;
            }
            else
            {
                Assert.True(errors.All(d => d.Severity != DiagnosticSeverity.Error), $"a supported method was rejected: {string.Join("; ", errors)} ({where})");
                stats.Accepted++;
            }
        }

        // The accepted methods with the code generated for them (a rejected method has none): the generated code must add
        // no error and no warning the input does not have itself, and its gradients must match central differences.
        var accepted = methods.Where(m => !m.Unsupported).Select(m => m.Source).ToArray();
        if (accepted.Length == 0)
        {
            return;
        }

        var acceptedClasses = Enumerable.Range(0, methods.Count).Where(i => !methods[i].Unsupported).Select(i => $"P{batch}_{i}.").ToList();
        var generated = result.GeneratedTrees
            .Where(t => acceptedClasses.Any(c => Path.GetFileName(t.FilePath).StartsWith(c, StringComparison.Ordinal)))
            .ToHashSet();
        var observed = generated.Where(t => Path.GetFileName(t.FilePath).Contains(".F.", StringComparison.Ordinal)).Select(LargestIntermediate.ObservedCopy).ToHashSet();
        var compilation = GeneratorHarness.CreateCompilation(accepted).AddSyntaxTrees(generated).AddSyntaxTrees(observed);
        using var loaded = LoadedAssembly.Emit(compilation, $"fuzz{batch}");
        var inputWarnings = loaded.Diagnostics.Where(d => d.Location.SourceTree is { } t && !generated.Contains(t) && !observed.Contains(t)).Select(d => d.Id).ToHashSet();
        foreach (var diagnostic in loaded.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } t && generated.Contains(t)))
        {
            Assert.True(inputWarnings.Contains(diagnostic.Id), $"generated code has {diagnostic} (seed {seed}, batch {batch}):\n{diagnostic.Location.SourceTree}");
        }

        var random = new Random(seed + batch);
        foreach (var type in loaded.Assembly.GetTypes().Where(t => t.GetMethod("Probe") is not null))
        {
            CheckGradient(type, random, stats, $"seed {seed}, batch {batch}, {type.Name}:\n{accepted.First(a => a.Contains($"class {type.Name}", StringComparison.Ordinal))}");
        }
    }

    /// <summary>
    /// Second order: H·v from FHessianVector against the central difference of the generated gradient along v, where
    /// that difference is steady (steps h/4, h and 4h agree); rounding of the gradient's difference, ε·|∇F|/h, is
    /// allowed for. Two steps are not enough (fuzz seed 1542, batch 84, method 43): a branch boundary 1e-5 to 2.5e-5 from
    /// the point made steps h and 4h cross it and agree with each other on -10.43, while every step that stays on one
    /// side (1e-6, 1e-7) gives H·v's -10.166 to nine digits.
    /// </summary>
    private static void CheckHessianVector(Type type, double x, double y, double[] a, int n, double[] direction, double[] gradient, Stats stats, string context)
    {
        var product = new double[5];
        var value = (double)type.GetMethod("ProbeHessianVector")!.Invoke(null, [x, y, a, n, direction, product])!;
        Assert.True(value.Equals((double)type.GetMethod("F")!.Invoke(null, [x, y, a, n])!), $"HessianVector returned {value}, not F ({context})");
        double[] point = [x, y, .. a];
        var h = 1e-5 * Math.Max(1, point.Max(Math.Abs));
        double[] GradientAlong(double t)
        {
            var p = point.Select((v, i) => v + t * direction[i]).ToArray();
            var g = new double[5];
            type.GetMethod("Probe")!.Invoke(null, [p[0], p[1], p[2..], n, g]);
            return g;
        }

        double[] Difference(double step) => GradientAlong(step).Zip(GradientAlong(-step), (p, m) => (p - m) / (2 * step)).ToArray();
        var (tiny, fine, coarse) = (Difference(h / 4), Difference(h), Difference(4 * h));

        // The gradient must not jump at the point itself (fuzz seed 20261302, batch 14, method 22: after loops that shrank
        // values to 1e-98, 'y > 0 && … ? Sqrt(…) : Sin(a[1])' took the Sqrt arm at the point and the Sin arm at every
        // step on either side, h/4 to 4h: the three differences agreed on the Sin arm's H·v, while the point's own H·v,
        // rightly, was the Sqrt arm's).
        var around = GradientAlong(h).Zip(GradientAlong(-h), (p, m) => (p + m) / 2).ToArray();
        var jumps = around.Zip(gradient, (mean, at) => Math.Abs(mean - at)).Any(d => d > 1e-4 * Math.Max(1, gradient.Max(Math.Abs)));

        // The differences' own scale decides whether they are steady (fuzz seed 1600, batch 39: near a pole, with a
        // gradient of 4e16, the difference quotient swung between ±1e13 and ±1e28 as h went from 1e-3 to 1e-11; measured
        // against H·v = 2e29 itself, steps h and 4h looked alike).
        var tolerance = 1e-4 * Math.Max(1, fine.Max(Math.Abs)) + 1e-13 * gradient.Max(Math.Abs) / h;
        var tinyTolerance = tolerance + (3e-13 * gradient.Max(Math.Abs) / h); // the h/4 difference rounds 4× more
        if (jumps || !product.Concat(tiny).Concat(fine).Concat(coarse).All(double.IsFinite)
            || fine.Zip(coarse, (f, c) => Math.Abs(f - c)).Any(d => d > tolerance)
            || fine.Zip(tiny, (f, t) => Math.Abs(f - t)).Any(d => d > tinyTolerance))
        {
            stats.SkippedHessianVectors++; // a kink or branch boundary within the step or at the point, or an overflow: the gradient's difference means nothing
            return;
        }

        for (var k = 0; k < 5; k++)
        {
            Assert.True(Math.Abs(product[k] - fine[k]) <= tolerance,
                $"(H·v)[{k}] = {product[k]:R}, the gradient's difference along v {fine[k]:R} at x={x:R}, y={y:R}, a=[{string.Join(", ", a)}], n={n}, v=[{string.Join(", ", direction)}] ({context})");
        }

        stats.HessianVectors++;
    }

    /// <summary>
    /// The vector function Outputs = (F, Smooth(x)·y, F·a[0]) around F: its Jacobian (reverse mode here: 3 rows, 5 columns)
    /// has F's gradient as row 0 and a[0]·∇F plus F's share of a[0] as row 2; its tangents start with F's.
    /// </summary>
    private static void CheckVectorFunction(Type type, double x, double y, double[] a, int n, double value, double[] gradient, double[] direction, double tangent, double largest, Stats stats, string context)
    {
        var (values, jacobian, tangents) = (new double[3], new double[15], new double[3]);
        type.GetMethod("ProbeJacobian")!.Invoke(null, [x, y, a, n, values, jacobian]);
        type.GetMethod("ProbeVectorTangent")!.Invoke(null, [x, y, a, n, direction, tangents]);
        var scale = Math.Max(1, gradient.Max(Math.Abs));
        Assert.True(FiniteDifference.RelativeError(values[0], value) <= 1e-12 && values[2] == values[0] * a[0], $"Outputs wrote {values[0]:R} and {values[2]:R} for F = {value:R} ({context})");
        for (var k = 0; k < 5; k++)
        {
            var scaled = (a[0] * gradient[k]) + (k == 2 ? values[0] : 0);
            // Row 2 runs F's pullback with dResult = a[0] rather than scaling its result: rounding differs by ε per path.
            Assert.True(Math.Abs(jacobian[k] - gradient[k]) <= 1e-9 * scale && Math.Abs(jacobian[10 + k] - scaled) <= 1e-6 * scale,
                $"Jacobian column {k}: rows {jacobian[k]:R}, {jacobian[10 + k]:R}; expected {gradient[k]:R}, {scaled:R} ({context})");
        }

        Assert.True(FiniteDifference.RelativeError(tangents[0], tangent) <= 1e-9 * scale, $"Outputs's tangent {tangents[0]:R}, F's {tangent:R} ({context})");
        stats.Jacobians++;

        // F's body as a vector function V = (F, x·y), where F has no early exit: V's Jacobian (reverse mode) has ∇F as row
        // 0, and its tangents (forward mode) are that Jacobian times the direction, row 1 included.
        if (type.GetMethod("ProbeV") is not { } probeV)
        {
            return;
        }

        var (vValues, vJacobian, vTangents) = (new double[2], new double[10], new double[2]);
        probeV.Invoke(null, [x, y, a, n, vValues, vJacobian]);
        type.GetMethod("ProbeVTangent")!.Invoke(null, [x, y, a, n, direction, vTangents]);
        Assert.True(FiniteDifference.RelativeError(vValues[0], value) <= 1e-12, $"V wrote {vValues[0]:R} for F = {value:R} ({context})");
        if (!double.IsFinite(vValues[1]))
        {
            // x·y overflowed where F ignores x and y (seed 1542: F's result read neither): row 0's pullback passes a zero
            // adjoint through the x·y gate, and 0·∞ is NaN in IEEE arithmetic, as in any reverse mode. Nothing to check.
            return;
        }

        for (var k = 0; k < 5; k++)
        {
            if (!double.IsFinite(vJacobian[k]) && double.IsFinite(gradient[k]))
            {
                // The same inside the body (seed 1588, batch 21: x = x·x in a loop reached ∞ and was later replaced by a
                // constant, so x·y is finite): row 0's pullback passes zero adjoints through gates F's pullback never ran —
                // they do not lead to F's result — and one of them multiplies by ∞. Counted with F's overflows.
                stats.Overflows++;
                return;
            }

            Assert.True(Math.Abs(vJacobian[k] - gradient[k]) <= 1e-9 * scale, $"V's Jacobian row 0, column {k}: {vJacobian[k]:R}; F's gradient {gradient[k]:R}; V's values {vValues[0]:R}, {vValues[1]:R} ({context})");
        }

        // Row 1 (x·y at the end of the body) is compared to 1e-6: reverse mode may carry adjoints that are huge and cancel
        // where forward mode's tangents cancel exactly (seed 1555, batch 97: x = m = exp(…) and then x /= 1 + (x − m)·…
        // 25 times — the tangent of x − m is exactly 0, while dx and dm each grow by a factor of about 6 per pass and
        // their sum rounds; the two modes differed by 1.5e-8 relative with every value and tangent below 7.4). A wrong
        // gradient differs by far more.
        var rowScale = Math.Max(1, vJacobian[5..].Max(Math.Abs));
        var along = Enumerable.Range(0, 5).Sum(k => vJacobian[5 + k] * direction[k]);
        if (!double.IsFinite(vTangents[1]) && !double.IsFinite(along))
        {
            // Row 1's derivatives overflowed in both modes while x·y stayed finite (seed 1609, batch 35: the forward
            // tangent −∞, the reverse row's entries ±∞, summed along v to NaN). Row 0 must still agree; row 1 says nothing.
            Assert.True(FiniteDifference.RelativeError(vTangents[0], tangent) <= 1e-9 * scale, $"V's tangent {vTangents[0]:R}; expected {tangent:R} ({context})");
            stats.Overflows++;
            return;
        }

        Assert.True(FiniteDifference.RelativeError(vTangents[0], tangent) <= 1e-9 * scale && Math.Abs(vTangents[1] - along) <= 1e-6 * rowScale,
            $"V's tangents {vTangents[0]:R}, {vTangents[1]:R}; expected {tangent:R}, {along:R}; largest intermediate {largest:R}; at x={x:R}, y={y:R}, a=[{string.Join(", ", a.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}], n={n}, v=[{string.Join(", ", direction.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}] ({context})");
        stats.VectorBodies++;
    }

    private static void CheckGradient(Type type, Random random, Stats stats, string context)
    {
        var primal = type.GetMethod("F")!;
        var probe = type.GetMethod("Probe")!;
        var x = (random.NextDouble() * 2) - 1;
        var y = (random.NextDouble() * 2) - 1;
        var a = new[] { (random.NextDouble() * 2) - 1, (random.NextDouble() * 2) - 1, (random.NextDouble() * 2) - 1 };
        var n = random.Next(5);
        var gradient = new double[5];
        var value = (double)probe.Invoke(null, [x, y, a, n, gradient])!;
        var expectedValue = (double)primal.Invoke(null, [x, y, a, n])!;
        Assert.True(value.Equals(expectedValue), $"Gradient returned {value}, F returned {expectedValue} ({context})");
        if (!double.IsFinite(value) || Math.Abs(value) > 1e6)
        {
            stats.SkippedPoints++;
            return;
        }

        // Values or tangents this much larger than F and its derivative cancelled to make them (seed 1502: x reached 4.6e18
        // and y = x + y came back to exactly 0; seed 1515: tangents reached 1.2e13 and cancelled to 0.01): F is quantised at
        // the scale of any step, and every mode's derivative carries rounding noise of that size (tangent and gradient
        // differed by 20 % at 1502; at 1515 both gave 0.0101 where the exact derivative is -0.0211). Nothing can check a
        // derivative at such a point.
        var direction = Enumerable.Range(0, 5).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var tangent = (double)type.GetMethod("ProbeTangent")!.Invoke(null, [x, y, a, n, direction])!;
        var largest = (double)type.GetMethod("LargestIntermediate")!.Invoke(null, [x, y, a, n, direction])!;
        if (!double.IsFinite(largest))
        {
            // An intermediate overflowed though F did not (seed 1613, batch 88, method 37: y = tanh(y) + 3y² nine times
            // reached ∞ and F = |a|/(1 + (3y)²) came back to 0): forward mode's tangent is ∞ − ∞ = NaN where reverse
            // mode's gradient happened to be 0 — both overflowed, as hand-written derivatives would. Before this check a
            // NaN tangent made the bound below NaN, and the point was taken for a disagreement.
            stats.Overflows++;
            return;
        }

        if (largest > 1e8 * Math.Max(1, Math.Max(Math.Abs(value), Math.Abs(tangent))))
        {
            stats.CancellingPoints++;
            return;
        }

        // Forward mode agrees with reverse mode: the tangent along a random direction is the gradient's dot product with it.
        var dot = gradient.Zip(direction, (g, v) => g * v).Sum();
        if (double.IsFinite(dot) && gradient.All(double.IsFinite))
        {
            Assert.True(FiniteDifference.RelativeError(tangent, dot) <= 1e-8 * Math.Max(1, gradient.Max(Math.Abs)),
                $"tangent {tangent:R}, gradient · direction {dot:R} at x={x:R}, y={y:R}, n={n} ({context})");
            stats.Tangents++;
        }

        CheckHessianVector(type, x, y, a, n, direction, gradient, stats, context);
        if (double.IsFinite(dot) && gradient.All(double.IsFinite))
        {
            CheckVectorFunction(type, x, y, a, n, value, gradient, direction, tangent, largest, stats, context);
        }

        double[] point = [x, y, .. a];
        for (var k = 0; k < point.Length; k++)
        {
            double F(double v)
            {
                var p = (double[])point.Clone();
                p[k] = v;
                return (double)primal.Invoke(null, [p[0], p[1], p[2..], n])!;
            }

            var h = FiniteDifference.DoubleStep(point[k]);
            if (!FiniteDifference.IsSmoothAt(F, point[k], h, 1e-5))
            {
                stats.SkippedPoints++;
                continue;
            }

            var expected = FiniteDifference.Central(F, point[k], h);
            if (!double.IsFinite(gradient[k]) && double.IsFinite(expected))
            {
                // An intermediate overflowed (inf·0 in the chain rule) though the result did not: a hand-written
                // gradient does the same. Counted, so a real NaN bug would show as a jump in this number.
                stats.Overflows++;
                continue;
            }

            var error = FiniteDifference.RelativeError(gradient[k], expected);
            if (error > 1e-5 && F(point[k] + h) == F(point[k] - h) && FiniteDifference.IsBelowResolution(F, point[k], h, gradient[k]))
            {
                // F did not change at all across the step although it has a slope: the step is below F's resolution there
                // (seed 83: a value multiplied by -4 sixteen times, then sin of it). Checked with steps 100 and 1000 times
                // larger instead, to 1e-3.
                stats.CoarsePoints++;
                stats.GradientPoints++;
                continue;
            }

            if (error > 1e-5 && FiniteDifference.IsRoundingLimited(F, point[k], h, gradient[k], error)
                && FiniteDifference.RelativeError(gradient[k], FiniteDifference.Central(F, point[k], 100 * h)) <= 1e-5)
            {
                // F is so large that rounding, not the function, limits the difference at this step (seed 1050: F ≈ -2.9e5, off
                // by 5.6e-5 at h = 1e-6); a step 100 times larger checks the gradient to the same 1e-5.
                stats.CoarsePoints++;
                stats.GradientPoints++;
                continue;
            }

            if (error > 1e-5)
            {
                // High curvature (a near-kink just outside the step) makes the difference itself inaccurate: refine it
                // with a ten times smaller step; a wrong gradient stays wrong, a truncation error shrinks a hundredfold.
                var refined = FiniteDifference.Central(F, point[k], h / 10);
                stats.RefinedPoints++;
                if (!FiniteDifference.Agree(expected, refined, 1e-3) || !FiniteDifference.Agree(expected, FiniteDifference.Central(F, point[k], 10 * h), 1e-3))
                {
                    // The differences themselves disagree: near a pole the function is chaotic at this scale (seed 1009:
                    // F ≈ 1e-11 and its difference quotient 1e-7, 829, -9, 38008 for h = 1e-6 … 1e-9), or F is quantised at
                    // the scale of the step (seed 1066: a[1] is added to 4x ≈ 1e11, whose unit in the last place is 1.5e-5;
                    // the quotients at 1e-7 and 1e-6 agreed by chance, -0.0664, while 1e-5 gave -0.0041 and 1e-3 the
                    // gradient's -0.02556). No derivative to check.
                    stats.SkippedPoints++;
                    continue;
                }

                expected = refined;
                error = Math.Min(error, FiniteDifference.RelativeError(gradient[k], expected));
                if (error > 1e-5 && !FiniteDifference.IsSteady(v => GradientAt(probe, point, n, k, v), point[k], h, 1e-5))
                {
                    // The derivative swings within the step (seed 1023): no difference quotient can check it here.
                    stats.UnsteadyPoints++;
                    continue;
                }
            }

            Assert.True(error <= 1e-5, $"gradient {k} is {gradient[k]:R}, finite difference {expected:R} (relative error {error:E2}) at x={x:R}, y={y:R}, a=[{string.Join(", ", a.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}], n={n} ({context})");
            stats.GradientPoints++;
        }
    }

    /// <summary>Component <paramref name="k"/> of the generated gradient at <paramref name="point"/> with that component set to <paramref name="value"/>.</summary>
    private static double GradientAt(MethodInfo probe, double[] point, int n, int k, double value)
    {
        var p = (double[])point.Clone();
        p[k] = value;
        var gradient = new double[5];
        probe.Invoke(null, [p[0], p[1], p[2..], n, gradient]);
        return gradient[k];
    }

    private sealed class Stats
    {
        public int UnsteadyPoints { get; set; }

        public int CoarsePoints { get; set; }

        public int Accepted { get; set; }

        public int Rejected { get; set; }

        public int GradientPoints { get; set; }

        public int SkippedPoints { get; set; }

        public int Overflows { get; set; }

        public int RefinedPoints { get; set; }

        public int Tangents { get; set; }

        public int CancellingPoints { get; set; }

        public int HessianVectors { get; set; }

        public int SkippedHessianVectors { get; set; }

        public int Jacobians { get; set; }

        public int VectorBodies { get; set; }
    }
}
