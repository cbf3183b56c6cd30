using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Differentiate: turns a parsed method into the plan of its generated members — for a scalar method its pullback
/// (forward sweep, then backward sweep, as the staged forward/backward code of the lecture notes), forward mode and
/// second order; a tensor method's or a vector function's — which Emit spells.
/// </summary>
internal static class Differentiator
{
    public static DifferentiateResult DifferentiateSafely(MethodModel method, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new DifferentiateResult(Differentiate(method), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var parameterNames = method.Parameters.Select(p => Identifier.Bare(p.Name)).ToEquatableArray();
            var error = new InternalError(method.Containing, method.Name, parameterNames, $"{e.GetType().Name} while differentiating: {e.Message}");
            return new DifferentiateResult(null, error);
        }
    }

    /// <summary>The plan of <paramref name="method"/>'s generated members; null for a method that returns a Tensor.</summary>
    /// <remarks>
    /// A Tensor-returning method (a layer, a block, a forward pass) is a building block: the tensor methods that call it
    /// read it in place, and its gradient is theirs. On its own it has no scalar to differentiate.
    /// </remarks>
    private static GeneratedMember? Differentiate(MethodModel method)
    {
        if (method.ReturnType == DataType.Tensor)
        {
            return null;
        }

        if (method.ReturnType == DataType.Void)
        {
            return new GeneratedMember(method.Containing, HintName(method)) { Vector = VectorFunctionDifferentiator.Plan(method, stager => Warnings(method, [stager])) };
        }

        if (method.Tensors is not null)
        {
            return new GeneratedMember(method.Containing, HintName(method)) { Tensor = TensorSweepBuilder.Plan(method) };
        }

        var pullback = Pullback.Of(method);
        var directional = DirectionalModel.OfSafely(method);
        Pullback? secondOrder = null;
        try
        {
            secondOrder = directional.Problem is null ? Pullback.Of(directional.Model) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            directional = directional with { Problem = DirectionalModel.Failure(e) };
        }

        var warnings = Warnings(method, secondOrder is null ? new[] { pullback.Stager } : [pullback.Stager, secondOrder.Stager]);
        var plan = new ScalarPlan(method, warnings, pullback.Plan, TangentBuilder.Plan(method), new SecondOrderPlan(directional.Model, directional.Problem, secondOrder?.Plan));
        return new GeneratedMember(method.Containing, HintName(method)) { Scalar = plan };
    }

    /// <summary>True when <paramref name="body"/> declares a local with a constant that nothing reads: the compiler's CS0219 where the generated code declares it too.</summary>
    private static bool DeclaresUnreadConstant(EquatableArray<Stmt> body)
    {
        var statements = Stmts.All(body).ToList();
        var read = new HashSet<string>(statements
            .SelectMany(s => s is AssignStmt { Target: VariableExpr } assign ? [assign.Value] : Stmts.ExpressionsOf(s)) // a variable assigned is not read
            .SelectMany(Stager.Reads));
        return statements.OfType<AssignStmt>().Any(a => a is { Declares: true, Target: VariableExpr target, Value: LiteralExpr } && !read.Contains(target.Name));
    }

    /// <summary>The warnings the generated code would raise where it follows the method as written.</summary>
    private static GeneratedWarnings Warnings(MethodModel method, Stager[] stagers)
    {
        // 'var r = Matrix4x4.CreateFromQuaternion(q); … r.M23': the definition sets M14 = 0f, which nothing reads.
        var unread = DeclaresUnreadConstant(method.Body) ? UnreadLocal.StructField

            // Regression (fuzz seed 1010): 'double t = -1.18; … (-0.04 < -0.14 ? t : y)' reads t only in the arm never taken.
            : stagers.Any(s => s.FoldedConstantBranch) ? UnreadLocal.ConstantBranch

            // Regression (fuzz seed 1548): 'return 1.48 * 0.99;' — the directional derivative's pullback never reads F's value.
            : stagers.Any(s => s.ConstantResult) ? UnreadLocal.ConstantResult
            : UnreadLocal.None;

        // Regressions: 'f(0.8)' with f(v) => v > 0 && v < 1 ? … stages 'if (0.8 > 0.0 && 0.8 < 1.0)' (seed 20261122 with
        // local functions); 'foreach (var v in a) { if (true) { return …; } }' never reaches 'vIndex++' (fuzz seed 1511);
        // 'if (true) { … }' in a loop whose saves are one block gets an else arm that skips slots and never runs (seed 1612).
        // And (fuzz seed 1027): a local function 'v => v > y' read in place with y compares y with itself.
        return new GeneratedWarnings(unread, stagers.Any(s => s.UnreachableCode), stagers.Any(s => s.SelfComparison));
    }

    /// <summary>
    /// The <c>…Backward</c> method of a scalar model, and the stager that staged it (what it noted decides pragmas). A vector
    /// function's returns nothing: its outputs' adjoints are seeded before it starts.
    /// </summary>
    internal sealed record Pullback(PullbackPlan Plan, Stager Stager)
    {
        public static Pullback Of(MethodModel method) => Build(method, rows: false)!;

        /// <summary>
        /// A vector function's backward pass, to run once per row of its Jacobian after one forward pass; null when a
        /// backward pass changes what the forward pass computed (it takes values off the tape or puts overwritten ones
        /// back, or the forward pass already began it), so it cannot run twice.
        /// </summary>
        public static Pullback? Rows(MethodModel method) => Build(method, rows: true);

        private static Pullback? Build(MethodModel method, bool rows)
        {
            var staged = StagedBody.Of(method);
            var (activity, names, resultName, stager, body, types) = (staged.Activity, staged.Names, staged.ResultName, staged.Stager, staged.Body, staged.Types);

            var analysis = Analysis.Run(body, method, activity, resultName);
            var plan = new SweepPlan(resultName);
            NameSavesInForwardOrder(method, analysis, plan, names);
            var backwardBuilder = new BackwardBuilder(method, analysis, plan, names, types, rows);
            var backward = backwardBuilder.Build(body);
            foreach (var parameter in method.Parameters.Where(p => analysis.ParametersSummedLocally.Contains(p.Name)))
            {
                var local = backwardBuilder.AdjointOf(parameter.Name);
                if (backward.Count > 0 && backward[backward.Count - 1] is not CodeStep { Step: SweepBlank })
                {
                    backward.Add(CodeStep.Blank());
                }

                var gradient = new VariableExpr(parameter.GradientName!, parameter.ElementType ?? parameter.Type);
                backward.Add(new CodeStep(new SweepAddLocal(gradient, local), local));
            }

            var forwardBuilder = new ForwardBuilder(method, analysis, plan, backwardBuilder, names, types);
            var forward = forwardBuilder.Build(body);
            forward.AddRange(backwardBuilder.RowsReciprocals); // after the forward sweep, before the rows
            if (plan.BlockSkips.Any(p => p.Key.Condition is LiteralExpr { Text: var constant } && (constant == "true" ? p.Value.Else : p.Value.Then) > 0))
            {
                // Regression (fuzz seed 1612): 'if (true) { s = Math.Sin(s) * x; }' in a loop whose saves are one block —
                // the else arm the sweeps add to skip the slots the then arm keeps never runs (CS0162).
                stager.NoteDeadArm();
            }

            if (rows && !Repeatable(analysis, plan, forwardBuilder))
            {
                return null;
            }

            // One declarations pass over both sweeps: a fused loop declares adjoints in the forward sweep that the backward
            // sweep goes on using.
            var declarations = new AdjointDeclarations(backwardBuilder.LocalAdjointTypes, [forward, backward]);
            var forwardDeclared = declarations.Declare(forward);
            var beforeForward = declarations.UpFront.ToList();
            declarations.UpFront.Clear();
            var backwardDeclared = declarations.Declare(backward);
            var beforeBackward = declarations.UpFront.ToList();
            var held = SmallArraysInLocals.Hold(forwardDeclared, backwardDeclared, forwardBuilder.ArrayAdjoints, beforeForward.Concat(beforeBackward), names);
            var arrayAdjoints = forwardBuilder.ArrayAdjoints.Where(a => !held.Elements.ContainsKey(a.Adjoint)).ToList();
            if (rows)
            {
                // Each row's pass must start from zero: an adjoint no pass leaves zero is cleared, as its span would be.
                beforeBackward.InsertRange(0, forwardBuilder.ArrayAdjoints
                    .Where(a => !analysis.WrittenWholeFirst.Contains(a.Array))
                    .SelectMany(a => held.Elements.TryGetValue(a.Adjoint, out var locals)
                        ? locals.Elements.Select(e => (SweepStep)new SweepZero(new VariableExpr(e, locals.Type)))
                        : []));
            }

            var (forwardSteps, backwardSteps) = CountsFromTheirStart.Apply(
                InvariantIndices.Hoist(CountsInLocals.Hold(held.Forward, names, types), names, analysis.HoldsOneValue),
                InvariantIndices.Hoist(CountsInLocals.Hold(held.Backward, names, types), names, analysis.HoldsOneValue),
                analysis.HoldsOneValue);
            var sweeps = new PullbackSweeps(beforeForward.ToEquatableArray(), TakenContributions.Merge(forwardSteps).ToEquatableArray(), beforeBackward.ToEquatableArray(), TakenContributions.Merge(backwardSteps).ToEquatableArray());
            if (rows && !ReadsNoAdjoint(method, sweeps))
            {
                return null;
            }

            var pullback = new PullbackPlan(
                plan.ResultName,
                Inline: !analysis.HasLoops || analysis.FusedLoop is not null,
                forwardBuilder.Hoisted.SelectMany(h => held.Elements.TryGetValue(h.Name, out var elements)
                    ? elements.Elements.Select(e => new LocalDeclaration(e, elements.Type))
                    : [new LocalDeclaration(h.Name, h.Type)]).ToEquatableArray(),
                plan.Scratches.Select(s => new LocalDeclaration(s.Value, s.Key)).ToEquatableArray(),
                plan.TapeName,
                plan.MethodStop,
                forwardBuilder.UsesBackwardLabel,
                BackwardInForward: backward.Count == 0 && analysis.FusedLoop is not null,
                arrayAdjoints.Select(a => new ArrayAdjoint(a.Adjoint, a.OnStack, analysis.WrittenWholeFirst.Contains(a.Array))).ToEquatableArray(),
                analysis.UnreadOutputs.OrderBy(o => o, StringComparer.Ordinal).ToEquatableArray(),
                sweeps);
            return new Pullback(pullback, stager);
        }
    }

    /// <summary>
    /// True when the backward sweep can run again from the same forward sweep: it changes no primal value (see
    /// <see cref="SweepPlan.RestoresNothing"/>, and no count stepped back), the forward sweep does none of its work (no fused
    /// loop, no merged pullback), and every local array is made once, outside loops, so that its adjoint can be cleared
    /// for the next pass. (The forward sweep must also read no adjoint: see <see cref="ReadsNoAdjoint"/>.)
    /// </summary>
    private static bool Repeatable(Analysis analysis, SweepPlan plan, ForwardBuilder forwardBuilder) =>
        plan.RestoresNothing && analysis.UndoneCounts.Count == 0 && analysis.FusedLoop is null && analysis.MergedPullback is null
        && analysis.MergedSum is null && !forwardBuilder.ArrayAdjoints.Any(a => a.InLoop);

    /// <summary>
    /// True when the forward sweep names no parameter's gradient and declares no adjoint ahead of itself: each backward
    /// pass of a Jacobian's rows points the gradients at another row, after the forward sweep ran.
    /// </summary>
    private static bool ReadsNoAdjoint(MethodModel method, PullbackSweeps sweeps) =>
        sweeps.BeforeForward.Count == 0
        && !NamesHeld.AnyOf(sweeps.Forward, new HashSet<string>(method.Parameters.Select(p => p.GradientName).OfType<string>()));

    private static string HintName(MethodModel method) => $"{method.Containing.HintPrefix}.{method.Name}.{Math.Abs(StableHash(method.Signature))}";

    /// <summary>Names the locals that save overwritten values in the order they are saved, so xBefore comes before xBefore2.</summary>
    private static void NameSavesInForwardOrder(MethodModel method, Analysis analysis, SweepPlan plan, NameBuilder names)
    {
        foreach (var gate in analysis.Gates.Where(g => !g.InLoop))
        {
            var name = gate.TargetName;
            if (name != plan.ResultName && analysis.NeedsSave(gate, name, method.Parameters.Any(p => p.Name == name)))
            {
                plan.SaveLocal(gate, name, names);
            }

            if (gate.Companion is { } companion && analysis.NeedsSave(gate, companion, isParameter: false))
            {
                plan.SaveLocal(gate, companion, names);
            }
        }
    }

    /// <summary>A hash that is the same in every process (string.GetHashCode is randomised), for hint names.</summary>
    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash & 0x7FFFFFFF;
        }
    }
}
