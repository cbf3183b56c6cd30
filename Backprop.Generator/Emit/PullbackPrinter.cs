using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>Spells a scalar method's pullback (<see cref="PullbackPlan"/>): <c>…Backward</c>, its forward sweep, then its backward sweep.</summary>
internal static class PullbackPrinter
{
    /// <summary>
    /// Writes <c>…Backward</c> of <paramref name="method"/>, or, in <paramref name="frame"/>, a vector function's pullback
    /// (its own doc, declaration, preamble and returns; for a Jacobian's rows, the backward sweep once per row).
    /// </summary>
    public static void Write(SourceWriter writer, MethodModel method, PullbackPlan plan, BackwardFrame? frame = null)
    {
        var gradients = method.Parameters.Where(p => p.HasGradient).ToList();
        var parameterNames = string.Join(", ", gradients.Select(p => p.Name));
        var adjointNames = string.Join(", ", gradients.Select(p => p.GradientName));
        foreach (var line in frame?.Doc ?? [
            "/// <summary>",
            $"/// Pullback of <see cref=\"{method.CrefName}({ParameterDeclarations.CrefSignature(method)})\"/>: returns {method.Name} and adds dResult·∂{method.Name}/∂({parameterNames}) into {adjointNames}.",
            "/// </summary>"])
        {
            writer.Line(line);
        }

        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        if (plan.Inline && frame?.Rows is null)
        {
            // Loop-free pullbacks are short: inlined into …Gradient, its zeroing and adding fold into plain stores. So are
            // those whose one loop takes each backward step as it goes (a sum's terms): inlined where a caller's backward
            // pass calls them, they save a call per use (ADBench BA's Jacobian: 6 % faster, GMM unchanged).
            writer.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        }

        writer.Open(frame?.Header ?? $"{method.Modifiers} {Spell(method.ReturnType)} {method.Name}Backward{method.TypeParameters}({string.Join(", ", Parameters(method))}){method.Constraints}");
        if (frame is not null)
        {
            writer.Append(frame.Preamble);
            writer.Line();
        }

        foreach (var hoisted in plan.Hoisted)
        {
            writer.Line(Literals.Hoisted(hoisted.Type, hoisted.Name));
        }

        foreach (var scratch in plan.Scratches)
        {
            writer.Line($"{Spell(scratch.Type)} {scratch.Name} = {Literals.Zero(scratch.Type)};");
        }

        SweepPrinter.Print(writer, plan.Sweeps.BeforeForward);
        if (plan.Tape is { } tape)
        {
            writer.Line($"var {tape} = global::Backprop.Tape.Current;");
        }

        if (plan.MethodStop is { } stop)
        {
            writer.Line($"int {stop} = int.MaxValue; // id of the return taken, if an early one");
        }

        if (plan.Hoisted.Count > 0 || plan.Scratches.Count > 0 || plan.Tape is not null || plan.MethodStop is not null || plan.Sweeps.BeforeForward.Count > 0)
        {
            writer.Line();
        }

        writer.Line("// forward pass");
        SweepPrinter.PrintBody(writer, plan.Sweeps.Forward);
        foreach (var line in frame?.AfterForward ?? [])
        {
            writer.Line(line);
        }

        writer.Line();
        if (plan.JumpsToBackward)
        {
            writer.Line(SweepPrinter.BackwardLabel + ":");
        }

        if (frame?.Rows is { } rows)
        {
            writer.Line("// backward pass, once per row: the pullback of the row-th unit vector");
            writer.Open(rows.Loop);
            // An array written whole before it is read has its adjoint taken back to zero by each pass: not cleared again.
            var cleared = plan.ArrayAdjoints.Where(a => !a.LeftZero).Select(a => a.OnStack ? $"{a.Name}.Clear();" : $"global::System.Array.Clear({a.Name});");
            foreach (var line in rows.Start.Concat(cleared))
            {
                writer.Line(line);
            }

            SweepPrinter.Print(writer, plan.Sweeps.BeforeBackward);

            writer.Line();
            SweepPrinter.PrintBody(writer, plan.Sweeps.Backward);
            writer.Close();
            writer.Line();
        }
        else
        {
            writer.Line(plan.BackwardInForward ? "// backward pass: done inside the loop above" : "// backward pass");
            SweepPrinter.Print(writer, plan.Sweeps.BeforeBackward);
            SweepPrinter.PrintBody(writer, plan.Sweeps.Backward);
            writer.Line();
        }

        foreach (var line in frame?.Epilogue ?? [$"return {plan.ResultName};"])
        {
            writer.Line(line);
        }

        writer.Close();
    }

    /// <summary>The parameters of <c>…Backward</c>: the method's, dResult, then one adjoint per differentiable parameter.</summary>
    public static IEnumerable<string> Parameters(MethodModel method) => method.Parameters.Select(p => p.Declaration())
        .Append($"{Spell(method.ReturnType)} dResult")
        .Concat(method.Parameters.Where(p => p.HasGradient).Select(p => p.Shape == ParameterShape.Scalar
            ? $"ref {Spell(p.ElementType!)} {p.GradientName}"
            : $"global::System.Span<{Spell(p.ElementType!)}> {p.GradientName}"));
}
